// Runs JobSets for tests the way users do: a worker hosting the real workflows and activities,
// a JobSet parsed and validated by src/api, started under its workflow ID on the real dev server.
import { randomUUID } from 'node:crypto';

import type { V1Job } from '@kubernetes/client-node';
import { WorkflowFailedError, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import { createActivities } from '../../../activities/index.js';
import { Label } from '../../../src/api/constants.js';
import { parseJobSet } from '../../../src/api/load.js';
import type { JobSet, JobSetInput, JobSetStatus } from '../../../src/api/schema.js';
import { jobSetWorkflow, type JobSetWorkflowInput } from '../../../workflows/jobset.js';
import { type FinishedJobSet, statusQuery, workflowId } from '../../../workflows/contract.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube, signallingChildCache } from './kube.js';
import { createTemporalEnv, workflowBundle } from './temporal.js';

export async function createJobSetWorker(env: TestWorkflowEnvironment, taskQueue: string): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities(kube(), signallingChildCache(env.client.workflow)),
  });
}

/** A JobSet in `namespace`, parsed and validated as the SDK does, with a fresh UID. */
export function jobSetIn(namespace: string, input: JobSetInput | JobSet): JobSet {
  const js = parseJobSet({ ...input, metadata: { ...input.metadata, namespace } });
  return { ...js, metadata: { ...js.metadata, uid: randomUUID() } };
}

export async function startJobSet(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  jobSet: JobSet,
  extra: Omit<JobSetWorkflowInput, 'jobSet'> = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof jobSetWorkflow>> {
  return env.client.workflow.start(jobSetWorkflow, {
    taskQueue,
    workflowId: workflowId(jobSet.metadata.namespace!, jobSet.metadata.name!),
    args: [{ jobSet, ...extra }],
  });
}

/** The final status, whether the workflow completed (Completed) or failed with JobSetFailed: from its result or its failure's detail. */
export async function finalStatus(handle: WorkflowHandle<typeof jobSetWorkflow>): Promise<JobSetStatus> {
  try {
    return (await handle.result()).status;
  } catch (err) {
    const detail = err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure ? err.cause.details?.[0] : undefined;
    if (!detail) throw err;
    return (detail as FinishedJobSet).status;
  }
}

export async function childJobs(namespace: string, jobSetName: string): Promise<V1Job[]> {
  const list = await kube().batch.listNamespacedJob({ namespace, labelSelector: `${Label.JobSetName}=${jobSetName}` });
  return list.items.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** Waits until `probe` holds on the JobSet's status (queried from the workflow). */
export async function statusEventually(
  handle: WorkflowHandle<typeof jobSetWorkflow>,
  what: string,
  probe: (s: JobSetStatus) => boolean,
  timeoutMs = 120_000,
): Promise<JobSetStatus> {
  return eventually(
    what,
    async () => {
      const s = await handle.query(statusQuery);
      return probe(s) ? s : undefined;
    },
    timeoutMs,
  );
}

/** A pod template for the fake cluster: KWOK runs no container, the annotations say how it ends. */
export function podTemplate(annotations: Record<string, string> = {}) {
  return {
    metadata: { annotations: { 'kwok-sim/run-duration': '2s', ...annotations } },
    spec: { restartPolicy: 'Never' as const, containers: [{ name: 'main', image: 'busybox' }] },
  };
}

export interface JobEvent {
  phase: string;
  job: V1Job;
}

/**
 * Records the child Job events of one JobSet from a single watch stream, in the order the API
 * server produced them, so tests can assert orderings ("X was created only after Y was ready")
 * without timing.
 */
export async function recordJobEvents(namespace: string, jobSetName: string) {
  const events: JobEvent[] = [];
  const controller = await kube().watch.watch(
    `/apis/batch/v1/namespaces/${namespace}/jobs`,
    { labelSelector: `${Label.JobSetName}=${jobSetName}` },
    (phase: string, job: V1Job) => events.push({ phase, job }),
    () => undefined,
  );
  return {
    events,
    stop: () => controller.abort(),
    /** Index of the first event matching `pred`, or -1. */
    indexOf: (pred: (e: JobEvent) => boolean) => events.findIndex(pred),
  };
}

export interface SuiteContext {
  env: TestWorkflowEnvironment;
  namespace: string;
}

/**
 * The usual test-file setup: a dev server for the file, a namespace, and an in-process worker on
 * `taskQueue` running for the whole file; all torn down after it. `ready` receives them.
 */
export function jobSetSuite(namespacePrefix: string, taskQueue: string, ready: (ctx: SuiteContext) => void): void {
  let env: TestWorkflowEnvironment | undefined;
  let namespace: string | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    env = await createTemporalEnv();
    namespace = await createTestNamespace(namespacePrefix);
    worker = await createJobSetWorker(env, taskQueue);
    running = worker.run();
    ready({ env, namespace });
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    if (namespace) await deleteTestNamespace(namespace);
    await env?.teardown();
  });
}
