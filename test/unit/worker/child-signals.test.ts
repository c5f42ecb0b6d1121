// The worker's child signals (worker/child-signals.ts): one signal per burst of changes to a
// JobSet's children, nothing lost when a signal fails, Jobs of JobSets without a workflow (another
// controller's) left alone after the first try.
import { jest } from '@jest/globals';

import type { KeyedChange } from '../../../src/k8s/child-cache.js';
import { ChildSignaler, type Deliver } from '../../../worker/child-signals.js';

const change = (over: Partial<KeyedChange> = {}): KeyedChange => ({ namespace: 'ns', jobSetName: 'train', change: 'job', jobs: 4, uid: 'u1', ...over });

interface Sent {
  key: string;
  answer: (r: 'delivered' | 'gone' | Error) => void;
}

/** A deliver that records each call and answers when the test says so (or at once with `auto`). */
function recorder(auto?: 'delivered' | 'gone'): { deliver: Deliver; sent: Sent[]; keys: () => string[] } {
  const sent: Sent[] = [];
  const deliver: Deliver = (namespace, jobSetName) =>
    new Promise((resolve, reject) => {
      const answer = (r: 'delivered' | 'gone' | Error) => (r instanceof Error ? reject(r) : resolve(r));
      sent.push({ key: `${namespace}/${jobSetName}`, answer });
      if (auto) answer(auto);
    });
  return { deliver, sent, keys: () => sent.map((s) => s.key) };
}

let now = 0;
const options = { quietMs: 100, maxMs: () => 500, retryMs: 1_000, goneMs: 60_000, log: () => undefined, now: () => now };
/** Moves fake time and Date-free `now` together, and lets settled promises run. */
async function advance(ms: number): Promise<void> {
  now += ms;
  await jest.advanceTimersByTimeAsync(ms);
}

beforeEach(() => {
  jest.useFakeTimers();
  now = 0;
});
afterEach(() => jest.useRealTimers());

test('a burst of changes to one JobSet makes one signal once it is quiet', async () => {
  const r = recorder('delivered');
  const s = new ChildSignaler(r.deliver, options);
  for (let i = 0; i < 5; i++) {
    s.changed(change());
    await advance(50);
  }
  expect(r.sent).toHaveLength(0);
  await advance(100);
  expect(r.keys()).toEqual(['ns/train']);
});

test('a burst that never goes quiet is handed over at its longest wait', async () => {
  const r = recorder('delivered');
  const s = new ChildSignaler(r.deliver, options);
  for (let i = 0; i < 12; i++) {
    s.changed(change());
    await advance(60);
  }
  // 720 ms of changes every 60 ms: one signal at 500 ms, the rest after the last change.
  expect(r.keys()).toEqual(['ns/train']);
  await advance(200);
  expect(r.keys()).toEqual(['ns/train', 'ns/train']);
});

test('JobSets are signalled separately', async () => {
  const r = recorder('delivered');
  const s = new ChildSignaler(r.deliver, options);
  s.changed(change({ jobSetName: 'a' }));
  s.changed(change({ jobSetName: 'b', namespace: 'other' }));
  await advance(100);
  expect(r.keys().sort()).toEqual(['ns/a', 'other/b']);
});

test('a failed signal is sent again after a pause, with the changes that came meanwhile', async () => {
  const r = recorder();
  const s = new ChildSignaler(r.deliver, options);
  s.changed(change());
  await advance(100);
  expect(r.sent).toHaveLength(1);
  r.sent[0]!.answer(new Error('unavailable'));
  await advance(0);
  await advance(999);
  expect(r.sent).toHaveLength(1);
  await advance(1);
  expect(r.sent).toHaveLength(2);
  r.sent[1]!.answer('delivered');
  await advance(5_000);
  expect(r.sent).toHaveLength(2);
});

test('a burst that ends while its signal is in flight is signalled again after it, not at the same time', async () => {
  const r = recorder();
  const s = new ChildSignaler(r.deliver, options);
  s.changed(change());
  await advance(100);
  s.changed(change());
  await advance(100);
  expect(r.sent).toHaveLength(1);
  r.sent[0]!.answer('delivered');
  await advance(0);
  expect(r.sent).toHaveLength(2);
});

test('the changes of a JobSet UID whose workflow is gone are dropped for a while; others are not', async () => {
  const r = recorder('gone');
  const s = new ChildSignaler(r.deliver, options);
  s.changed(change({ uid: 'theirs' }));
  await advance(100);
  expect(r.sent).toHaveLength(1);
  s.changed(change({ uid: 'theirs' }));
  await advance(1_000);
  expect(r.sent).toHaveLength(1);
  // A new JobSet of the same name (a new UID), and changes without a UID (a re-list), are sent.
  s.changed(change({ uid: 'mine' }));
  await advance(100);
  s.changed(change({ uid: undefined }));
  await advance(100);
  expect(r.sent).toHaveLength(3);
  // ...and once the while is over, the first UID is tried again.
  await advance(60_000);
  s.changed(change({ uid: 'theirs' }));
  await advance(100);
  expect(r.sent).toHaveLength(4);
});

test('at most `concurrency` signals are in flight; the rest wait their turn', async () => {
  const r = recorder();
  const s = new ChildSignaler(r.deliver, { ...options, concurrency: 2 });
  for (const name of ['a', 'b', 'c', 'd']) s.changed(change({ jobSetName: name }));
  await advance(100);
  expect(r.keys()).toEqual(['ns/a', 'ns/b']);
  r.sent[0]!.answer('delivered');
  await advance(0);
  expect(r.keys()).toEqual(['ns/a', 'ns/b', 'ns/c']);
  r.sent[1]!.answer('delivered');
  r.sent[2]!.answer('delivered');
  await advance(0);
  expect(r.keys()).toEqual(['ns/a', 'ns/b', 'ns/c', 'ns/d']);
});

test('nothing is sent after stop', async () => {
  const r = recorder('delivered');
  const s = new ChildSignaler(r.deliver, options);
  s.changed(change());
  s.stop();
  s.changed(change());
  await advance(10_000);
  expect(r.sent).toHaveLength(0);
});
