// One JobSet = one workflow: a durable reconcile loop. Observe the child Jobs (an activity that
// returns when something the decision depends on changes), decide (pure, src/core), act
// (activities), publish the status, repeat until the JobSet is terminal.
//
// Deterministic code only: this file is bundled into the workflow sandbox.
import type { V1OwnerReference } from '@kubernetes/client-node';
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import type { JobSetActivities, ObserveResult, Written } from '../activities/jobset.js';
import { formatIssue, type FieldIssue } from '../src/api/errors.js';
import type { JobSet, JobSetStatus } from '../src/api/schema.js';
import { EventReason } from '../src/api/constants.js';
import { applyResume, parseResumeRequest, parseSuspendRequest, type ResumeRequest, type SuspendRequest } from '../src/api/updates.js';
import { ActionFailureReason, applyActionFailure, failureBackoffMs, type ActionFailure } from '../src/core/action-failure.js';
import { markFailed, StatusDraft } from '../src/core/conditions.js';
import { decide, initialStatus, isTerminal } from '../src/core/decide.js';
import { usesMessagePatterns } from '../src/core/failure-policy.js';
import { foldCreates } from '../src/core/fold-creates.js';
import { jobSetName, jobSetNamespace } from '../src/core/naming.js';
import { describeStatus, jobSetState } from '../src/core/state.js';
import { encodeJobNames, encodeJobRefs, expandObservation } from '../src/core/wire.js';
import { advance } from '../src/core/resource-version.js';
import { ttlExpiry } from '../src/core/ttl.js';
import type { Action, Observation } from '../src/core/types.js';
import {
  admittedUpdate,
  childrenChangedSignal,
  type FinishedJobSet,
  InvalidJobSetFailure,
  JobSetFailedFailure,
  JobSetNameKey,
  JobSetNamespaceKey,
  jobSetQuery,
  JobSetRestartsKey,
  JobSetStateKey,
  OwnerDeletedFailure,
  resumeUpdate,
  statusQuery,
  suspendUpdate,
} from './contract.js';

export interface JobSetWorkflowInput {
  /**
   * The JobSet. Clients default and validate it (src/api); the first run admits it again in an
   * activity (clients in other languages can only check its shape). metadata.uid labels its children.
   */
  jobSet: JobSet;
  /** Owner reference to the JobSet custom resource when the bridge started this workflow. */
  owner?: V1OwnerReference;
  /** Carried across continue-as-new (each run starts with a fresh observation). */
  status?: JobSetStatus;
  /**
   * Continue-as-new after this many reconcile passes in one run even if the server does not
   * suggest it yet (keeps histories short; tests set it low to exercise continue-as-new).
   */
  maxPassesPerRun?: number;
  /** How long one observe call may wait for a change before re-listing (default 60 s). */
  observeMaxWaitMs?: number;
  /** Child Jobs with malformed labels already reported by an Event (carried across continue-as-new). */
  reportedMalformedJobs?: string[];
  /**
   * The latest resourceVersion of the child Jobs the previous run wrote or observed: the first
   * observation of this run waits for the worker's cache to have seen it. Absent in a run
   * continued from one that did not know it: its observations list the Jobs until it writes.
   */
  minResourceVersion?: string;
}

// Kubernetes errors are retried with backoff, as the upstream controller requeues. The observe
// activity retries for as long as it takes (the last failure is visible on the pending activity in
// the Temporal UI). Act activities try a few times, then hand the failure to the workflow, which
// shows it in the status (ReconcileFailing), observes again and retries with backoff: a pass
// decides on the cluster as it is now, not as it was when the failing request was made.
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s' } as const;
// Act activities are idempotent and heartbeat between batches of requests: a worker that dies in
// the middle of one delays the JobSet by at most ~15 s (the heartbeat timeout) before another
// worker retries, while creating 5,000 Jobs may take minutes (start-to-close).
const ACT_TIMEOUT = '5 minutes';
const ACT_HEARTBEAT = '15 seconds';
const ACT_ATTEMPTS = 3;
// A cancelled workflow waits for its act activities to stop (they heartbeat between batches)
// before its cleanup lists the children: a Job created after that list would be left behind.
const act = proxyActivities<JobSetActivities>({
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
const watch = proxyActivities<JobSetActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: OBSERVE_HEARTBEAT,
  retry,
});

// Admission is pure work and a dry run whose errors it absorbs: retried until it answers.
const admission = proxyActivities<JobSetActivities>({ startToCloseTimeout: '2 minutes', retry });

// The same steps as local activities (LOCAL_ACTIVITIES_PATCH): the worker runs them inside the
// workflow task and records each as a marker, so the Temporal server schedules no activity task and
// no further workflow task for them. A worker that dies during one fails its workflow task, and
// the worker that retries the task runs the step again (the steps are idempotent).
const LOCAL_TIMEOUT = '2 minutes';
const actLocal = proxyLocalActivities<JobSetActivities>({ startToCloseTimeout: LOCAL_TIMEOUT, retry: { ...retry, maximumAttempts: ACT_ATTEMPTS } });
/** Admission and reads: retried until they answer, like the activities they replace. */
const localUntilDone = proxyLocalActivities<JobSetActivities>({ startToCloseTimeout: LOCAL_TIMEOUT, retry });
/**
 * The largest act (in Jobs) run as a local activity: one batch of the act activities' requests
 * (PARALLELISM in activities/jobset.ts), which has nothing to heartbeat between. A larger act is an
 * activity of its own: it heartbeats between batches, so a worker that dies half way through
 * 5,000 Jobs hands it to another within the heartbeat timeout.
 */
const LOCAL_MAX_JOBS = 50;

const DEFAULT_MAX_PASSES = 500;
/**
 * Marks runs whose admission (defaults, validation, dry run) is one activity, so the workflow
 * bundle evaluates no schema (issue 13 item 3). Runs started before it validate in the workflow.
 */
const ADMISSION_PATCH = 'admission-activity';
/** Marks runs that dry-run their Jobs at admission (runs started before it replay without). */
const DRY_RUN_PATCH = 'admission-dry-run';
/** Marks runs that give a JobSet without metadata.uid one (its first run's ID). */
const CHILD_UID_PATCH = 'child-uid';
/**
 * Marks runs whose first pass of a new JobSet decides on an empty cluster instead of observing
 * it, and whose passes create the Service and PVCs in the same activity as the Jobs (issue 13
 * item 2: two Temporal round trips fewer before the first Job).
 */
const FAST_START_PATCH = 'fast-start';
/**
 * Marks runs whose short steps are local activities (admission, status writes, Events, and acts on
 * at most LOCAL_MAX_JOBS Jobs): with 1,000 JobSets starting at once, the Temporal server's work per
 * activity task and workflow task was the bottleneck (issue 13). Runs started before it replay
 * with activities.
 */
const LOCAL_ACTIVITIES_PATCH = 'local-activities';
/**
 * Marks runs that, between changes, wait for the workers' `childrenChanged` signal
 * (worker/child-signals.ts) instead of an observe activity, and read their children in a local
 * activity: a waiting JobSet holds no activity, no heartbeat and no watch, only a timer (issue 13
 * item 3). Runs started before it wait on the activity. Only runs with local activities take it.
 */
const SIGNALLED_OBSERVE_PATCH = 'signalled-observe';
/**
 * How long a run waiting for the signal waits before it reads its children anyway. A safety net
 * only: failed signals are sent again, and a worker's cache that starts or re-lists signals every
 * JobSet it holds.
 */
const SIGNALLED_RESYNC_MS = 30 * 60_000;
/**
 * Marks runs that, finding their JobSet resource deleted, wait OWNER_DELETED_GRACE_MS for the
 * bridge's cancellation before they clean up and fail (runs before it fail at once).
 */
const OWNER_DELETED_GRACE_PATCH = 'owner-deleted-grace';
const OWNER_DELETED_GRACE_MS = 10_000;
/**
 * Marks runs that decide FAST_START_PATCH and OWNER_DELETED_GRACE_PATCH before their first
 * command instead of asking for those patches after a local activity's result. A patch asked for
 * there cannot be replayed when the SDK's core ends the workflow task between the result and the
 * code after it, as it does to answer a query that arrives while the result is pending: the
 * marker is recorded in the next task, but on replay the code after the result runs in the task
 * that holds the result, where that marker is not yet known (nondeterminism error; seen in
 * test/resilience/faults.test.ts, shown by test/workflow/split-tasks.test.ts).
 */
const DECIDED_AT_START_PATCH = 'decided-at-start';

/** The workflow's refusal of a JobSet at admission: the field issues as the failure's detail. */
function refusal(issues: readonly FieldIssue[]): ApplicationFailure {
  const lines = issues.length > 0 ? issues.map(formatIssue) : ['metadata.name: Required value'];
  return ApplicationFailure.create({ type: InvalidJobSetFailure, message: `invalid JobSet:\n${lines.join('\n')}`, nonRetryable: true, details: [issues] });
}

/**
 * The failure an act reported: an activity's failure carries it as its cause, a local activity's
 * failure is that failure itself. Undefined for anything else (a cancellation, a bug).
 */
function actCause(err: unknown): Error | undefined {
  if (isCancellation(err)) return undefined;
  if (err instanceof ActivityFailure) return err.cause ?? err;
  return err instanceof ApplicationFailure || err instanceof TimeoutFailure ? err : undefined;
}

/**
 * What a failed act means for the JobSet. Anything that is not an act's failure (a cancellation,
 * a bug) is thrown on.
 */
function actionFailure(err: unknown, reason: string): ActionFailure {
  const cause = actCause(err);
  if (!cause) throw err;
  return { reason, message: cause.message, permanent: cause instanceof ApplicationFailure && cause.nonRetryable === true };
}

export async function jobSetWorkflow(input: JobSetWorkflowInput): Promise<FinishedJobSet> {
  let status: JobSetStatus = input.status ?? initialStatus();
  // The admission verdict, answered by the `admitted` Update (Update-with-start from clients).
  let refused: FieldIssue[] | undefined;
  let admitted = false;
  setHandler(admittedUpdate, async () => {
    await condition(() => admitted || refused !== undefined);
    if (refused) throw refusal(refused);
    return status;
  });
  const refuse = async (issues: FieldIssue[]): Promise<never> => {
    refused = issues;
    await condition(allHandlersFinished);
    throw refusal(issues);
  };

  // The JobSet as given until admission has defaulted and validated it (a continued run's was
  // admitted by the first run). Updates accepted before that are applied again to the admitted one.
  let js = input.jobSet;
  const changedBeforeAdmission: Array<(j: JobSet) => JobSet> = [];
  const change = (f: (j: JobSet) => JobSet) => {
    js = f(js);
    if (!admitted) changedBeforeAdmission.push(f);
  };
  let namespace = '';
  let name = '';
  const admit = (admittedJobSet: JobSet) => {
    js = changedBeforeAdmission.reduce((j, f) => f(j), admittedJobSet);
    namespace = jobSetNamespace(js);
    name = jobSetName(js);
  };
  let lastObservation: Observation | undefined;
  let lastDigest: string | undefined;
  const owner = input.owner;
  const target = () => (owner ? { jobSet: js, owner } : { jobSet: js });
  // Decided before the first command, once per run (a continued run records it again).
  const local = patched(LOCAL_ACTIVITIES_PATCH);
  /** The proxy for an act on `jobs` Jobs: local when the run allows it and the act is small. */
  const actOn = (jobs: number) => (local && jobs <= LOCAL_MAX_JOBS ? actLocal : act);
  const signalled = local && patched(SIGNALLED_OBSERVE_PATCH);
  const decidedAtStart = local && patched(DECIDED_AT_START_PATCH);
  // Set by the signal, cleared as a read starts: a change signalled during a read is read again.
  let childrenChanged = false;
  // The last read said the worker's cache signals changes to these children.
  let signalledChildren = false;
  setHandler(childrenChangedSignal, () => void (childrenChanged = true));

  // Spec changes from Updates bump `specVersion`; the loop records in `appliedVersion` the
  // version its last completed pass acted on, so an Update returns the status that reflects it.
  let specVersion = 0;
  let appliedVersion = 0;
  let observeScope: CancellationScope | undefined;
  const wake = () => observeScope?.cancel();

  setHandler(statusQuery, () => status);
  setHandler(jobSetQuery, () => js);
  setHandler(
    suspendUpdate,
    async () => {
      change((j) => ({ ...j, spec: { ...j.spec, suspend: true } }));
      const mine = ++specVersion;
      wake();
      // A JobSet refused by the admission dry run never runs a pass: the Update fails with it.
      await condition(() => appliedVersion >= mine || refused !== undefined);
      if (refused) throw refusal(refused);
      return status;
    },
    {
      validator: (request: SuspendRequest) => {
        parseSuspendRequest(request);
        if (isTerminal(status)) throw new Error(`JobSet ${namespace}/${name} is finished (${status.terminalState}); it cannot be suspended`);
      },
    },
  );
  setHandler(
    resumeUpdate,
    async (request: ResumeRequest) => {
      const parsed = parseResumeRequest(admitted ? js : undefined, request);
      change((j) => applyResume(j, parsed));
      const mine = ++specVersion;
      wake();
      // A JobSet refused by the admission dry run never runs a pass: the Update fails with it.
      await condition(() => appliedVersion >= mine || refused !== undefined);
      if (refused) throw refusal(refused);
      return status;
    },
    {
      validator: (request: ResumeRequest) => {
        // Before admission only its shape: the replicated jobs' names are not known yet.
        parseResumeRequest(admitted ? js : undefined, request);
        if (isTerminal(status)) throw new Error(`JobSet ${namespace}/${name} is finished (${status.terminalState}); it cannot be resumed`);
      },
    },
  );

  const publish = () => {
    upsertSearchAttributes([
      { key: JobSetNamespaceKey, value: namespace },
      { key: JobSetNameKey, value: name },
      { key: JobSetStateKey, value: jobSetState(js, status) },
      { key: JobSetRestartsKey, value: status.restarts },
    ]);
    setCurrentDetails(describeStatus(js, status));
  };

  /**
   * Observes until the cluster differs from `lastDigest` (at once when `immediate`); undefined
   * when an Update cut the wait short.
   */
  const observe = async (immediate: boolean): Promise<ObserveResult | undefined> => {
    const scope = new CancellationScope();
    observeScope = scope;
    try {
      return await scope.run(() =>
        watch.observeChildren.executeWithOptions(
          { startToCloseTimeout: '10 minutes', heartbeatTimeout: OBSERVE_HEARTBEAT, retry, summary: `watch child Jobs of ${namespace}/${name}` },
          [
            {
              ...target(),
              ...(lastDigest && !immediate ? { lastDigest } : {}),
              maxWaitMs: input.observeMaxWaitMs ?? 60_000,
              ...(freshAsOf !== undefined ? { minResourceVersion: freshAsOf } : {}),
            },
          ],
        ),
      );
    } catch (err) {
      // Our own wake-up, not a cancellation of the workflow: decide again with the new spec.
      if (isCancellation(err) && scope.consideredCancelled && !CancellationScope.current().consideredCancelled) return undefined;
      throw err;
    } finally {
      observeScope = undefined;
    }
  };

  /**
   * With SIGNALLED_OBSERVE_PATCH: reads the children at once in a local activity when `immediate`;
   * otherwise waits for the `childrenChanged` signal, an Update or the resync, then reads them. A
   * JobSet whose children the worker does not signal (a namespace its cache does not cover)
   * observes with the activity, which watches on its own.
   */
  const observeSignalled = async (immediate: boolean): Promise<ObserveResult | undefined> => {
    if (!immediate) {
      if (!signalledChildren) return observe(false);
      const mine = specVersion;
      await condition(() => childrenChanged || specVersion !== mine, input.observeMaxWaitMs ?? SIGNALLED_RESYNC_MS, {
        summary: 'wait for a change to the child Jobs (or the resync)',
      });
    }
    childrenChanged = false;
    const observed = await localUntilDone.observeChildren.executeWithOptions({ summary: `read child Jobs of ${namespace}/${name}` }, [
      { ...target(), maxWaitMs: 0, ...(freshAsOf !== undefined ? { minResourceVersion: freshAsOf } : {}) },
    ]);
    signalledChildren = observed.signalled === true;
    return observed;
  };
  const observeNext = (immediate: boolean) => (signalled ? observeSignalled(immediate) : observe(immediate));

  /**
   * The latest resourceVersion this run wrote or observed (src/core/resource-version.ts): an
   * observation reads the worker's cache once that has seen it, so a pass never decides on a
   * cluster older than the one it acted on. Undefined: unknown (an act activity failed part way,
   * or returned nothing, as those recorded before the cache did), and observations list the Jobs
   * from the API server until the next write.
   */
  let freshAsOf = input.status === undefined ? '0' : input.minResourceVersion;
  const perform = async (action: Action): Promise<Written> => {
    switch (action.type) {
      case 'EnsureService':
        return actOn(0).ensureService.executeWithOptions({ summary: 'ensure the headless Service' }, [target()]);
      case 'EnsurePVCs':
        return actOn(0).ensurePVCs.executeWithOptions({ summary: 'ensure the PVCs' }, [target()]);
      // Lists of Jobs travel as index ranges (src/core/wire.ts): 5,000 names would not fit a payload.
      case 'CreateJobs':
        return actOn(action.jobs.length).createJobs.executeWithOptions(
          {
            summary: `${action.ensureService ? 'Service, ' : ''}${action.ensurePVCs ? 'PVCs, ' : ''}create ${action.jobs.length} Job(s), restart attempt ${status.restarts}`,
          },
          [
            {
              ...target(),
              status,
              refs: encodeJobRefs(action.jobs),
              ...(action.ensureService ? { ensureService: true } : {}),
              ...(action.ensurePVCs ? { ensurePVCs: true } : {}),
            },
          ],
        );
      case 'DeleteJobs':
        return actOn(action.names.length).deleteJobs.executeWithOptions(
          { summary: `delete ${action.names.length} Job(s): ${action.names.slice(0, 3).join(', ')}${action.names.length > 3 ? ', ...' : ''}` },
          [
            {
              namespace,
              jobSetName: name,
              encoded: encodeJobNames(
                js,
                action.names.map((n) => ({ name: n })),
              ),
            },
          ],
        );
      case 'SuspendJobs':
        return actOn(action.names.length).suspendJobs.executeWithOptions({ summary: `suspend ${action.names.length} Job(s)` }, [
          {
            namespace,
            jobSetName: name,
            encoded: encodeJobNames(
              js,
              action.names.map((n) => ({ name: n })),
            ),
          },
        ]);
      case 'ResumeJobs':
        return actOn(action.jobs.length).resumeJobs.executeWithOptions({ summary: `resume ${action.jobs.length} Job(s)` }, [
          { ...target(), encoded: encodeJobNames(js, action.jobs) },
        ]);
      default:
        return assertNever(action);
    }
  };

  let reportedMalformedJobs = input.reportedMalformedJobs ?? [];
  // Set once admission passed (FAST_START_PATCH); runs started before it replay without.
  let fastStart = false;
  // The status the custom resource last received differs from `status` (a write failed).
  let statusDirty = false;
  const writeStatus = async (): Promise<void> => {
    // The custom resource (bridge) shows the same status object, for kubectl get/wait/describe.
    if (!owner) return;
    try {
      await actOn(0).writeStatus.executeWithOptions({ summary: 'write status to the JobSet resource' }, [{ ...target(), status }]);
      statusDirty = false;
    } catch (err) {
      actionFailure(err, 'StatusUpdateFailed');
      statusDirty = true;
      log.warn('writing the status to the JobSet resource failed; the next pass writes it again', { error: String(err) });
    }
  };

  /**
   * One decide + act + publish pass over an observation. Every action is tried (a failed create
   * must not keep a suspend from reaching the Jobs); the first failure decides what the pass
   * reports (see src/core/action-failure.ts).
   */
  const pass = async (observation: Observation): Promise<{ terminal: boolean; changed: boolean; failed: boolean }> => {
    const version = specVersion;
    const now = new Date().toISOString();
    // Only passes change the status, so the status now is the one last published.
    const before = JSON.stringify(status);
    const decision = decide(js, status, observation, now, { reportedMalformedJobs, ...(compilePattern ? { compilePattern } : {}) });
    status = decision.status;
    let failure: ActionFailure | undefined;
    for (const action of fastStart ? foldCreates(decision.actions) : decision.actions) {
      try {
        const written = await perform(action);
        // Recorded before the cache, an act activity's result is empty: the version is unknown.
        freshAsOf = written ? advance(freshAsOf, written.resourceVersion) : undefined;
      } catch (err) {
        const cause = actCause(err);
        if (cause instanceof ApplicationFailure && cause.type === OwnerDeletedFailure) throw cause;
        failure ??= actionFailure(err, failureReason(action, err));
        // It may have written part of its work.
        freshAsOf = undefined;
      }
    }
    const after = applyActionFailure(status, failure, now);
    status = after.status;
    const changed = JSON.stringify(status) !== before;
    if (changed || statusDirty) {
      publish();
      await writeStatus();
    }
    const events = [...decision.events, ...after.events];
    if (events.length > 0) {
      try {
        await actOn(0).emitEvents.executeWithOptions({ summary: events.map((e) => e.reason).join(', ') }, [{ ...target(), events }]);
        // Reported once each: a Job whose labels stay malformed is not announced on every pass.
        reportedMalformedJobs = decision.malformedJobs;
      } catch (err) {
        // Best effort, as client-go's event recorder: the status carries the same facts.
        actionFailure(err, 'EventFailed');
        log.warn('emitting events failed', { error: String(err) });
      }
    } else reportedMalformedJobs = decision.malformedJobs;
    appliedVersion = version;
    return { terminal: isTerminal(status), changed, failed: failure !== undefined && !failure.permanent };
  };

  /**
   * Admission's server-side dry run of one Job per replicated job: a spec the API server refuses
   * (a pod template it finds invalid) fails the JobSet with its field paths before anything is
   * created. Only the first run of a JobSet does it: later runs continue one that passed.
   */
  const dryRun = async (): Promise<FieldIssue[]> => {
    try {
      return await act.dryRunJobs.executeWithOptions({ summary: 'admission: dry run of the child Jobs' }, [target()]);
    } catch (err) {
      actionFailure(err, 'DryRunFailed');
      // The API server could not answer: not the spec's fault; creation retries as usual.
      return [];
    }
  };
  /** A JobSet the API server's dry run refused: Failed (ValidationFailed) on the resource and in an Event. */
  const refuseAtDryRun = async (issues: FieldIssue[]): Promise<never> => {
    const draft = new StatusDraft(status, new Date().toISOString());
    markFailed(draft, EventReason.ValidationFailed, `invalid JobSet: ${issues.map(formatIssue).join('; ')}`);
    status = draft.status;
    publish();
    await writeStatus();
    try {
      await actOn(0).emitEvents.executeWithOptions({ summary: EventReason.ValidationFailed }, [
        {
          ...target(),
          events: [{ type: 'Warning', reason: EventReason.ValidationFailed, message: `invalid JobSet: ${issues.map(formatIssue).join('; ')}`.slice(0, 1024) }],
        },
      ]);
    } catch (err) {
      actionFailure(err, 'EventFailed');
    }
    return refuse(issues);
  };
  // Child Jobs are selected by name and UID, so a JobSet started without one (e.g. by `temporal
  // workflow start`) gets its run's ID: it never adopts a namesake's Jobs. Runs started before
  // this replay without it.
  const giveUid = () => {
    if (!js.metadata.uid && patched(CHILD_UID_PATCH)) js = { ...js, metadata: { ...js.metadata, uid: workflowInfo().firstExecutionRunId } };
  };
  if (input.status !== undefined) {
    admit(input.jobSet);
    giveUid();
  } else if (patched(ADMISSION_PATCH)) {
    const verdict = await (local ? localUntilDone : admission).admitJobSet.executeWithOptions({ summary: 'admission: validate and dry-run the JobSet' }, [
      { jobSet: input.jobSet, uid: workflowInfo().firstExecutionRunId, ...(owner ? { owner } : {}) },
    ]);
    if ('invalid' in verdict) return refuse(verdict.invalid);
    admit(verdict.jobSet);
    if (verdict.refused) return refuseAtDryRun(verdict.refused);
  } else {
    // Runs started before the admission activity validate here: the schema (zod) is loaded for
    // them only, when this line runs, never for runs that take the branch above.
    const { admitJobSet } = await import(/* webpackMode: "eager" */ '../src/api/parse.js');
    const verdict = admitJobSet(input.jobSet);
    if ('issues' in verdict) return refuse(verdict.issues);
    admit(verdict.jobSet);
    giveUid();
    if (patched(DRY_RUN_PATCH)) {
      const issues = await dryRun();
      if (issues.length > 0) return refuseAtDryRun(issues);
    }
  }
  admitted = true;
  fastStart = decidedAtStart || patched(FAST_START_PATCH);
  // The RE2 engine is evaluated for the JobSets whose failure policy matches messages only.
  const compilePattern = usesMessagePatterns(js) ? (await import(/* webpackMode: "eager" */ '../src/api/message-pattern.js')).compileMessagePattern : undefined;

  try {
    publish();
    const restartsAtStart = status.restarts;
    let terminal = isTerminal(status);
    // A pass that changed the status (a restart, a new condition) may change what the next
    // decision wants even if the cluster did not move: observe again at once, without waiting.
    let immediate = true;
    let failuresInARow = 0;
    // A new JobSet's first pass: its children carry its UID, so none can exist yet; it decides on
    // an empty cluster instead of waiting for an observation to say so.
    let known: Observation | undefined = fastStart && input.status === undefined ? { jobs: [], serviceExists: false } : undefined;
    for (let passes = 0; !terminal; passes++) {
      if (known) {
        lastObservation = known;
        known = undefined;
      } else {
        const observed = await observeNext(immediate);
        if (observed) {
          lastObservation = observed.compact ? expandObservation(js, observed.compact) : observed.observation;
          lastDigest = observed.digest;
          freshAsOf = advance(freshAsOf, observed.resourceVersion);
        }
      }
      if (!lastObservation) continue;
      const result = await pass(lastObservation);
      terminal = result.terminal;
      immediate = result.changed;
      if (terminal) break;
      if (result.failed) {
        // Retry with backoff, from a fresh observation; an Update cuts the wait short.
        failuresInARow++;
        const mine = specVersion;
        await condition(() => specVersion !== mine, failureBackoffMs(failuresInARow), { summary: `back off after ${failuresInARow} failed pass(es)` });
        immediate = true;
      } else failuresInARow = 0;
      // Bounded history: a new run after each global restart and whenever the server suggests it.
      if (status.restarts > restartsAtStart || workflowInfo().continueAsNewSuggested || passes + 1 >= (input.maxPassesPerRun ?? DEFAULT_MAX_PASSES)) {
        // Continue as new only once every accepted Update has been applied: a suspend/resume
        // handler waits for a pass to apply its spec change, so waiting here for the handlers
        // while one is unapplied would wait forever. An Update that arrives during the wait
        // sends the loop round once more to apply it.
        await condition(() => appliedVersion < specVersion || allHandlersFinished());
        if (appliedVersion >= specVersion)
          await continueAsNew<typeof jobSetWorkflow>({ ...input, jobSet: js, status, reportedMalformedJobs, minResourceVersion: freshAsOf });
        immediate = true;
      }
    }

    // Terminal: one more pass deletes the Jobs still active (finished Jobs are kept, as upstream).
    // A run that starts terminal (the bridge finishing a JobSet whose workflow was ended from
    // outside) observes first.
    if (!lastObservation) {
      const observed = await observeNext(true);
      if (observed) lastObservation = observed.compact ? expandObservation(js, observed.compact) : observed.observation;
    }
    if (lastObservation) await pass(lastObservation);
    const expiry = ttlExpiry(js, status);
    if (expiry !== undefined) {
      const wait = Date.parse(expiry) - Date.now();
      if (wait > 0) await sleep(wait, { summary: 'TTL: wait ttlSecondsAfterFinished before deleting the child objects' });
      await act.deleteChildren.executeWithOptions(
        { startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry, summary: 'TTL expired: delete child objects' },
        [target()],
      );
    }
    await condition(allHandlersFinished);
    if (status.terminalState === 'Failed') {
      const failed = status.conditions.find((c) => c.type === 'Failed' && c.status === 'True');
      throw ApplicationFailure.create({
        type: JobSetFailedFailure,
        message: `JobSet ${namespace}/${name} failed: ${failed?.reason ?? 'Failed'}: ${failed?.message ?? ''}`,
        nonRetryable: true,
        details: [{ ...js, status }],
      });
    }
    return { ...js, status };
  } catch (caught) {
    let err = caught;
    // Delete = cancellation: remove every child object even though the workflow is cancelled. A
    // resource found deleted (while the bridge was down) ends the run the same way.
    const ownerDeleted = err instanceof ApplicationFailure && err.type === OwnerDeletedFailure;
    if (ownerDeleted && (decidedAtStart || patched(OWNER_DELETED_GRACE_PATCH))) {
      // With the bridge up, the garbage collector's deletion of the children may wake the run
      // (childrenChanged) before the bridge's cancellation of it arrives: wait for that a moment,
      // so a `kubectl delete` ends the run Cancelled whichever comes first.
      try {
        await condition(() => false, OWNER_DELETED_GRACE_MS, { summary: "JobSet resource deleted: wait for the bridge's cancellation" });
      } catch (cancelled) {
        if (!isCancellation(cancelled)) throw cancelled;
        err = cancelled;
      }
    }
    if (isCancellation(err) || ownerDeleted) {
      await CancellationScope.nonCancellable(() =>
        act.deleteChildren.executeWithOptions(
          { startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry, summary: 'JobSet deleted: delete child objects' },
          [target()],
        ),
      );
    }
    throw err;
  }
}

/** The reason of a failed action; a CreateJobs that also ensured the Service or PVCs says which step failed. */
function failureReason(action: Action, err: unknown): string {
  const cause = actCause(err);
  const type = cause instanceof ApplicationFailure ? cause.type : undefined;
  if (action.type === 'CreateJobs' && (type === EventReason.HeadlessServiceCreationFailed || type === EventReason.PVCCreationFailed)) return type;
  return ActionFailureReason[action.type];
}

function assertNever(x: never): never {
  throw new Error(`unhandled action ${JSON.stringify(x)}`);
}
