// The bridge's keyed work queue: one reconcile per key at a time, events coalesced, failures
// retried with backoff, requeue on request. Delays are 1 ms so nothing here depends on timing.
import { exponentialBackoff, KeyedQueue } from '../../../src/bridge/queue.js';

/** A reconcile whose calls stay open until released, recording the order of starts. */
function gated() {
  const started: string[] = [];
  const releases: Array<() => void> = [];
  const fn = (key: string) => {
    started.push(key);
    return new Promise<void>((resolve) => releases.push(resolve));
  };
  const releaseAll = () => releases.splice(0).forEach((r) => r());
  return { started, fn, releaseAll };
}
const tick = () => new Promise((r) => setImmediate(r));

it('runs a key once at a time; adds during a run coalesce into one more run', async () => {
  const g = gated();
  const q = new KeyedQueue(g.fn, { concurrency: 4, backoffMs: () => 1 });
  q.add('a');
  await tick();
  q.add('a');
  q.add('a');
  q.add('a');
  await tick();
  expect(g.started).toEqual(['a']);
  g.releaseAll();
  await tick();
  await tick();
  expect(g.started).toEqual(['a', 'a']);
  g.releaseAll();
  await q.whenIdle();
  expect(g.started).toEqual(['a', 'a']);
});

it('runs different keys side by side up to the concurrency', async () => {
  const g = gated();
  const q = new KeyedQueue(g.fn, { concurrency: 2, backoffMs: () => 1 });
  for (const k of ['a', 'b', 'c']) q.add(k);
  await tick();
  expect(g.started).toEqual(['a', 'b']);
  g.releaseAll();
  await tick();
  await tick();
  expect(g.started).toEqual(['a', 'b', 'c']);
  g.releaseAll();
  await q.whenIdle();
});

it('retries a failing key with growing backoff until it succeeds', async () => {
  const attempts: number[] = [];
  const errors: number[] = [];
  let calls = 0;
  const done = new Promise<void>((resolve) => {
    const q = new KeyedQueue(
      async () => {
        calls++;
        if (calls < 4) throw new Error(`boom ${calls}`);
        resolve();
      },
      { concurrency: 1, backoffMs: (n) => (attempts.push(n), 1), onError: (_k, _e, n) => errors.push(n) },
    );
    q.add('a');
  });
  await done;
  expect(calls).toBe(4);
  expect(errors).toEqual([1, 2, 3]);
  expect(attempts).toEqual([1, 2, 3]);
});

it('runs a key again when the reconcile asks for it', async () => {
  let calls = 0;
  await new Promise<void>((resolve) => {
    const q = new KeyedQueue(
      async () => {
        calls++;
        if (calls === 3) resolve();
        return calls < 3 ? { requeueAfterMs: 1 } : undefined;
      },
      { concurrency: 1, backoffMs: () => 1 },
    );
    q.add('a');
  });
  expect(calls).toBe(3);
});

it('stop() waits for the reconcile in flight and takes no more work', async () => {
  const g = gated();
  const q = new KeyedQueue(g.fn, { concurrency: 1, backoffMs: () => 1 });
  q.add('a');
  q.add('b');
  await tick();
  const stopped = q.stop();
  g.releaseAll();
  await stopped;
  q.add('c');
  await tick();
  expect(g.started).toEqual(['a']);
});

it('exponentialBackoff doubles up to the cap', () => {
  const b = exponentialBackoff(500, 3000);
  expect([1, 2, 3, 4, 5].map(b)).toEqual([500, 1000, 2000, 3000, 3000]);
});

describe('issue 12 item 6: a stalled queue is reported', () => {
  test('longestRunningMs grows while a reconcile hangs and drops to 0 once it returns', async () => {
    let finish: () => void = () => undefined;
    const queue = new KeyedQueue(() => new Promise<void>((resolve) => (finish = resolve)), { concurrency: 1, backoffMs: () => 10 });
    expect(queue.longestRunningMs()).toBe(0);
    queue.add('ns/hung');
    expect(queue.longestRunningMs(Date.now() + 5_000)).toBeGreaterThanOrEqual(4_900);
    finish();
    await queue.whenIdle();
    expect(queue.longestRunningMs()).toBe(0);
    await queue.stop();
  });
});
