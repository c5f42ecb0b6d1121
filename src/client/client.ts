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
//
// This module holds the verbs (JobSetClient). What they build on lives beside it: the options and
// results (options.ts), offline preparation (prepare.ts), starting a workflow (start.ts), reading
// runs (runs.ts, shared with the bridge), and timing helpers (timing.ts).
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';

import { ConditionType } from '../api/constants.js';
import { codecDataConverter } from '../codec/data-converter.js';
import type { JobSet, JobSetInput, JobSetStatus } from '../api/schema.js';
import { diffPaths } from '../api/semantic-equal.js';
import { parseResumeRequest, type ResumeRequest, type SuspendRequest } from '../api/updates.js';
import type { jobSetCleanupWorkflow } from '../../workflows/cleanup.js';
import type { jobSetWorkflow } from '../../workflows/jobset.js';
import { JobSetNameKey, JobSetNamespaceKey, jobSetQuery, resumeUpdate, suspendUpdate, workflowId, WorkflowType } from '../../workflows/contract.js';
import {
  JobSetConditionUnreachableError,
  JobSetConflictError,
  JobSetFailedError,
  JobSetNotFoundError,
  JobSetUpdateRejectedError,
  JobSetWaitTimeoutError,
} from './errors.js';
import {
  DEFAULT_NAMESPACE,
  DEFAULT_TASK_QUEUE,
  type JobSetClientOptions,
  type JobSetConnectOptions,
  type JobSetInfo,
  type ListOptions,
  type SubmitOptions,
  type SubmitResult,
  type WaitOptions,
  type WatchOptions,
} from './options.js';
import { comparable, prepareJobSet } from './prepare.js';
import { awaitEnd, isDeleted, readsFromHistory, RunReader } from './runs.js';
import { matchesLabels, parseLabelSelector } from './selector.js';
import { hasWorkflowPoller, startJobSet } from './start.js';
import { abortableSleep, mapLimit, sleep, within } from './timing.js';

const isTrue = (status: JobSetStatus, type: string) => status.conditions.some((c) => c.type === type && c.status === 'True');
const isFinished = (status: JobSetStatus) => status.terminalState === 'Completed' || status.terminalState === 'Failed';

export class JobSetClient {
  readonly client: Client;
  readonly taskQueue: string;
  readonly defaultNamespace: string;
  private readonly ownedConnection: Connection | undefined;
  private readonly runs: RunReader;

  constructor(options: JobSetClientOptions, ownedConnection?: Connection) {
    this.client = options.client;
    this.taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
    this.defaultNamespace = options.defaultNamespace ?? DEFAULT_NAMESPACE;
    this.ownedConnection = ownedConnection;
    this.runs = new RunReader(this.client);
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
      const latest = await this.runs.describeLatest(id);
      if (latest && !isDeleted(latest)) {
        if (latest.status.name === 'RUNNING' && latest.type === WorkflowType.Cleanup) {
          await awaitEnd(this.client.workflow.getHandle(id, latest.runId));
          continue;
        }
        const info = await this.runs.readRun(latest);
        const differences = diffPaths(comparable(info.jobSet), comparable(jobSet));
        if (differences.length > 0) throw new JobSetConflictError(namespace, name, differences);
        return { jobSet: info.jobSet, workflowId: id, runId: info.runId, created: false };
      }
      if (latest?.status.name === 'RUNNING') {
        // A cleanup run still deleting the previous JobSet's children.
        await awaitEnd(this.client.workflow.getHandle(id, latest.runId));
      }
      try {
        const runId = await startJobSet(this.client, this.taskQueue, jobSet);
        return { jobSet, workflowId: id, runId, created: true };
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || round >= 3) throw err;
      }
    }
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
    const latest = await this.runs.describeLatest(workflowId(namespace, name));
    if (!latest || isDeleted(latest)) throw new JobSetNotFoundError(namespace, name);
    return this.runs.readRun(latest);
  }

  /**
   * JobSets found through Temporal visibility (search attributes JobSetNamespace and
   * JobSetState), newest run per workflow ID, deleted ones left out, sorted by namespace and name.
   * Visibility is eventually consistent: a JobSet submitted a moment ago may be missing.
   * @throws InvalidLabelSelectorError
   */
  async list(options: ListOptions = {}): Promise<JobSetInfo[]> {
    const selector = parseLabelSelector(options.labelSelector ?? '');
    const live = await this.runs.latestRuns(options);
    const queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
    // A query waits for a worker of the run's task queue: skip at once the queues nobody polls.
    const polled = new Map<string, Promise<boolean>>();
    const isPolled = (taskQueue: string) => {
      if (!polled.has(taskQueue)) polled.set(taskQueue, hasWorkflowPoller(this.client, taskQueue));
      return polled.get(taskQueue) as Promise<boolean>;
    };
    const infos = await mapLimit(live, 8, async (run) => {
      try {
        if (!readsFromHistory(run) && !(await isPolled(run.taskQueue))) throw new Error(`no worker polls its task queue ${run.taskQueue}`);
        const deadline = Date.now() + queryTimeoutMs;
        return await within(
          this.client,
          deadline,
          () => this.runs.readRun(run),
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
      const info = await within(this.client, deadline, () => this.get(namespace, name), timeout);
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
      const latest = await this.runs.describeLatest(id);
      if (!latest) throw new JobSetNotFoundError(namespace, name);
      const handle = this.client.workflow.getHandle(id, latest.runId);
      if (latest.type === WorkflowType.Cleanup) {
        // A delete already under way (or done): wait for it, as a second `kubectl delete` would.
        if (latest.status.name !== 'RUNNING') throw new JobSetNotFoundError(namespace, name);
        await awaitEnd(handle);
        return;
      }
      if (latest.status.name === 'CANCELLED') throw new JobSetNotFoundError(namespace, name);
      if (latest.status.name === 'RUNNING') {
        await this.client.workflow.getHandle(id).cancel();
        await awaitEnd(this.client.workflow.getHandle(id));
        // Ended otherwise than cancelled (it finished just before the cancel): clean up below.
        const after = await this.runs.describeLatest(id);
        if (!after || isDeleted(after)) return;
        if (round >= 3) throw new Error(`JobSet ${namespace}/${name} did not end after cancellation`);
        continue;
      }
      const info = await this.runs.readRun(latest);
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

  /** The handle of the JobSet's running workflow. */
  private async runningHandle(namespace: string, name: string, update: string): Promise<WorkflowHandle<typeof jobSetWorkflow>> {
    const id = workflowId(namespace, name);
    const latest = await this.runs.describeLatest(id);
    if (!latest || isDeleted(latest)) throw new JobSetNotFoundError(namespace, name);
    if (latest.status.name !== 'RUNNING') {
      const info = await this.runs.readRun(latest);
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
}

/** Whether the status shows the awaited condition. */
function reached(status: JobSetStatus, target: string): boolean {
  if (target === ConditionType.Completed) return status.terminalState === 'Completed' || isTrue(status, ConditionType.Completed);
  if (target === ConditionType.Failed) return status.terminalState === 'Failed' || isTrue(status, ConditionType.Failed);
  return isTrue(status, target);
}
