// The patches of the JobSet workflow (workflow.patched): each marks the runs that take a change
// made after JobSets were already running, so a run recorded before it replays without it
// (README, "Old runs replay"). A name here is never reused or removed while a run
// that recorded it may still be replayed.
/**
 * Marks runs whose admission (defaults, validation, dry run) is one activity, so the workflow
 * bundle evaluates no schema (issue 13 item 3). Runs started before it validate in the workflow.
 */
export const ADMISSION_PATCH = 'admission-activity';
/** Marks runs that dry-run their Jobs at admission (runs started before it replay without). */
export const DRY_RUN_PATCH = 'admission-dry-run';
/** Marks runs that give a JobSet without metadata.uid one (its first run's ID). */
export const CHILD_UID_PATCH = 'child-uid';
/**
 * Marks runs whose first pass of a new JobSet decides on an empty cluster instead of observing
 * it, and whose passes create the Service and PVCs in the same activity as the Jobs (issue 13
 * item 2: two Temporal round trips fewer before the first Job).
 */
export const FAST_START_PATCH = 'fast-start';
/**
 * Marks runs whose short steps are local activities (admission, status writes, Events, and acts on
 * at most LOCAL_MAX_JOBS Jobs): with 1,000 JobSets starting at once, the Temporal server's work per
 * activity task and workflow task was the bottleneck (issue 13). Runs started before it replay
 * with activities.
 */
export const LOCAL_ACTIVITIES_PATCH = 'local-activities';
/**
 * Marks runs that, between changes, wait for the workers' `childrenChanged` signal
 * (worker/child-signals.ts) instead of an observe activity, and read their children in a local
 * activity: a waiting JobSet holds no activity, no heartbeat and no watch, only a timer (issue 13
 * item 3). Runs started before it wait on the activity. Only runs with local activities take it.
 */
export const SIGNALLED_OBSERVE_PATCH = 'signalled-observe';
/**
 * How long a run waiting for the signal waits before it reads its children anyway. A safety net
 * only: failed signals are sent again, and a worker's cache that starts or re-lists signals every
 * JobSet it holds.
 */
export const SIGNALLED_RESYNC_MS = 30 * 60_000;
/**
 * Marks runs that, finding their JobSet resource deleted, wait OWNER_DELETED_GRACE_MS for the
 * bridge's cancellation before they clean up and fail (runs before it fail at once).
 */
export const OWNER_DELETED_GRACE_PATCH = 'owner-deleted-grace';
export const OWNER_DELETED_GRACE_MS = 10_000;
/**
 * Marks runs that decide FAST_START_PATCH and OWNER_DELETED_GRACE_PATCH before their first
 * command instead of asking for those patches after a local activity's result. A patch asked for
 * there cannot be replayed when the SDK's core ends the workflow task between the result and the
 * code after it, as it does to answer a query that arrives while the result is pending: the
 * marker is recorded in the next task, but on replay the code after the result runs in the task
 * that holds the result, where that marker is not yet known (nondeterminism error; seen in
 * test/resilience/faults.test.ts, shown by test/workflow/split-tasks.test.ts).
 */
export const DECIDED_AT_START_PATCH = 'decided-at-start';
