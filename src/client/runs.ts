// Reading JobSet runs, for the SDK (JobSetClient) and the bridge alike: one implementation of
// each read. The latest run under a JobSet's workflow ID says what the JobSet is (see client.ts).
// A closed run is read from its history, so no worker is needed: a finished JobSet from its close
// event; a run that ended without finishing it (it refused the JobSet, or was terminated, timed
// out or failed by an error of its own) from its start event, marked Failed (the SDK shows it so,
// the bridge writes it to the resource). A running run answers its queries.
import {
  QueryNotRegisteredError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowExecutionInfo,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';

import { ConditionType, RunEndedReason } from '../api/constants.js';
import { fromRawPayload } from '../codec/data-converter.js';
import type { JobSet, JobSetStatus } from '../api/schema.js';
import { initialStatus } from '../core/decide.js';
import { jobSetState } from '../core/state.js';
import type { jobSetWorkflow } from '../../workflows/jobset.js';
import {
  type FinishedJobSet,
  InvalidJobSetFailure,
  JobSetFailedFailure,
  JobSetNamespaceKey,
  jobSetQuery,
  JobSetStateKey,
  statusQuery,
  WorkflowType,
} from '../../workflows/contract.js';
import type { JobSetInfo, ListOptions } from './options.js';
import { sleep } from './timing.js';

/** The Failed reason of a run that ended without finishing its JobSet, by how it ended. */
export function runEndedReason(cause: unknown): string {
  if (cause instanceof TerminatedFailure) return RunEndedReason.Terminated;
  if (cause instanceof TimeoutFailure) return RunEndedReason.TimedOut;
  return RunEndedReason.Failed;
}

/** What a run was started with: the JobSet, and the status a continued run carried over. */
export async function runInput(
  client: Client,
  run: Pick<WorkflowExecutionInfo, 'workflowId' | 'runId'>,
): Promise<{ jobSet: JobSet; status?: JobSetStatus } | undefined> {
  const first = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: run.workflowId, runId: run.runId },
    maximumPageSize: 1,
  });
  const payload = first.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  // Raw history is not decoded by the SDK: decode it with the client's codec (an encrypted spec).
  return payload ? fromRawPayload<{ jobSet: JobSet; status?: JobSetStatus }>(client.options.loadedDataConverter, payload) : undefined;
}

/** `status` with a Failed condition (reason, message, at `when`) and terminalState Failed. */
export function failedStatus(status: JobSetStatus, reason: string, message: string, when: Date): JobSetStatus {
  const at = when.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    ...status,
    conditions: [
      ...status.conditions.filter((c) => c.type !== ConditionType.Failed),
      { type: ConditionType.Failed, status: 'True', reason, message, lastTransitionTime: at },
    ],
    terminalState: 'Failed',
  };
}

/**
 * The JobSet and its status as of the start of a run that ended without finishing it, marked
 * Failed with `reason` and `message` at the run's close time.
 */
export async function endedRunView(
  client: Client,
  run: Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'closeTime'>,
  reason: string,
  message: string,
): Promise<{ jobSet: JobSet; status: JobSetStatus }> {
  const input = await runInput(client, run);
  return {
    jobSet: input?.jobSet ?? ({ metadata: {}, spec: { replicatedJobs: [] } } as unknown as JobSet),
    status: failedStatus(input?.status ?? initialStatus(), reason, message, run.closeTime ?? new Date()),
  };
}

/** The latest run under the workflow ID, or undefined when no workflow ever ran under it. */
export async function describeLatest(client: Client, id: string): Promise<WorkflowExecutionDescription | undefined> {
  try {
    return await client.workflow.getHandle(id).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** A deleted JobSet: its latest run is a cleanup run, or a JobSet run that was cancelled. */
export function isDeleted(run: Pick<WorkflowExecutionInfo, 'type' | 'status'>): boolean {
  return run.type === WorkflowType.Cleanup || (run.type === WorkflowType.JobSet && run.status.name === 'CANCELLED');
}

/** Waits for a run (and the runs it continues as) to end, however it ends. */
export async function awaitEnd(handle: WorkflowHandle): Promise<void> {
  try {
    await handle.result();
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
  }
}

/** How a closed JobSet run ended, read from its close event. */
export type ClosedRunOutcome =
  /** Completed, or Failed by the JobSet's policies: what the run returned (a FinishedJobSet, shape unchecked). */
  | { kind: 'finished'; finished: unknown }
  /** It refused its JobSet (admission); the message says why. */
  | { kind: 'invalid'; message: string }
  /** Ended from outside (terminated, timed out, cancelled) or by an error of the workflow itself. */
  | { kind: 'ended'; cause: Error | undefined; message: string };

/** The outcome of the closed run `handle` names (a handle of one run: `followRuns: false`). */
export async function closedRunOutcome(handle: WorkflowHandle<typeof jobSetWorkflow>): Promise<ClosedRunOutcome> {
  try {
    return { kind: 'finished', finished: await handle.result() };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type === InvalidJobSetFailure) return { kind: 'invalid', message: cause.message };
    if (cause instanceof ApplicationFailure && cause.type === JobSetFailedFailure) return { kind: 'finished', finished: cause.details?.[0] };
    return { kind: 'ended', cause, message: cause?.message || err.message };
  }
}

// Every closed run is read from its history: its close event (a finished JobSet) or, for a run
// ended from outside (terminated, timed out), its start event.
export const readsFromHistory = (run: Pick<WorkflowExecutionInfo, 'status'>) => run.status.name !== 'RUNNING';
/** Completed and failed runs end with the finished JobSet in their close event. */
const isFinishedJobSet = (value: unknown): value is FinishedJobSet =>
  typeof value === 'object' && value !== null && 'spec' in value && 'metadata' in value && typeof (value as { status?: unknown }).status === 'object';

/** The SDK's reads of JobSet runs through one Temporal client: what `get`, `list` and the verbs show. */
export class RunReader {
  constructor(private readonly client: Client) {}

  /** The latest run under the ID, or undefined when no workflow ever ran under it. */
  describeLatest(id: string): Promise<WorkflowExecutionDescription | undefined> {
    return describeLatest(this.client, id);
  }

  /**
   * The newest run per JobSet workflow ID that Temporal visibility finds (search attributes
   * JobSetNamespace and JobSetState), deleted JobSets left out.
   */
  async latestRuns(filter: Pick<ListOptions, 'namespace' | 'state'>): Promise<WorkflowExecutionInfo[]> {
    const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    // Cleanup runs are fetched too: they mark an earlier run under the same ID as deleted.
    const types = filter.state
      ? `((WorkflowType = ${quote(WorkflowType.JobSet)} AND ${JobSetStateKey.name} = ${quote(filter.state)}) OR WorkflowType = ${quote(WorkflowType.Cleanup)})`
      : `WorkflowType IN (${quote(WorkflowType.JobSet)}, ${quote(WorkflowType.Cleanup)})`;
    const clauses = [types, `ExecutionStatus != 'ContinuedAsNew'`];
    if (filter.namespace) clauses.push(`${JobSetNamespaceKey.name} = ${quote(filter.namespace)}`);

    const newest = new Map<string, WorkflowExecutionInfo>();
    for await (const run of this.client.workflow.list({ query: clauses.join(' AND ') })) {
      const seen = newest.get(run.workflowId);
      if (!seen || run.startTime > seen.startTime) newest.set(run.workflowId, run);
    }
    return [...newest.values()].filter((run) => !isDeleted(run));
  }

  /**
   * Reads spec and status of one run: a finished run (Completed or Failed JobSet) from its
   * history, so no worker is needed; any other run through its queries.
   */
  async readRun(run: WorkflowExecutionInfo | WorkflowExecutionDescription): Promise<JobSetInfo> {
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
    const outcome = await closedRunOutcome(handle);
    switch (outcome.kind) {
      case 'finished':
        return isFinishedJobSet(outcome.finished) ? { jobSet: outcome.finished, status: outcome.finished.status } : undefined;
      case 'invalid':
        return endedRunView(this.client, run, InvalidJobSetFailure, outcome.message);
      case 'ended':
        // Ended from outside, or by an error of the workflow itself: the JobSet reads as Failed.
        return endedRunView(this.client, run, runEndedReason(outcome.cause), outcome.message);
    }
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
}
