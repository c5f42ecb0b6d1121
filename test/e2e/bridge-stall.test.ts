// Issue 12 item 6: a few slow JobSets cannot stall the bridge. A suspend/resume Update returns
// only once a workflow pass has acted on it; here the pass is held (the worker's resumeJobs waits
// on a gate), and the bridge runs one reconcile at a time: the other JobSets must still start.
import type { JobSetBridge } from '../../src/bridge/bridge.js';
import { childJobs } from '../integration/helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually } from '../integration/helpers/kube.js';
import { applyJobSet, deleteAllJobSets, installCrd, kubectl, smallJobSet, startBridge, startWorkerStack, type TestStack } from './helpers/bridge.js';
import { uniqueTaskQueue, workflowExists } from './helpers/cli.js';
import { workflowId } from '../../workflows/contract.js';

const taskQueue = uniqueTaskQueue('e2e-bridge-stall');
let stack: TestStack;
let bridge: JobSetBridge;
let ns: string;
let release: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (release = resolve));
// Set when a resumeJobs call reaches the gate (a local activity is not among the pending activities).
let held = false;

beforeAll(async () => {
  await installCrd();
  stack = await startWorkerStack(taskQueue, undefined, {
    beforeActivity: (type) => {
      if (type !== 'resumeJobs') return Promise.resolve();
      held = true;
      return gate;
    },
  });
  ns = await createTestNamespace('bridge-stall');
  bridge = await startBridge(stack.client, taskQueue, ns, { concurrency: 1 });
});

afterAll(async () => {
  release();
  if (ns) await deleteAllJobSets(stack.client, ns).catch(() => undefined);
  await bridge?.stop();
  await stack?.stop();
  if (ns) await deleteTestNamespace(ns);
});

describe('issue 12 item 6: the bridge cannot be stalled by a few slow JobSets', () => {
  test('an Update whose pass is held does not hold the only reconcile slot: another JobSet still starts', async () => {
    await applyJobSet(ns, smallJobSet('slow', { replicas: 1, suspend: true, duration: '1s' }));
    await eventually('the suspended Job', async () => ((await childJobs(ns, 'slow')).length === 1 ? true : undefined));
    // Resume: the workflow's pass calls resumeJobs, which waits on the gate; the Update waits for the pass.
    await applyJobSet(ns, smallJobSet('slow', { replicas: 1, suspend: false, duration: '1s' }));
    await eventually('the resume to reach the held activity', async () => (held ? true : undefined));

    await applyJobSet(ns, smallJobSet('other', { replicas: 1, duration: '1s' }));
    await eventually('the other JobSet to start', async () => ((await workflowExists(stack.client, workflowId(ns, 'other'))) ? true : undefined), 30_000);
    const done = await kubectl(['wait', '-n', ns, '--for=condition=Completed', '--timeout=120s', 'jobset/other']);
    expect(done.code).toBe(0);
    expect(bridge.ready()).toBe(true);

    release();
    expect((await kubectl(['wait', '-n', ns, '--for=condition=Completed', '--timeout=120s', 'jobset/slow'])).code).toBe(0);
  });
});
