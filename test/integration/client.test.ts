// The TypeScript SDK (src/client) against the real dev server and the real cluster: local
// validation, idempotent submit and conflicts, list by namespace/state/labels, watch, wait (met,
// failed, timeout), suspend/resume through the Updates, and delete (running and finished).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { stringify } from 'yaml';

import type { JobSetInput, JobSetStatus } from '../../src/api/schema.js';
import {
  InvalidLabelSelectorError,
  JobSetClient,
  JobSetConflictError,
  JobSetFailedError,
  JobSetNotFoundError,
  JobSetUpdateRejectedError,
  JobSetValidationError,
  JobSetWaitTimeoutError,
} from '../../src/client/index.js';
import { childJobs, createJobSetWorker, podTemplate } from './helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube } from './helpers/kube.js';
import { createTemporalEnv } from './helpers/temporal.js';
import { workflowId } from '../../workflows/contract.js';

const taskQueue = 'jobset-client';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let client: JobSetClient;
let namespace: string;

beforeAll(async () => {
  env = await createTemporalEnv();
  worker = await createJobSetWorker(env, taskQueue);
  running = worker.run();
  client = new JobSetClient({ client: env.client, taskQueue });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

beforeEach(async () => {
  namespace = await createTestNamespace('client');
});

afterEach(async () => {
  await deleteTestNamespace(namespace);
});

/** One replicated job of `replicas` single-pod Jobs whose pods run `duration` (and fail if asked). */
function jobSet(
  name: string,
  options: { duration?: string; replicas?: number; fail?: boolean; labels?: Record<string, string>; suspend?: boolean } = {},
): JobSetInput {
  const annotations = { 'kwok-sim/run-duration': options.duration ?? '1s', ...(options.fail ? { 'kwok-sim/fail': 'true' } : {}) };
  return {
    metadata: { name, namespace, ...(options.labels ? { labels: options.labels } : {}) },
    spec: {
      ...(options.suspend ? { suspend: true } : {}),
      replicatedJobs: [{ name: 'w', replicas: options.replicas ?? 1, template: { spec: { backoffLimit: 0, template: podTemplate(annotations) } } }],
    },
  };
}

const liveJobs = async (name: string) => (await childJobs(namespace, name)).filter((j) => !j.metadata?.deletionTimestamp);

async function workflowExists(name: string): Promise<boolean> {
  try {
    await env.client.workflow.getHandle(workflowId(namespace, name)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

test('submit validates locally: an invalid JobSet is refused with the field path and nothing is started', async () => {
  const bad = jobSet('bad', { replicas: -1 });
  const err = await client.submit(bad).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(JobSetValidationError);
  expect((err as JobSetValidationError).issues.map((i) => i.path)).toContain('spec.replicatedJobs[0].replicas');

  const twoDocs = `${stringify(jobSet('one'))}---\n${stringify(jobSet('two'))}`;
  await expect(client.submit(twoDocs)).rejects.toBeInstanceOf(JobSetValidationError);
  await expect(client.submit(jobSet('other'), { namespace: 'not-the-same' })).rejects.toThrow(/metadata.namespace/);

  for (const name of ['bad', 'one', 'two', 'other']) expect(await workflowExists(name)).toBe(false);
});

test('submit is idempotent for the same spec, refuses a different one, and delete frees the name', async () => {
  const first = await client.submit(jobSet('idem', { duration: '10m' }));
  expect(first.created).toBe(true);
  expect(first.jobSet.metadata).toMatchObject({ name: 'idem', namespace });
  expect(first.jobSet.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);

  // The same JobSet as YAML text: nothing new is started.
  const again = await client.submit(stringify(jobSet('idem', { duration: '10m' })));
  expect(again).toMatchObject({ created: false, runId: first.runId, workflowId: workflowId(namespace, 'idem') });
  expect(again.jobSet.metadata.uid).toBe(first.jobSet.metadata.uid);

  const conflict = await client.submit(jobSet('idem', { duration: '10m', replicas: 2 })).catch((e: unknown) => e);
  expect(conflict).toBeInstanceOf(JobSetConflictError);
  expect((conflict as JobSetConflictError).differences).toContain('spec.replicatedJobs[0].replicas');
  expect((conflict as Error).message).toMatch(/delete it first/);

  await eventually('the child Job', async () => ((await liveJobs('idem')).length === 1 ? true : undefined));
  // What the Web UI lists and shows from the start (issue 16 item 5).
  const described = await env.client.workflow.getHandle(workflowId(namespace, 'idem')).describe();
  expect(await described.staticSummary()).toBe(`${namespace}/idem: 1 Job in 1 replicatedJob`);
  expect(await described.staticDetails()).toContain('| w | 1 | 1 | 1 |  |');
  const info = await client.get(namespace, 'idem');
  expect(info).toMatchObject({ state: 'Running', closed: false, workflowId: workflowId(namespace, 'idem') });

  // Delete of a running JobSet: cancellation, whose cleanup removes the Jobs and the Service.
  await client.delete(namespace, 'idem');
  expect(await childJobs(namespace, 'idem')).toEqual([]);
  await expect(kube().core.readNamespacedService({ name: 'idem', namespace })).rejects.toMatchObject({ code: 404 });
  await expect(client.get(namespace, 'idem')).rejects.toBeInstanceOf(JobSetNotFoundError);
  await expect(client.delete(namespace, 'idem')).rejects.toBeInstanceOf(JobSetNotFoundError);

  // The name is free again, for another spec.
  const second = await client.submit(jobSet('idem', { replicas: 2 }));
  expect(second.created).toBe(true);
  expect(second.jobSet.metadata.uid).not.toBe(first.jobSet.metadata.uid);
  expect((await client.wait(namespace, 'idem', { for: 'Completed' })).terminalState).toBe('Completed');
  // A finished JobSet is still there (and submitting it again is a no-op) until it is deleted.
  expect((await client.submit(jobSet('idem', { replicas: 2 }))).created).toBe(false);
});

test('list finds JobSets by namespace, state and label selector', async () => {
  await client.submit(jobSet('done', { labels: { team: 'a', tier: 'x' } }));
  await client.submit(jobSet('held', { labels: { team: 'b' }, suspend: true }));
  await client.wait(namespace, 'done', { for: 'Completed' });
  await client.wait(namespace, 'held', { for: 'Suspended' });

  const names = async (options: Parameters<JobSetClient['list']>[0]) => (await client.list({ namespace, ...options })).map((i) => i.jobSet.metadata.name);
  // Visibility is eventually consistent: wait until both show with their final state.
  const all = await eventually('both JobSets listed with their state', async () => {
    const infos = await client.list({ namespace });
    const states = infos.map((i) => `${i.jobSet.metadata.name}=${i.state}`);
    return states.join(',') === 'done=Completed,held=Suspended' ? infos : undefined;
  });
  expect(all.map((i) => i.jobSet.metadata.namespace)).toEqual([namespace, namespace]);
  await eventually('the state search attribute', async () => ((await names({ state: 'Completed' })).join() === 'done' ? true : undefined));
  expect(await names({ state: 'Suspended' })).toEqual(['held']);
  expect(await names({ state: 'Failed' })).toEqual([]);
  expect(await names({ labelSelector: 'team=b' })).toEqual(['held']);
  expect(await names({ labelSelector: 'team!=a' })).toEqual(['held']);
  expect(await names({ labelSelector: 'team' })).toEqual(['done', 'held']);
  expect(await names({ labelSelector: '!tier' })).toEqual(['held']);
  expect(await names({ labelSelector: 'team in (a, b),tier' })).toEqual(['done']);
  expect((await client.list({ namespace: `${namespace}-other` })).length).toBe(0);
  expect((await client.list({ labelSelector: 'team=b' })).map((i) => `${i.jobSet.metadata.namespace}/${i.jobSet.metadata.name}`)).toContain(
    `${namespace}/held`,
  );
  await expect(client.list({ labelSelector: 'team=(a' })).rejects.toBeInstanceOf(InvalidLabelSelectorError);

  // A deleted JobSet is no longer listed, although its workflow runs stay in history.
  await client.delete(namespace, 'held');
  await eventually('the deleted JobSet to leave the list', async () => ((await names({})).join() === 'done' ? true : undefined));
});

test('watch yields each status change and ends when the JobSet completes', async () => {
  const { jobSet: submitted } = await client.submit({ ...jobSet(''), metadata: { generateName: 'watch-', namespace } });
  const name = submitted.metadata.name as string;
  expect(name).toMatch(/^watch-[a-z0-9]{5}$/);

  const seen: JobSetStatus[] = [];
  for await (const status of client.watch(namespace, name, { intervalMs: 200 })) seen.push(status);
  expect(seen.at(-1)?.terminalState).toBe('Completed');
  for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toEqual(seen[i - 1]);
  expect(seen.slice(0, -1).every((s) => !s.terminalState)).toBe(true);
});

test('wait returns the status when met, throws JobSetFailedError for a failed JobSet and JobSetWaitTimeoutError on timeout; delete of a finished JobSet runs the cleanup workflow', async () => {
  await client.submit(jobSet('slow', { duration: '10m' }));
  const timeout = await client.wait(namespace, 'slow', { for: 'Completed', timeoutMs: 1500 }).catch((e: unknown) => e);
  expect(timeout).toBeInstanceOf(JobSetWaitTimeoutError);
  expect((timeout as JobSetWaitTimeoutError).condition).toBe('Completed');

  await client.submit(jobSet('broken', { fail: true }));
  const failed = await client.wait(namespace, 'broken', { for: 'Completed' }).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(JobSetFailedError);
  expect((failed as JobSetFailedError).status.terminalState).toBe('Failed');
  expect((failed as Error).message).toMatch(/FailedJobs/);
  const status = await client.wait(namespace, 'broken', { for: 'Failed', timeoutMs: 60_000 });
  expect(status.conditions.find((c) => c.type === 'Failed')).toMatchObject({ status: 'True', reason: 'FailedJobs' });
  expect(await client.get(namespace, 'broken')).toMatchObject({ state: 'Failed', closed: true, executionStatus: 'FAILED' });
  await expect(client.suspend(namespace, 'broken')).rejects.toBeInstanceOf(JobSetUpdateRejectedError);

  // Finished JobSets keep their Jobs (as upstream) until deleted; delete starts the cleanup run.
  expect((await childJobs(namespace, 'broken')).length).toBe(1);
  await client.delete(namespace, 'broken');
  expect(await childJobs(namespace, 'broken')).toEqual([]);
  const latest = await env.client.workflow.getHandle(workflowId(namespace, 'broken')).describe();
  expect(latest).toMatchObject({ type: 'jobSetCleanupWorkflow', status: { name: 'COMPLETED' } });
  await expect(client.get(namespace, 'broken')).rejects.toBeInstanceOf(JobSetNotFoundError);

  await client.delete(namespace, 'slow');
  expect(await childJobs(namespace, 'slow')).toEqual([]);
});

test('suspend and resume go through the Updates; resume may change pod-template scheduling fields', async () => {
  await client.submit(jobSet('pausing', { duration: '10m', replicas: 2 }));
  await eventually('both child Jobs', async () => ((await liveJobs('pausing')).length === 2 ? true : undefined));

  await client.suspend(namespace, 'pausing');
  const suspended = await client.wait(namespace, 'pausing', { for: 'Suspended', timeoutMs: 120_000 });
  expect(suspended.conditions.find((c) => c.type === 'Suspended')).toMatchObject({ status: 'True', reason: 'SuspendedJobs' });
  expect((await client.get(namespace, 'pausing')).state).toBe('Suspended');
  await eventually('the child Jobs to be suspended', async () => ((await liveJobs('pausing')).every((j) => j.spec?.suspend === true) ? true : undefined));

  await expect(client.resume(namespace, 'pausing', { podTemplates: { nope: { labels: { a: 'b' } } } })).rejects.toBeInstanceOf(JobSetValidationError);
  // Resume with shorter pods: the new annotation reaches the Jobs' pod templates.
  await client.resume(namespace, 'pausing', { podTemplates: { w: { annotations: { 'kwok-sim/run-duration': '1s' } } } });
  const done = await client.wait(namespace, 'pausing', { for: 'Completed', timeoutMs: 180_000 });
  expect(done.conditions.find((c) => c.type === 'Suspended')).toMatchObject({ status: 'False', reason: 'ResumeJobs' });
  const info = await client.get(namespace, 'pausing');
  expect(info.jobSet.spec.suspend).toBe(false);
  expect(info.jobSet.spec.replicatedJobs[0]?.template.spec.template.metadata?.annotations).toEqual({ 'kwok-sim/run-duration': '1s' });
});

test('a JobSet the workflow refuses (started by a client that only checks its shape) reads as Failed/InvalidJobSet and can be deleted', async () => {
  const raw = jobSet('refused');
  // What the Python SDK may send: schema-valid, but the success policy names no replicated job.
  const input = { ...raw, spec: { ...raw.spec, successPolicy: { operator: 'All', targetReplicatedJobs: ['nope'] } } };
  await env.client.workflow.start('jobSetWorkflow', { taskQueue, workflowId: workflowId(namespace, 'refused'), args: [{ jobSet: input }] });

  const failed = await client.wait(namespace, 'refused', { for: 'Completed' }).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(JobSetFailedError);
  expect((failed as Error).message).toContain('spec.successPolicy.targetReplicatedJobs[0]');
  const info = await client.get(namespace, 'refused');
  expect(info).toMatchObject({ state: 'Failed', closed: true, jobSet: { metadata: { name: 'refused' } } });
  expect(info.status.conditions[0]).toMatchObject({ type: 'Failed', status: 'True', reason: 'InvalidJobSet' });

  await client.delete(namespace, 'refused');
  await expect(client.get(namespace, 'refused')).rejects.toBeInstanceOf(JobSetNotFoundError);
});

test('finished JobSets are read from their history: get, list and wait answer with no worker polling their task queue', async () => {
  const queue = `${taskQueue}-gone`;
  const ownWorker = await createJobSetWorker(env, queue);
  const ownRun = ownWorker.run();
  const own = new JobSetClient({ client: env.client, taskQueue: queue });
  await own.submit(jobSet('done', { labels: { batch: 'history' } }));
  await own.submit(jobSet('lost', { fail: true, labels: { batch: 'history' } }));
  await own.wait(namespace, 'done', { for: 'Completed', timeoutMs: 120_000 });
  await own.wait(namespace, 'lost', { for: 'Failed', timeoutMs: 120_000 });
  await eventually('both runs closed', async () => {
    const closed = await Promise.all(
      ['done', 'lost'].map(async (n) => (await env.client.workflow.getHandle(workflowId(namespace, n)).describe()).status.name !== 'RUNNING'),
    );
    return closed.every(Boolean) ? true : undefined;
  });
  ownWorker.shutdown();
  await ownRun;

  // A query would wait for a worker that never comes: the signal turns that into a failure.
  const done = await own.get(namespace, 'done', { signal: AbortSignal.timeout(10_000) });
  expect(done).toMatchObject({
    state: 'Completed',
    closed: true,
    executionStatus: 'COMPLETED',
    jobSet: { metadata: { name: 'done', labels: { batch: 'history' } } },
  });
  expect(done.status.conditions).toContainEqual(expect.objectContaining({ type: 'Completed', status: 'True', reason: 'AllJobsCompleted' }));
  const lost = await own.get(namespace, 'lost', { signal: AbortSignal.timeout(10_000) });
  expect(lost).toMatchObject({ state: 'Failed', closed: true, executionStatus: 'FAILED' });
  expect(lost.status.conditions).toContainEqual(expect.objectContaining({ type: 'Failed', status: 'True', reason: 'FailedJobs' }));

  const unreadable: string[] = [];
  const listed = await eventually('both in visibility', async () => {
    const found = await own.list({ namespace, labelSelector: 'batch=history', queryTimeoutMs: 5_000, onUnreadable: (id) => unreadable.push(id) });
    return found.length === 2 ? found : undefined;
  });
  expect(listed.map((i) => [i.jobSet.metadata.name, i.state])).toEqual([
    ['done', 'Completed'],
    ['lost', 'Failed'],
  ]);
  expect(unreadable).toEqual([]);
  expect((await own.wait(namespace, 'done', { timeoutMs: 10_000 })).terminalState).toBe('Completed');
  await expect(own.suspend(namespace, 'lost')).rejects.toThrow(/finished \(Failed\)/);
});

test('issue 12 item 1: a run terminated from Temporal reads as Failed/WorkflowTerminated, and delete removes its Jobs', async () => {
  await client.submit(jobSet('term', { duration: '600s', replicas: 2 }));
  await eventually('2 child Jobs', async () => ((await childJobs(namespace, 'term')).length === 2 ? true : undefined));
  await env.client.workflow.getHandle(workflowId(namespace, 'term')).terminate('an operator ended it by hand');

  const info = await client.get(namespace, 'term');
  expect(info.state).toBe('Failed');
  expect(info.status.terminalState).toBe('Failed');
  expect(info.status.conditions.find((c) => c.type === 'Failed')).toMatchObject({
    status: 'True',
    reason: 'WorkflowTerminated',
    message: 'an operator ended it by hand',
  });
  await expect(client.wait(namespace, 'term', { for: 'Completed', timeoutMs: 10_000 })).rejects.toBeInstanceOf(JobSetFailedError);

  await client.delete(namespace, 'term');
  await expect(client.get(namespace, 'term')).rejects.toBeInstanceOf(JobSetNotFoundError);
  await eventually('no child Job left', async () => ((await childJobs(namespace, 'term')).length === 0 ? true : undefined));
});
