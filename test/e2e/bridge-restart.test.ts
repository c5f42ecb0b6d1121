// The bridge as a process (`jobset bridge`), killed in the middle of a run like a crashed pod and
// started again: nothing it started is started twice, and what happened while it was down (a new
// resource, a deleted one) is caught up on from the full re-list.
import { createServer } from 'node:net';

import { createTestNamespace, deleteTestNamespace, eventually } from '../integration/helpers/kube.js';
import {
  applyJobSet,
  children,
  deleteAllJobSets,
  httpGet,
  installCrd,
  jobSetEvents,
  jsonpath,
  kubectl,
  kubectlOk,
  sample,
  smallJobSet,
  spawnBridge,
  startWorkerStack,
  type BridgeProcess,
  type TestStack,
} from './helpers/bridge.js';
import { uniqueTaskQueue } from './helpers/cli.js';
import { workflowId } from '../../workflows/contract.js';

const taskQueue = uniqueTaskQueue('e2e-bridge-restart');
let stack: TestStack;
let namespace: string;
let bridge: BridgeProcess | undefined;

/** A port that was free a moment ago, for the spawned bridge's HTTP endpoint. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function startBridgeProcess(): Promise<{ bridge: BridgeProcess; port: number }> {
  const port = await freePort();
  const b = spawnBridge(taskQueue, namespace, ['--http-port', String(port)]);
  await eventually(`the bridge to be ready:\n${b.output()}`, async () => ((await httpGet(port, '/readyz')).status === 200 ? true : undefined), 120_000);
  return { bridge: b, port };
}

beforeAll(async () => {
  await installCrd();
  stack = await startWorkerStack(taskQueue);
  namespace = await createTestNamespace('br-restart');
});

afterAll(async () => {
  if (bridge && namespace) await deleteAllJobSets(stack.client, namespace).catch(() => undefined);
  bridge?.child.kill('SIGKILL');
  await stack?.stop();
  if (namespace) await deleteTestNamespace(namespace);
});

const wait = (what: string, name: string) => kubectl(['wait', '-n', namespace, `--for=${what}`, '--timeout=180s', `jobset/${name}`]);
const runsOf = async (name: string) => {
  const runs = [];
  for await (const wf of stack.client.workflow.list({ query: `WorkflowId = '${workflowId(namespace, name)}'` })) runs.push(wf);
  return runs;
};

test('restarting the bridge mid-run neither duplicates nor loses a workflow', async () => {
  const first = await startBridgeProcess();
  bridge = first.bridge;
  await applyJobSet(namespace, smallJobSet('a', { duration: '3s', replicas: 2 }));
  await applyJobSet(namespace, smallJobSet('c', { duration: '1h' }));
  for (const name of ['a', 'c']) {
    await eventually(`the Jobs of ${name}`, async () => ((await children(namespace, name)).some((c) => c.startsWith('job')) ? true : undefined));
  }
  const firstRunOfA = (await stack.client.workflow.getHandle(workflowId(namespace, 'a')).describe()).runId;
  const metricsBefore = (await httpGet(first.port, '/metrics')).body;
  expect(sample(metricsBefore, 'jobset_bridge_actions_total{action="start"}')).toBe(2);

  // Crash. While the bridge is down: c is deleted, b is created.
  first.bridge.child.kill('SIGKILL');
  expect(await first.bridge.exited).toBe('SIGKILL');
  await kubectlOk(['delete', 'jobset', 'c', '-n', namespace]);
  await applyJobSet(namespace, smallJobSet('b', { duration: '1s' }));
  const uidOfB = await jsonpath(namespace, 'b', '{.metadata.uid}');

  const second = await startBridgeProcess();
  bridge = second.bridge;
  expect(await wait('condition=Completed', 'a')).toMatchObject({ code: 0 });
  expect(await wait('condition=Completed', 'b')).toMatchObject({ code: 0 });

  // a: the run started before the crash finished it; no second run, one start event.
  expect((await stack.client.workflow.getHandle(workflowId(namespace, 'a')).describe()).runId).toBe(firstRunOfA);
  expect((await runsOf('a')).map((r) => r.runId)).toEqual([firstRunOfA]);
  expect((await jobSetEvents(namespace, 'a')).filter((e) => e.reason === 'WorkflowStarted')).toHaveLength(1);
  // b: created while the bridge was down, started once after the re-list.
  const runsOfB = await runsOf('b');
  expect(runsOfB.map((r) => r.memo?.['jobset-temporal.io/resource-uid'])).toEqual([uidOfB]);
  // c: deleted while the bridge was down. Either the bridge's sweep finds its workflow and cancels
  // it, or the workflow notices first (the garbage collector removed its Jobs, and before creating
  // them again it finds its resource gone) and ends itself, deleting what it owns.
  const c = await eventually('the workflow of c to end', async () => {
    const run = (await runsOf('c')).find((r) => r.type === 'jobSetWorkflow');
    return run && run.status.name !== 'RUNNING' ? run : undefined;
  });
  expect(['CANCELLED', 'FAILED']).toContain(c.status.name);
  if (c.status.name === 'FAILED') {
    await expect(stack.client.workflow.getHandle(workflowId(namespace, 'c'), c.runId, { followRuns: false }).result()).rejects.toMatchObject({
      cause: { type: 'JobSetResourceDeleted' },
    });
  }
  await eventually('every child of c to be deleted', async () => ((await children(namespace, 'c')).length === 0 ? true : undefined), 120_000);

  const metricsAfter = (await httpGet(second.port, '/metrics')).body;
  expect(sample(metricsAfter, 'jobset_bridge_actions_total{action="start"}')).toBe(1);
  // The bridge cancelled c's workflow once, unless the workflow had already ended itself.
  expect(sample(metricsAfter, 'jobset_bridge_actions_total{action="cancel"}')).toBe(c.status.name === 'CANCELLED' ? 1 : undefined);

  // SIGTERM is a clean stop.
  await deleteAllJobSets(stack.client, namespace);
  second.bridge.child.kill('SIGTERM');
  expect(await second.bridge.exited).toBe(0);
  expect(second.bridge.output()).toContain('SIGTERM: stopping');
  bridge = undefined;
});
