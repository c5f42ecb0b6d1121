// The stack itself: a workflow on the real dev server runs an activity that drives the real
// Job controller on the real cluster, once to success and once to failure.
import { fileURLToPath } from 'node:url';

import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import { createStackCheckActivities } from './stack-check/activities.js';
import { stackCheckWorkflow } from './stack-check/workflows.js';
import { createTestNamespace, deleteTestNamespace, kube } from './helpers/kube.js';
import { createTemporalEnv } from './helpers/temporal.js';

let env: TestWorkflowEnvironment;
let namespace: string;

beforeAll(async () => {
  env = await createTemporalEnv();
  namespace = await createTestNamespace('stack');
});

afterAll(async () => {
  await deleteTestNamespace(namespace);
  await env?.teardown();
});

test.each([
  { fail: false, outcome: 'Complete', succeededPods: 2, failedPods: 0 },
  { fail: true, outcome: 'Failed', reason: 'BackoffLimitExceeded', succeededPods: 0 },
])('an Indexed Job with fail=$fail ends $outcome', async ({ fail, outcome, reason, succeededPods }) => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: `stack-${fail}`,
    // The test's own workflow, next to it: the worker's registry has no stack check.
    workflowsPath: fileURLToPath(new URL('./stack-check/workflows.ts', import.meta.url)),
    activities: createStackCheckActivities(kube()),
  });
  const name = fail ? 'probe-fail' : 'probe-ok';
  const result = await worker.runUntil(
    env.client.workflow.execute(stackCheckWorkflow, {
      taskQueue: `stack-${fail}`,
      workflowId: `stack-check-${namespace}-${name}`,
      args: [{ namespace, name, fail }],
    }),
  );
  expect(result.outcome).toBe(outcome);
  expect(result.succeededPods).toBe(succeededPods);
  if (reason) expect(result.reason).toBe(reason);
  if (fail) expect(result.failedPods).toBeGreaterThanOrEqual(1);
  // The Job really exists in the cluster, with the same outcome.
  const job = await kube().batch.readNamespacedJob({ name, namespace });
  expect(job.status?.conditions?.some((c) => c.type === outcome && c.status === 'True')).toBe(true);
});
