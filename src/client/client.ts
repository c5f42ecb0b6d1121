// The TypeScript SDK: JobSets as Temporal workflows, seen the way kubectl sees JobSet objects.
//
// One JobSet = one workflow under the ID `jobset/<namespace>/<name>`. The latest run under that
// ID says what the JobSet is:
//   - a `jobSetWorkflow` run, running or closed: the JobSet (its queries give spec and status;
//     a finished run's close event holds them too, so reading it needs no worker);
//   - a `jobSetWorkflow` run that was cancelled, or a `jobSetCleanupWorkflow` run: deleted.
// So `delete` either cancels the running workflow (its cleanup deletes the children) or, when
// the workflow has finished, starts the cleanup workflow under the same ID; either way the ID is
// then free for a new JobSet of that name.
import { randomInt, randomUUID } from 'node:crypto';

import {
  Client,
  Connection,
  QueryNotRegisteredError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WithStartWorkflowOperation,
  type TLSConfig,
  type WorkflowExecutionDescription,
  type WorkflowExecutionInfo,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, type DataConverter } from '@temporalio/common';

import { ConditionType } from '../api/constants.js';
import { codecDataConverter } from '../codec/data-converter.js';
import { JobSetValidationError, ROOT_PATH, type FieldIssue } from '../api/errors.js';
import { loadJobSets, parseJobSet } from '../api/load.js';
import type { JobSet, JobSetInput, JobSetStatus } from '../api/schema.js';
import { diffPaths, normalize } from '../api/semantic-equal.js';
import { parseResumeRequest, type ResumeRequest, type SuspendRequest } from '../api/updates.js';
import { jobSetState, type JobSetState } from '../core/state.js';
import { startDetails, startSummary } from '../core/summary.js';
import type { jobSetCleanupWorkflow } from '../../workflows/cleanup.js';
import type { jobSetWorkflow } from '../../workflows/jobset.js';
import {
  admittedUpdate,
  type FinishedJobSet,
  InvalidJobSetFailure,
  JobSetFailedFailure,
  JobSetNameKey,
  JobSetNamespaceKey,
  jobSetQuery,
  JobSetStateKey,
  resumeUpdate,
  statusQuery,
  suspendUpdate,
  workflowId,
  WorkflowType,
} from '../../workflows/contract.js';
import {
  JobSetConditionUnreachableError,
  JobSetConflictError,
  JobSetFailedError,
  JobSetNotFoundError,
  JobSetUpdateRejectedError,
  JobSetWaitTimeoutError,
} from './errors.js';
import { endedRunView, runEndedReason } from './runs.js';
import { matchesLabels, parseLabelSelector } from './selector.js';

export const DEFAULT_TASK_QUEUE = 'jobset';
export const DEFAULT_NAMESPACE = 'default';

export interface JobSetClientOptions {
  /** A connected Temporal client; its Temporal namespace is the one used. */
  client: Client;
  /** Task queue of the JobSet worker (default `jobset`, as the worker's JOBSET_TASK_QUEUE). */
  taskQueue?: string;
  /** Kubernetes namespace of submitted JobSets that name none (default `default`). */
  defaultNamespace?: string;
}

export interface JobSetConnectOptions {
  /** Temporal frontend `host:port` (default 127.0.0.1:7233). */
  address?: string;
  /** Temporal namespace (default `default`). */
  namespace?: string;
  taskQueue?: string;
  /** TLS for a secured Temporal (see worker/connection.ts `tlsOptions` to build it from files). */
  tls?: TLSConfig | boolean;
  defaultNamespace?: string;
  /**
   * Key file of the payload codec (the worker's JOBSET_CODEC_KEY_FILE): specs and statuses are
   * encrypted in Temporal history. Without it, an encrypted payload is refused with
   * PayloadEncryptedError naming the key it needs.
   */
  codecKeyFile?: string;
  /** A data converter of your own, instead of the one `codecKeyFile` makes. */
  dataConverter?: DataConverter;
}

/** What `get` and `list` return: the JobSet as its workflow runs it, and where it runs. */
export interface JobSetInfo {
  /** The JobSet (spec as last changed by suspend/resume), without `status`. */
  jobSet: JobSet;
  /** The upstream status object (the workflow's `status` query, or the result of a finished run). */
  status: JobSetStatus;
  /** One-word state: Running, Restarting, Suspended, Completed or Failed. */
  state: JobSetState;
  workflowId: string;
  runId: string;
  /** The workflow run has ended (the JobSet finished, or its workflow was terminated). */
  closed: boolean;
  /** Temporal's status of the run: RUNNING, COMPLETED, FAILED, TERMINATED, ... */
  executionStatus: string;
  /** When the JobSet was created: metadata.creationTimestamp, else the run's start. */
  createdAt: Date;
}

export interface SubmitResult {
  /** The JobSet as submitted: defaulted, with namespace, name, uid and creationTimestamp. */
  jobSet: JobSet;
  workflowId: string;
  runId: string;
  /** False when the same JobSet already existed and nothing was started. */
  created: boolean;
}

export interface SubmitOptions {
  /** Namespace for a JobSet that names none; an object naming another one is refused. */
  namespace?: string;
}

export interface ListOptions {
  /** Kubernetes namespace; all namespaces when unset. */
  namespace?: string;
  state?: JobSetState;
  /** `k=v,k!=v,k,!k,k in (a,b),k notin (a,b)` over metadata.labels. */
  labelSelector?: string;
  /** Each JobSet is read through its queries, which need a worker on its task queue: give up on one after this long (default 10 s). */
  queryTimeoutMs?: number;
  /**
   * Called for a JobSet whose queries fail (no worker on its task queue, ...); it is then left
   * out. Without it, such a JobSet makes `list` throw.
   */
  onUnreadable?: (workflowId: string, error: Error) => void;
}

export interface WatchOptions {
  /** How often the status is polled (default 1000 ms). */
  intervalMs?: number;
  /** Stops the watch (and cancels its pending request); the iterator then ends. */
  signal?: AbortSignal;
}

/** Completed, Failed, Suspended, or any other condition type (StartupPolicyCompleted, ...). */
export type WaitTarget = 'Completed' | 'Failed' | 'Suspended' | (string & {});

export interface WaitOptions {
  for?: WaitTarget;
  /** Give up after this long (JobSetWaitTimeoutError); unset = wait as long as it takes. */
  timeoutMs?: number;
  intervalMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sleeps `ms`, or less when `signal` aborts first. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return sleep(ms);
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Server-set metadata and the status are not part of what a user submits. */
function comparable(js: JobSet): unknown {
  const { uid: _uid, creationTimestamp: _created, resourceVersion: _rv, generation: _gen, managedFields: _mf, ...metadata } = js.metadata;
  return normalize({ ...js, metadata, status: undefined });
}

/** A name for `generateName`, as the API server makes one: the prefix and 5 random characters. */
function generatedName(prefix: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return prefix + Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

const isTrue = (status: JobSetStatus, type: string) => status.conditions.some((c) => c.type === type && c.status === 'True');
const isFinished = (status: JobSetStatus) => status.terminalState === 'Completed' || status.terminalState === 'Failed';
/** Completed and failed runs end with the finished JobSet in their close event. */
// Every closed run is read from its history: its close event (a finished JobSet) or, for a run
// ended from outside (terminated, timed out), its start event.
const readsFromHistory = (run: Pick<WorkflowExecutionInfo, 'status'>) => run.status.name !== 'RUNNING';
const isFinishedJobSet = (value: unknown): value is FinishedJobSet =>
  typeof value === 'object' && value !== null && 'spec' in value && 'metadata' in value && typeof (value as { status?: unknown }).status === 'object';

/**
 * The JobSet exactly as `submit` starts it: parsed, defaulted and validated, with its namespace
 * (the object's, else `options.namespace`, else `options.defaultNamespace`, else `default`), a
 * name for `generateName`, a fresh `metadata.uid` and a `creationTimestamp`. Offline.
 * @throws JobSetValidationError listing every problem (text holding several JobSets included).
 */
export function prepareJobSet(input: JobSetInput | JobSet | string, options: SubmitOptions & { defaultNamespace?: string } = {}): JobSet {
  let parsed: JobSet;
  if (typeof input === 'string') {
    const all = loadJobSets(input);
    if (all.length !== 1) {
      throw new JobSetValidationError([{ path: ROOT_PATH, message: `the text holds ${all.length} JobSets; submit them one at a time` }]);
    }
    parsed = all[0] as JobSet;
  } else {
    parsed = parseJobSet(input);
  }
  const meta = parsed.metadata;
  if (meta.namespace && options.namespace && meta.namespace !== options.namespace) {
    throw new JobSetValidationError([
      {
        path: 'metadata.namespace',
        message: `the JobSet names namespace ${JSON.stringify(meta.namespace)}, which does not match ${JSON.stringify(options.namespace)}`,
      },
    ]);
  }
  const { status: _status, ...withoutStatus } = parsed;
  // Parsed once more so that the namespace and a generated name are validated too.
  return parseJobSet({
    ...withoutStatus,
    metadata: {
      ...meta,
      namespace: meta.namespace ?? options.namespace ?? options.defaultNamespace ?? DEFAULT_NAMESPACE,
      name: meta.name || generatedName(meta.generateName ?? ''),
      uid: meta.uid ?? randomUUID(),
      creationTimestamp: meta.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    },
  });
}

export class JobSetClient {
  readonly client: Client;
  readonly taskQueue: string;
  readonly defaultNamespace: string;
  private readonly ownedConnection: Connection | undefined;

  constructor(options: JobSetClientOptions, ownedConnection?: Connection) {
    this.client = options.client;
    this.taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
    this.defaultNamespace = options.defaultNamespace ?? DEFAULT_NAMESPACE;
    this.ownedConnection = ownedConnection;
  }

  /**
   * Connects to Temporal; `close()` closes the connection again.
   * @throws CodecKeyFileError when `codecKeyFile` cannot be read or holds no key (before connecting).
   */
  static async connect(options: JobSetConnectOptions = {}): Promise<JobSetClient> {
    if (options.codecKeyFile !== undefined && options.dataConverter !== undefined) {
      throw new TypeError('JobSetClient.connect: give codecKeyFile or dataConverter, not both');
    }
    const dataConverter = options.dataConverter ?? codecDataConverter(options.codecKeyFile);
    const connection = await Connection.connect({
      address: options.address ?? '127.0.0.1:7233',
      ...(options.tls !== undefined ? { tls: options.tls } : {}),
    });
    const client = new Client({ connection, namespace: options.namespace ?? 'default', dataConverter });
    return new JobSetClient(
      {
        client,
        ...(options.taskQueue !== undefined ? { taskQueue: options.taskQueue } : {}),
        ...(options.defaultNamespace !== undefined ? { defaultNamespace: options.defaultNamespace } : {}),
      },
      connection,
    );
  }

  /** Closes the connection made by `connect` (a client passed in is left to its owner). */
  async close(): Promise<void> {
    await this.ownedConnection?.close();
  }

  // -------------------------------------------------------------------------------------------
  // submit

  /**
   * Parses, defaults and validates the JobSet locally, then starts its workflow. Idempotent: when
   * the JobSet already exists (running or finished) with the same spec, nothing is started and
   * `created` is false.
   * @throws JobSetValidationError when the JobSet is invalid (nothing is started).
   * @throws JobSetConflictError when a JobSet of that name exists with a different spec.
   */
  async submit(input: JobSetInput | JobSet | string, options: SubmitOptions = {}): Promise<SubmitResult> {
    const jobSet = this.prepare(input, options);
    const namespace = jobSet.metadata.namespace as string;
    const name = jobSet.metadata.name as string;
    const id = workflowId(namespace, name);
    // Each round either returns or sees a run that another client started meanwhile.
    for (let round = 0; ; round++) {
      const latest = await this.describeLatest(id);
      if (latest && !this.isDeleted(latest)) {
        if (latest.status.name === 'RUNNING' && latest.type === WorkflowType.Cleanup) {
          await this.awaitEnd(this.client.workflow.getHandle(id, latest.runId));
          continue;
        }
        const info = await this.readRun(latest);
        const differences = diffPaths(comparable(info.jobSet), comparable(jobSet));
        if (differences.length > 0) throw new JobSetConflictError(namespace, name, differences);
        return { jobSet: info.jobSet, workflowId: id, runId: info.runId, created: false };
      }
      if (latest?.status.name === 'RUNNING') {
        // A cleanup run still deleting the previous JobSet's children.
        await this.awaitEnd(this.client.workflow.getHandle(id, latest.runId));
      }
      try {
        const runId = await this.start(jobSet);
        return { jobSet, workflowId: id, runId, created: true };
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || round >= 3) throw err;
      }
    }
  }

  /**
   * Starts the JobSet's workflow and, when a worker is there to answer, waits for its admission
   * verdict in the same request (Update-with-start): a JobSet whose Jobs the API server refuses
   * in the workflow's dry run fails here with the field paths, and nothing is created. Without a
   * worker polling the task queue the run is only started; it is admitted (or refused, then
   * `get` shows it Failed) once a worker comes.
   */
  private async start(jobSet: JobSet): Promise<string> {
    const namespace = jobSet.metadata.namespace as string;
    const name = jobSet.metadata.name as string;
    const options = {
      taskQueue: this.taskQueue,
      workflowId: workflowId(namespace, name),
      args: [{ jobSet }] as [{ jobSet: JobSet }],
      typedSearchAttributes: [
        { key: JobSetNamespaceKey, value: namespace },
        { key: JobSetNameKey, value: name },
        { key: JobSetStateKey, value: jobSet.spec.suspend ? 'Suspended' : 'Running' },
      ],
      staticSummary: startSummary(jobSet),
      staticDetails: startDetails(jobSet),
    };
    if (!(await this.hasWorkflowPoller(this.taskQueue))) {
      return (await this.client.workflow.start<typeof jobSetWorkflow>(WorkflowType.JobSet, options)).firstExecutionRunId;
    }
    const operation = new WithStartWorkflowOperation<typeof jobSetWorkflow>(WorkflowType.JobSet, { ...options, workflowIdConflictPolicy: 'FAIL' });
    try {
      const update = await this.client.workflow.startUpdateWithStart(admittedUpdate, { startWorkflowOperation: operation, waitForStage: 'ACCEPTED' });
      await update.result();
      if (update.workflowRunId) return update.workflowRunId;
    } catch (err) {
      const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === InvalidJobSetFailure) {
        throw new JobSetValidationError((cause.details?.[0] as FieldIssue[] | undefined) ?? [{ path: ROOT_PATH, message: cause.message }]);
      }
      throw err;
    }
    return (await (await operation.workflowHandle()).describe()).runId;
  }

  /**
   * The JobSet exactly as `submit` would start it (see `prepareJobSet`), this client's default
   * namespace applied. @throws JobSetValidationError
   */
  prepare(input: JobSetInput | JobSet | string, options: SubmitOptions = {}): JobSet {
    return prepareJobSet(input, { ...options, defaultNamespace: this.defaultNamespace });
  }

  // -------------------------------------------------------------------------------------------
  // get, list

  /**
   * The JobSet and its status, read from its workflow; `signal` cancels the requests.
   * @throws JobSetNotFoundError when there is none (or it was deleted).
   */
  async get(namespace: string, name: string, options: { signal?: AbortSignal } = {}): Promise<JobSetInfo> {
    const signal = options.signal;
    if (signal) return this.client.withAbortSignal(signal, () => this.get(namespace, name));
    const latest = await this.describeLatest(workflowId(namespace, name));
    if (!latest || this.isDeleted(latest)) throw new JobSetNotFoundError(namespace, name);
    return this.readRun(latest);
  }

  /**
   * JobSets found through Temporal visibility (search attributes JobSetNamespace and
   * JobSetState), newest run per workflow ID, deleted ones left out, sorted by namespace and name.
   * Visibility is eventually consistent: a JobSet submitted a moment ago may be missing.
   * @throws InvalidLabelSelectorError
   */
  async list(options: ListOptions = {}): Promise<JobSetInfo[]> {
    const selector = parseLabelSelector(options.labelSelector ?? '');
    const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    // Cleanup runs are fetched too: they mark an earlier run under the same ID as deleted.
    const types = options.state
      ? `((WorkflowType = ${quote(WorkflowType.JobSet)} AND ${JobSetStateKey.name} = ${quote(options.state)}) OR WorkflowType = ${quote(WorkflowType.Cleanup)})`
      : `WorkflowType IN (${quote(WorkflowType.JobSet)}, ${quote(WorkflowType.Cleanup)})`;
    const clauses = [types, `ExecutionStatus != 'ContinuedAsNew'`];
    if (options.namespace) clauses.push(`${JobSetNamespaceKey.name} = ${quote(options.namespace)}`);

    const newest = new Map<string, WorkflowExecutionInfo>();
    for await (const run of this.client.workflow.list({ query: clauses.join(' AND ') })) {
      const seen = newest.get(run.workflowId);
      if (!seen || run.startTime > seen.startTime) newest.set(run.workflowId, run);
    }
    const live = [...newest.values()].filter((run) => !this.isDeleted(run));
    const queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
    // A query waits for a worker of the run's task queue: skip at once the queues nobody polls.
    const polled = new Map<string, Promise<boolean>>();
    const isPolled = (taskQueue: string) => {
      if (!polled.has(taskQueue)) polled.set(taskQueue, this.hasWorkflowPoller(taskQueue));
      return polled.get(taskQueue) as Promise<boolean>;
    };
    const infos = await mapLimit(live, 8, async (run) => {
      try {
        if (!readsFromHistory(run) && !(await isPolled(run.taskQueue))) throw new Error(`no worker polls its task queue ${run.taskQueue}`);
        const deadline = Date.now() + queryTimeoutMs;
        return await this.within(
          deadline,
          () => this.readRun(run),
          () => new Error(`no answer to its queries within ${queryTimeoutMs} ms (is a worker polling task queue ${run.taskQueue}?)`),
        );
      } catch (err) {
        // Deleted or replaced between the listing and the query.
        if (err instanceof WorkflowNotFoundError) return undefined;
        if (!options.onUnreadable) throw err;
        options.onUnreadable(run.workflowId, err instanceof Error ? err : new Error(String(err)));
        return undefined;
      }
    });
    return infos
      .filter((i): i is JobSetInfo => i !== undefined)
      .filter((i) => (!options.state || i.state === options.state) && matchesLabels(selector, i.jobSet.metadata.labels))
      .sort(
        (a, b) =>
          (a.jobSet.metadata.namespace ?? '').localeCompare(b.jobSet.metadata.namespace ?? '') ||
          (a.jobSet.metadata.name ?? '').localeCompare(b.jobSet.metadata.name ?? ''),
      );
  }

  // -------------------------------------------------------------------------------------------
  // watch, wait

  /**
   * Yields the status each time it changes (the first one at once) and ends after the JobSet
   * finished (Completed or Failed) or its workflow closed, or quietly when `signal` aborts.
   * @throws JobSetNotFoundError when the JobSet does not exist or is deleted while watched.
   */
  async *watch(namespace: string, name: string, options: WatchOptions = {}): AsyncGenerator<JobSetStatus, void, undefined> {
    const interval = options.intervalMs ?? 1000;
    const signal = options.signal;
    let last: string | undefined;
    while (!signal?.aborted) {
      let info: JobSetInfo;
      try {
        info = await this.get(namespace, name, signal ? { signal } : {});
      } catch (err) {
        if (signal?.aborted) return;
        throw err;
      }
      const text = JSON.stringify(info.status);
      if (text !== last) {
        last = text;
        yield info.status;
      }
      if (isFinished(info.status) || info.closed) return;
      await abortableSleep(interval, signal);
    }
  }

  /**
   * Waits until the JobSet has the condition `for` (default Completed) and returns its status.
   * @throws JobSetFailedError when it failed (unless waiting for Failed).
   * @throws JobSetConditionUnreachableError when it finished otherwise without the condition.
   * @throws JobSetWaitTimeoutError when `timeoutMs` passes first.
   * @throws JobSetNotFoundError when it does not exist or is deleted meanwhile.
   */
  async wait(namespace: string, name: string, options: WaitOptions = {}): Promise<JobSetStatus> {
    const target = options.for ?? ConditionType.Completed;
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    let last: JobSetStatus | undefined;
    const timeout = () => new JobSetWaitTimeoutError(namespace, name, target, options.timeoutMs ?? 0, last);
    for (;;) {
      const remaining = deadline === undefined ? undefined : deadline - Date.now();
      if (remaining !== undefined && remaining <= 0) throw timeout();
      const info = await this.within(deadline, () => this.get(namespace, name), timeout);
      last = info.status;
      if (reached(info.status, target)) return info.status;
      if (isFinished(info.status) || info.closed) {
        if (info.status.terminalState === 'Failed') throw new JobSetFailedError(namespace, name, info.status);
        throw new JobSetConditionUnreachableError(namespace, name, target, info.status);
      }
      const pause = Math.min(options.intervalMs ?? 1000, deadline === undefined ? Infinity : Math.max(0, deadline - Date.now()));
      await sleep(pause);
    }
  }

  // -------------------------------------------------------------------------------------------
  // suspend, resume, delete

  /**
   * Suspends the JobSet (its Jobs are suspended, their pods deleted); returns the status.
   * @throws JobSetNotFoundError, JobSetUpdateRejectedError (finished JobSet).
   */
  async suspend(namespace: string, name: string): Promise<JobSetStatus> {
    const handle = await this.runningHandle(namespace, name, 'suspend');
    return this.update(namespace, name, 'suspend', () => handle.executeUpdate<JobSetStatus, [SuspendRequest]>(suspendUpdate.name, { args: [{}] }));
  }

  /**
   * Resumes a suspended JobSet, optionally changing pod-template scheduling fields per
   * replicated job first; returns the status.
   * @throws JobSetValidationError for a bad request (checked locally), JobSetNotFoundError,
   * JobSetUpdateRejectedError.
   */
  async resume(namespace: string, name: string, request: ResumeRequest = {}): Promise<JobSetStatus> {
    const handle = await this.runningHandle(namespace, name, 'resume');
    parseResumeRequest(await handle.query(jobSetQuery), request);
    return this.update(namespace, name, 'resume', () => handle.executeUpdate<JobSetStatus, [ResumeRequest]>(resumeUpdate.name, { args: [request] }));
  }

  /**
   * Deletes the JobSet and waits until its child objects are gone: a running workflow is
   * cancelled (its cleanup deletes the children); a finished one gets a cleanup run under the
   * same workflow ID. Afterwards the name is free for a new JobSet.
   * @throws JobSetNotFoundError when there is no JobSet of that name.
   */
  async delete(namespace: string, name: string): Promise<void> {
    const id = workflowId(namespace, name);
    for (let round = 0; ; round++) {
      const latest = await this.describeLatest(id);
      if (!latest) throw new JobSetNotFoundError(namespace, name);
      const handle = this.client.workflow.getHandle(id, latest.runId);
      if (latest.type === WorkflowType.Cleanup) {
        // A delete already under way (or done): wait for it, as a second `kubectl delete` would.
        if (latest.status.name !== 'RUNNING') throw new JobSetNotFoundError(namespace, name);
        await this.awaitEnd(handle);
        return;
      }
      if (latest.status.name === 'CANCELLED') throw new JobSetNotFoundError(namespace, name);
      if (latest.status.name === 'RUNNING') {
        await this.client.workflow.getHandle(id).cancel();
        await this.awaitEnd(this.client.workflow.getHandle(id));
        // Ended otherwise than cancelled (it finished just before the cancel): clean up below.
        const after = await this.describeLatest(id);
        if (!after || this.isDeleted(after)) return;
        if (round >= 3) throw new Error(`JobSet ${namespace}/${name} did not end after cancellation`);
        continue;
      }
      const info = await this.readRun(latest);
      try {
        const cleanup = await this.client.workflow.start<typeof jobSetCleanupWorkflow>(WorkflowType.Cleanup, {
          taskQueue: this.taskQueue,
          workflowId: id,
          args: [{ jobSet: info.jobSet }],
          typedSearchAttributes: [
            { key: JobSetNamespaceKey, value: namespace },
            { key: JobSetNameKey, value: name },
          ],
          staticSummary: `delete JobSet ${namespace}/${name}`,
        });
        await cleanup.result();
        return;
      } catch (err) {
        // Another client deleted it at the same moment: wait for that cleanup instead.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || round >= 3) throw err;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // internals

  /** The latest run under the ID, or undefined when no workflow ever ran under it. */
  private async describeLatest(id: string): Promise<WorkflowExecutionDescription | undefined> {
    try {
      return await this.client.workflow.getHandle(id).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** Whether a worker polled the task queue for workflow tasks lately (the server remembers pollers for a few minutes). */
  private async hasWorkflowPoller(taskQueue: string): Promise<boolean> {
    const response = await this.client.workflowService.describeTaskQueue({
      namespace: this.client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    return (response.pollers?.length ?? 0) > 0;
  }

  private isDeleted(run: Pick<WorkflowExecutionInfo, 'type' | 'status'>): boolean {
    return run.type === WorkflowType.Cleanup || (run.type === WorkflowType.JobSet && run.status.name === 'CANCELLED');
  }

  /**
   * Reads spec and status of one run: a finished run (Completed or Failed JobSet) from its
   * history, so no worker is needed; any other run through its queries.
   */
  private async readRun(run: WorkflowExecutionInfo | WorkflowExecutionDescription): Promise<JobSetInfo> {
    const handle = this.client.workflow.getHandle<typeof jobSetWorkflow>(run.workflowId, run.runId, { followRuns: false });
    const { jobSet, status } = (readsFromHistory(run) ? await this.finishedRun(handle, run) : undefined) ?? (await this.queryRun(handle));
    const { status: _s, ...withoutStatus } = jobSet;
    const created = jobSet.metadata.creationTimestamp ? new Date(jobSet.metadata.creationTimestamp) : run.startTime;
    return {
      jobSet: withoutStatus,
      status,
      state: jobSetState(jobSet, status),
      workflowId: run.workflowId,
      runId: run.runId,
      closed: run.status.name !== 'RUNNING',
      executionStatus: run.status.name,
      createdAt: Number.isNaN(created.getTime()) ? run.startTime : created,
    };
  }

  /**
   * The JobSet a completed or failed run left in its close event (see FinishedJobSet), or
   * undefined when the run's result has another shape (the caller then queries the run).
   */
  private async finishedRun(
    handle: WorkflowHandle<typeof jobSetWorkflow>,
    run: WorkflowExecutionInfo | WorkflowExecutionDescription,
  ): Promise<{ jobSet: JobSet; status: JobSetStatus } | undefined> {
    let finished: unknown;
    try {
      finished = await handle.result();
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err;
      const cause = err.cause;
      if (cause instanceof ApplicationFailure && cause.type === InvalidJobSetFailure) return this.endedRun(run, InvalidJobSetFailure, cause.message);
      if (cause instanceof ApplicationFailure && cause.type === JobSetFailedFailure) finished = cause.details?.[0];
      // Ended from outside, or by an error of the workflow itself: the JobSet reads as Failed.
      else return this.endedRun(run, runEndedReason(cause), cause?.message || err.message);
    }
    return isFinishedJobSet(finished) ? { jobSet: finished, status: finished.status } : undefined;
  }

  /** Spec and status of a run through its queries (a worker of its task queue answers them). */
  private async queryRun(handle: WorkflowHandle<typeof jobSetWorkflow>): Promise<{ jobSet: JobSet; status: JobSetStatus }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const [jobSet, status] = await Promise.all([handle.query(jobSetQuery), handle.query(statusQuery)]);
        return { jobSet, status };
      } catch (err) {
        // No query handlers: the run is refusing its JobSet (it fails in its first task).
        if (!(err instanceof QueryNotRegisteredError)) throw err;
        const now = await handle.describe();
        if (now.status.name === 'FAILED') {
          const found = await this.finishedRun(handle, now);
          if (found) return found;
        }
        if (now.status.name !== 'RUNNING' || attempt >= 19) throw err;
        await sleep(250);
      }
    }
  }

  private endedRun(
    run: Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'closeTime'>,
    reason: string,
    message: string,
  ): Promise<{ jobSet: JobSet; status: JobSetStatus }> {
    return endedRunView(this.client, run, reason, message);
  }

  /** The handle of the JobSet's running workflow. */
  private async runningHandle(namespace: string, name: string, update: string): Promise<WorkflowHandle<typeof jobSetWorkflow>> {
    const id = workflowId(namespace, name);
    const latest = await this.describeLatest(id);
    if (!latest || this.isDeleted(latest)) throw new JobSetNotFoundError(namespace, name);
    if (latest.status.name !== 'RUNNING') {
      const info = await this.readRun(latest);
      throw new JobSetUpdateRejectedError(namespace, name, update, `the JobSet is finished (${info.status.terminalState || latest.status.name})`);
    }
    return this.client.workflow.getHandle<typeof jobSetWorkflow>(id);
  }

  private async update(namespace: string, name: string, update: string, run: () => Promise<JobSetStatus>): Promise<JobSetStatus> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        throw new JobSetUpdateRejectedError(namespace, name, update, err.cause?.message ?? err.message, { cause: err });
      }
      if (err instanceof WorkflowNotFoundError) {
        throw new JobSetUpdateRejectedError(namespace, name, update, 'the JobSet finished meanwhile', { cause: err });
      }
      throw err;
    }
  }

  /**
   * Runs `fn` with its Temporal requests cancelled at `deadline` (then throws `onTimeout()`), so
   * no request outlives the caller's timeout.
   */
  private async within<T>(deadline: number | undefined, fn: () => Promise<T>, onTimeout: () => Error): Promise<T> {
    if (deadline === undefined) return fn();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
    try {
      return await this.client.withAbortSignal(controller.signal, fn);
    } catch (err) {
      if (controller.signal.aborted) throw onTimeout();
      throw err;
    } finally {
      clearTimeout(timer);
      // Requests `fn` started and no longer awaits (a parallel query after the other failed).
      controller.abort();
    }
  }

  /** Waits for a run (and the runs it continues as) to end, however it ends. */
  private async awaitEnd(handle: WorkflowHandle): Promise<void> {
    try {
      await handle.result();
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err;
    }
  }
}

/** Whether the status shows the awaited condition. */
function reached(status: JobSetStatus, target: string): boolean {
  if (target === ConditionType.Completed) return status.terminalState === 'Completed' || isTrue(status, ConditionType.Completed);
  if (target === ConditionType.Failed) return status.terminalState === 'Failed' || isTrue(status, ConditionType.Failed);
  return isTrue(status, target);
}

/** Maps with at most `limit` calls in flight, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
