// Durability: a worker crash in the middle of a restart, delete = cancellation, visibility by
// search attribute, and continue-as-new, all on the real dev server and the real cluster.
import { execFileSync } from 'node:child_process';

import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';

import { Label } from '../../src/api/constants.js';
import { childJobs, createJobSetWorker, finalStatus, jobSetIn, podTemplate, startJobSet, statusEventually } from './helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube } from './helpers/kube.js';
import { createTemporalEnv } from './helpers/temporal.js';
import { spawnWorker } from './helpers/worker-process.js';

let env: TestWorkflowEnvironment;
let namespace: string;

beforeAll(async () => {
  env = await createTemporalEnv();
  namespace = await createTestNamespace('durable');
});

afterAll(async () => {
  await deleteTestNamespace(namespace);
  await env?.teardown();
});

async function withWorker<T>(taskQueue: string, fn: (worker: Worker) => Promise<T>): Promise<T> {
  const worker = await createJobSetWorker(env, taskQueue);
  return worker.runUntil(fn(worker));
}

test('a worker SIGKILLed in the middle of a restart: a new worker brings the JobSet to the same end, no duplicate or old-attempt Job left', async () => {
  const taskQueue = 'durable-kill';
  const js = jobSetIn(namespace, {
    metadata: { name: 'crash' },
    spec: {
      failurePolicy: { maxRestarts: 2 },
      replicatedJobs: [
        {
          name: 'w',
          replicas: 3,
          template: {
            spec: { completions: 2, parallelism: 2, backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '1s', 'kwok-sim/fail-indexes': '1' }) },
          },
        },
      ],
    },
  });
  const first = spawnWorker({ address: env.address, taskQueue });
  const handle = await startJobSet(env, taskQueue, js);
  await statusEventually(handle, 'the first restart', (s) => s.restarts >= 1);
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');

  const second = spawnWorker({ address: env.address, taskQueue });
  try {
    const status = await finalStatus(handle);
    expect(status.terminalState).toBe('Failed');
    expect(status.restarts).toBe(2);
    expect(status.conditions.find((c) => c.type === 'Failed')?.reason).toBe('ReachedMaxRestarts');
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
  const jobs = await eventually('deletions to finish', async () => {
    const list = await childJobs(namespace, 'crash');
    return list.every((j) => !j.metadata?.deletionTimestamp) ? list : undefined;
  });
  const names = jobs.map((j) => j.metadata?.name);
  expect(new Set(names).size).toBe(names.length);
  expect(jobs.map((j) => j.metadata?.labels?.[Label.RestartAttempt])).toEqual(jobs.map(() => '2'));
});

test('cancelling the workflow (delete) removes every child Job, pod and the Service, then ends cancelled', async () => {
  const taskQueue = 'durable-delete';
  await withWorker(taskQueue, async () => {
    const js = jobSetIn(namespace, {
      metadata: { name: 'doomed' },
      spec: {
        replicatedJobs: [
          { name: 'w', replicas: 2, template: { spec: { completions: 2, parallelism: 2, template: podTemplate({ 'kwok-sim/run-duration': '10m' }) } } },
        ],
      },
    });
    const handle = await startJobSet(env, taskQueue, js);
    await statusEventually(handle, 'both Jobs active', (s) => s.replicatedJobsStatus.some((r) => r.active === 2));
    await handle.cancel();
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  });
  const selector = `${Label.JobSetName}=doomed`;
  expect((await kube().batch.listNamespacedJob({ namespace, labelSelector: selector })).items).toEqual([]);
  expect((await kube().core.listNamespacedPod({ namespace, labelSelector: selector })).items).toEqual([]);
  await expect(kube().core.readNamespacedService({ name: 'doomed', namespace })).rejects.toMatchObject({ code: 404 });
});

test('a finished JobSet is found by `temporal workflow list --query JobSetState="Completed"`, and continue-as-new keeps its outcome', async () => {
  const taskQueue = 'durable-visibility';
  const js = jobSetIn(namespace, {
    metadata: { name: 'seen' },
    spec: {
      replicatedJobs: [
        { name: 'a', replicas: 2, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '1s' }) } } },
        { name: 'b', replicas: 1, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '3s' }) } } },
      ],
    },
  });
  const { handle, status } = await withWorker(taskQueue, async () => {
    // Two passes per run: the JobSet needs more, so it must continue-as-new at least once.
    const h = await startJobSet(env, taskQueue, js, { maxPassesPerRun: 2 });
    return { handle: h, status: await finalStatus(h) };
  });
  expect(status.terminalState).toBe('Completed');
  const firstRun = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
  expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');

  const found = await eventually(
    'visibility to list the JobSet',
    async () => {
      const out = execFileSync(
        process.env.TEMPORAL_CLI_PATH!,
        ['workflow', 'list', '--address', env.address, '--query', `JobSetState="Completed" AND JobSetNamespace="${namespace}"`, '-o', 'json'],
        { encoding: 'utf8' },
      );
      const ids = (JSON.parse(out || '[]') as Array<{ execution: { workflowId: string } }>).map((w) => w.execution.workflowId);
      return ids.includes(handle.workflowId) ? ids : undefined;
    },
    30_000,
  );
  expect(found).toContain(`jobset/${namespace}/seen`);
});
