// Reading a JobSet run that ended without a finished JobSet in its close event (it refused the
// JobSet, or was terminated, timed out or failed by an error of its own): the SDK shows it and the
// bridge writes it to the resource as Failed, from the run's start event, so no worker is needed.
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { TerminatedFailure, TimeoutFailure } from '@temporalio/common';

import { ConditionType, RunEndedReason } from '../api/constants.js';
import { fromRawPayload } from '../codec/data-converter.js';
import type { JobSet, JobSetStatus } from '../api/schema.js';
import { initialStatus } from '../core/decide.js';

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
