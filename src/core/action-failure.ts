// What a pass does with an action the API server did not carry out (upstream has no such
// status: upstream's reconcile returns the error and requeues with backoff). An error that
// can heal (quota, policy webhook, RBAC, an outage) leaves the JobSet running with a
// ReconcileFailing condition naming the cause, and the workflow retries with backoff; a request
// the API server refuses as invalid cannot succeed on a retry, so the JobSet fails with that
// reason instead of stranding (its active Jobs are then deleted as for any failure).
import { EventReason, ReconcileFailingCondition } from '../api/constants.js';
import type { JobSetStatus } from '../api/schema.js';
import { markFailed, StatusDraft } from './conditions.js';
import type { ActionType, JobSetEvent } from './types.js';

/** The Event and condition reason of a failed action, one per action type (the compiler checks it). */
export const ActionFailureReason: Record<ActionType, string> = {
  EnsureService: EventReason.HeadlessServiceCreationFailed,
  EnsurePVCs: EventReason.PVCCreationFailed,
  CreateJobs: EventReason.JobCreationFailed,
  DeleteJobs: EventReason.JobDeletionFailed,
  SuspendJobs: EventReason.JobSuspensionFailed,
  ResumeJobs: EventReason.JobResumptionFailed,
};

export interface ActionFailure {
  reason: string;
  /** The API server's message (what the activity reported). */
  message: string;
  /** The request itself is invalid: no retry can succeed. */
  permanent: boolean;
}

/** Condition messages stay readable (and far inside the API's 32 KiB limit) with 5,000 failing Jobs. */
export const MaxFailureMessage = 1024;

const clip = (s: string): string => (s.length > MaxFailureMessage ? `${s.slice(0, MaxFailureMessage - 3)}...` : s);

/**
 * The status after a pass whose first failed action was `failure` (undefined: every action
 * succeeded). Returns the same object when nothing changes, so callers can compare by reference.
 */
export function applyActionFailure(status: JobSetStatus, failure: ActionFailure | undefined, now: string): { status: JobSetStatus; events: JobSetEvent[] } {
  const others = status.conditions.filter((c) => c.type !== ReconcileFailingCondition);
  const current = status.conditions.find((c) => c.type === ReconcileFailingCondition);
  if (failure === undefined) {
    return current ? { status: { ...status, conditions: others }, events: [] } : { status, events: [] };
  }
  const message = clip(failure.message);
  if (failure.permanent) {
    const draft = new StatusDraft({ ...status, conditions: others }, now);
    markFailed(draft, failure.reason, message);
    return { status: draft.status, events: draft.events };
  }
  if (current && current.reason === failure.reason && current.message === message) return { status, events: [] };
  const condition = {
    type: ReconcileFailingCondition,
    status: 'True' as const,
    reason: failure.reason,
    message,
    lastTransitionTime: current?.lastTransitionTime ?? now,
  };
  return { status: { ...status, conditions: [...others, condition] }, events: [] };
}

/** Backoff between passes that failed in a row, as upstream's requeue: 1 s doubling to 30 s. */
export function failureBackoffMs(failuresInARow: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, Math.min(failuresInARow - 1, 10)));
}
