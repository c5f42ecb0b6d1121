// Issue 13 item 5: the worker's shared cache of child Jobs (src/k8s/child-cache.ts) lives in the
// worker process. When that process dies while a JobSet runs and a Job fails before a worker is
// back, nothing is missed: the JobSet's observation moves to the next worker (heartbeat timeout),
// whose cache starts from a fresh list that holds the failed Job, and the JobSet fails as it must.
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { childJobs, finalStatus, jobSetIn, podTemplate, startJobSet } from '../integration/helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually } from '../integration/helpers/kube.js';
import { createTemporalEnv } from '../integration/helpers/temporal.js';
import { spawnWorker, stopWorkers, type WorkerProcess } from '../integration/helpers/worker-process.js';
import { workflowId } from '../../workflows/contract.js';

const taskQueue = 'resilience-informer-restart';
let env: TestWorkflowEnvironment;
let ns: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  env = await createTemporalEnv();
  ns = await createTestNamespace('res-informer');
});

afterAll(async () => {
  await stopWorkers(workers);
  if (ns) await deleteTestNamespace(ns);
  await env?.teardown();
});

const isFailed = (conditions: Array<{ type: string; status: string }> | undefined) =>
  (conditions ?? []).some((c) => c.type === 'Failed' && c.status === 'True');

test('issue 13 item 5: a Job that fails while the worker (and its cache) is down is acted on once a worker is back', async () => {
  const js = jobSetIn(ns, {
    metadata: { name: 'lost-event' },
    spec: {
      replicatedJobs: [
        { name: 'long', replicas: 1, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '10m' }) } } },
        {
          name: 'bad',
          replicas: 1,
          template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '15s', 'kwok-sim/fail': 'true' }) } },
        },
      ],
    },
  });
  const first = spawnWorker({ address: env.address, taskQueue });
  workers.push(first);
  const handle = await startJobSet(env, taskQueue, js);
  await eventually('both child Jobs', async () => ((await childJobs(ns, 'lost-event')).length === 2 ? true : undefined));

  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  await eventually(
    'the bad Job to fail with no worker up',
    async () => {
      const bad = (await childJobs(ns, 'lost-event')).find((j) => j.metadata?.name === 'lost-event-bad-0');
      return isFailed(bad?.status?.conditions) ? true : undefined;
    },
    120_000,
  );
  expect((await env.client.workflow.getHandle(workflowId(ns, 'lost-event')).describe()).status.name).toBe('RUNNING');

  workers.push(spawnWorker({ address: env.address, taskQueue }));
  const status = await finalStatus(handle);
  expect(status.terminalState).toBe('Failed');
  expect(status.conditions.find((c) => c.type === 'Failed')).toMatchObject({ status: 'True', reason: 'FailedJobs' });
  // The failure policy's action: the Job still running is deleted.
  await eventually('the long Job to be deleted', async () =>
    (await childJobs(ns, 'lost-event')).some((j) => j.metadata?.name === 'lost-event-long-0' && !j.metadata.deletionTimestamp) ? undefined : true,
  );
}, 300_000);
