// How the JobSet workflow calls its activities: the proxies with their timeouts and retries, the
// choice between an activity and a local one, and what a failed act means for the JobSet.
// Deterministic code only: bundled into the workflow sandbox with workflows/jobset.ts.
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  TimeoutFailure,
} from '@temporalio/workflow';

import type { JobSetActivities } from '../activities/jobset.js';
import { EventReason } from '../src/api/constants.js';
import { ActionFailureReason, type ActionFailure } from '../src/core/action-failure.js';
import type { Action } from '../src/core/types.js';

// Kubernetes errors are retried with backoff, as the upstream controller requeues. The observe
// activity retries for as long as it takes (the last failure is visible on the pending activity in
// the Temporal UI). Act activities try a few times, then hand the failure to the workflow, which
// shows it in the status (ReconcileFailing), observes again and retries with backoff: a pass
// decides on the cluster as it is now, not as it was when the failing request was made.
export const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s' } as const;
// Act activities are idempotent and heartbeat between batches of requests: a worker that dies in
// the middle of one delays the JobSet by at most ~15 s (the heartbeat timeout) before another
// worker retries, while creating 5,000 Jobs may take minutes (start-to-close).
const ACT_TIMEOUT = '5 minutes';
const ACT_HEARTBEAT = '15 seconds';
const ACT_ATTEMPTS = 3;
// A cancelled workflow waits for its act activities to stop (they heartbeat between batches)
// before its cleanup lists the children: a Job created after that list would be left behind.
export const act = proxyActivities<JobSetActivities>({
  startToCloseTimeout: ACT_TIMEOUT,
  heartbeatTimeout: ACT_HEARTBEAT,
  retry: { ...retry, maximumAttempts: ACT_ATTEMPTS },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});
// The observe activity waits on a watch for up to a minute. Its heartbeats (which the SDK sends
// at most every 80 % of the timeout) are each a write on the Temporal server: with 1,000 waiting
// JobSets a 10 s timeout made ~125 writes per second, and the dev server spent more CPU than the
// worker. 30 s: a third of that; a crashed worker's watches move to another worker within 30 s.
const OBSERVE_HEARTBEAT = '30 seconds';
export const watch = proxyActivities<JobSetActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: OBSERVE_HEARTBEAT,
  retry,
});

// Admission is pure work and a dry run whose errors it absorbs: retried until it answers.
export const admission = proxyActivities<JobSetActivities>({ startToCloseTimeout: '2 minutes', retry });

// The same steps as local activities (LOCAL_ACTIVITIES_PATCH): the worker runs them inside the
// workflow task and records each as a marker, so the Temporal server schedules no activity task and
// no further workflow task for them. A worker that dies during one fails its workflow task, and
// the worker that retries the task runs the step again (the steps are idempotent).
const LOCAL_TIMEOUT = '2 minutes';
export const actLocal = proxyLocalActivities<JobSetActivities>({ startToCloseTimeout: LOCAL_TIMEOUT, retry: { ...retry, maximumAttempts: ACT_ATTEMPTS } });
/** Admission and reads: retried until they answer, like the activities they replace. */
export const localUntilDone = proxyLocalActivities<JobSetActivities>({ startToCloseTimeout: LOCAL_TIMEOUT, retry });
/**
 * The largest act (in Jobs) run as a local activity: one batch of the act activities' requests
 * (PARALLELISM in activities/shared.ts), which has nothing to heartbeat between. A larger act is an
 * activity of its own: it heartbeats between batches, so a worker that dies half way through
 * 5,000 Jobs hands it to another within the heartbeat timeout.
 */
export const LOCAL_MAX_JOBS = 50;

// Deleting every child object of a deleted or expired JobSet: as long as it takes, retried until
// it is done; it heartbeats between batches, and a cancellation waits for it to stop, as an act's.
export const cleanup = proxyActivities<JobSetActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/** The proxy for an act on `jobs` Jobs: local when the run allows it (`local`) and the act is small. */
export function actOn(local: boolean, jobs: number): typeof act {
  return local && jobs <= LOCAL_MAX_JOBS ? actLocal : act;
}

/**
 * The failure an act reported: an activity's failure carries it as its cause, a local activity's
 * failure is that failure itself. Undefined for anything else (a cancellation, a bug).
 */
export function actCause(err: unknown): Error | undefined {
  if (isCancellation(err)) return undefined;
  if (err instanceof ActivityFailure) return err.cause ?? err;
  return err instanceof ApplicationFailure || err instanceof TimeoutFailure ? err : undefined;
}

/**
 * What a failed act means for the JobSet. Anything that is not an act's failure (a cancellation,
 * a bug) is thrown on.
 */
export function actionFailure(err: unknown, reason: string): ActionFailure {
  const cause = actCause(err);
  if (!cause) throw err;
  return { reason, message: cause.message, permanent: cause instanceof ApplicationFailure && cause.nonRetryable === true };
}

/** The reason of a failed action; a CreateJobs that also ensured the Service or PVCs says which step failed. */
export function failureReason(action: Action, err: unknown): string {
  const cause = actCause(err);
  const type = cause instanceof ApplicationFailure ? cause.type : undefined;
  if (action.type === 'CreateJobs' && (type === EventReason.HeadlessServiceCreationFailed || type === EventReason.PVCCreationFailed)) return type;
  return ActionFailureReason[action.type];
}
