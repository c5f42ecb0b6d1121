// A resource whose workflow ended without finishing the JobSet (terminated or timed out by an
// operator, failed by an error of its own, cancelled from Temporal while the resource exists, or
// its runs removed by the namespace's retention): the bridge writes the run's outcome to the
// resource as its terminal status and, when the run may have left Jobs running, starts a run that
// begins terminal and deletes them. How the run ended is read as the SDK reads it (src/client/runs.ts).
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';

import { ConditionType, RunEndedReason } from '../api/constants.js';
import type { JobSet, JobSetStatus } from '../api/schema.js';
import { closedRunOutcome, endedRunView, failedStatus, runEndedReason } from '../client/runs.js';
import { initialStatus } from '../core/decide.js';
import type { jobSetWorkflow } from '../../workflows/jobset.js';
import { type FinishedJobSet, JobSetNameKey, JobSetNamespaceKey, JobSetStateKey, ResourceUidMemo, workflowId, WorkflowType } from '../../workflows/contract.js';
import type { BridgeContext } from './context.js';
import { admitResource, BridgeReason, isFinished, ownerReference, resourceKey, type JobSetResource } from './resource.js';
import { applyStatus, event, readResource } from './writes.js';

/**
 * The resource's workflow ended without the resource showing a terminal status: terminated or
 * timed out by an operator, failed by an error of its own, cancelled from Temporal while the
 * resource exists, or its status write failed. The resource gets the run's final status (or
 * Failed, the reason naming how the run ended) and, when the run may have left Jobs running, a
 * new run that starts terminal deletes them (finished Jobs are kept, as for any failure). The
 * terminal status on the resource is what keeps the JobSet from ever being started again.
 */
export async function finishEndedRun(ctx: BridgeContext, obj: JobSetResource, latest: WorkflowExecutionDescription | undefined): Promise<void> {
  // The informer's copy may predate the workflow's last status write: decide on a fresh read.
  const fresh = await readResource(ctx, obj);
  if (!fresh || fresh.metadata.uid !== obj.metadata.uid || isFinished(fresh)) return;
  const namespace = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  const id = workflowId(namespace, name);
  const ended = latest ? await endedOutcome(ctx.options.temporal, latest) : undefined;
  const outcome = ended ?? {
    jobSet: undefined,
    status: failedStatus(
      { ...initialStatus(), ...fresh.status },
      RunEndedReason.Failed,
      `the workflow ${id} of this JobSet no longer exists (removed by the Temporal namespace's retention?); the JobSet is not started again`,
      new Date(),
    ),
    leftJobs: true,
  };
  const failed = outcome.status.conditions.find((c) => c.type === ConditionType.Failed && c.status === 'True');
  ctx.log(`${resourceKey(obj)}: workflow ended without finishing the JobSet: ${failed?.reason ?? outcome.status.terminalState}`);
  await applyStatus(ctx, obj, outcome.status);
  ctx.metrics.actions.inc({ action: 'finish_ended' });
  if (failed) await event(ctx, obj, 'Warning', failed.reason, failed.message);
  if (!outcome.leftJobs) return;
  const admitted = outcome.jobSet ? { ok: true as const, jobSet: outcome.jobSet } : admitResource(obj);
  if (!admitted.ok) return;
  try {
    await ctx.options.temporal.workflow.start<typeof jobSetWorkflow>(WorkflowType.JobSet, {
      taskQueue: ctx.options.taskQueue,
      workflowId: id,
      args: [{ jobSet: admitted.jobSet, owner: ownerReference(obj), status: outcome.status }],
      memo: { [ResourceUidMemo]: obj.metadata.uid },
      typedSearchAttributes: [
        { key: JobSetNamespaceKey, value: namespace },
        { key: JobSetNameKey, value: name },
        { key: JobSetStateKey, value: 'Failed' },
      ],
      staticSummary: `JobSet ${namespace}/${name}: delete the Jobs its ended workflow left (${failed?.reason ?? ''})`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * How a closed run ended: a finished JobSet (Completed, or Failed by its policies) with its
 * final status, or a Failed status naming how the run ended; `leftJobs` when its Jobs may still
 * run (a cancelled run deleted them, a finished one deleted the active ones).
 */
async function endedOutcome(
  temporal: Client,
  run: WorkflowExecutionDescription,
): Promise<{ jobSet: JobSet | undefined; status: JobSetStatus; leftJobs: boolean }> {
  const handle = temporal.workflow.getHandle<typeof jobSetWorkflow>(run.workflowId, run.runId, { followRuns: false });
  const outcome = await closedRunOutcome(handle);
  switch (outcome.kind) {
    case 'finished': {
      const finished = outcome.finished as FinishedJobSet;
      return { jobSet: finished, status: finished.status, leftJobs: false };
    }
    case 'invalid': {
      const view = await endedRunView(temporal, run, BridgeReason.ValidationFailed, outcome.message);
      return { ...view, leftJobs: false };
    }
    case 'ended': {
      if (outcome.cause instanceof CancelledFailure) {
        const view = await endedRunView(
          temporal,
          run,
          RunEndedReason.Cancelled,
          `workflow ${run.workflowId} was cancelled while this resource exists; its child objects were deleted`,
        );
        return { ...view, leftJobs: false };
      }
      const reason = runEndedReason(outcome.cause);
      const view = await endedRunView(
        temporal,
        run,
        reason,
        `workflow ${run.workflowId} (run ${run.runId}) ended ${run.status.name} without finishing the JobSet: ${outcome.message}`,
      );
      return { ...view, leftJobs: true };
    }
  }
}
