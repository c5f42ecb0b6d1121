// One JobSet = one workflow: a durable reconcile loop. Observe the child Jobs (an activity that
// returns when something the decision depends on changes), decide (pure, src/core), act
// (activities), publish the status, repeat until the JobSet is terminal.
//
// The loop and its state live here; the rest of the run is one module per job: admission.ts
// (refusal, dry run, UID), observe.ts (waiting for the children to change), perform.ts (one action
// per activity), updates.ts (suspend/resume), proxies.ts (activity options, what a failed act
// means), patches.ts (the markers old runs replay by), contract.ts (what clients see).
//
// Deterministic code only: this file is bundled into the workflow sandbox.
import type { V1OwnerReference } from '@kubernetes/client-node';
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import type { Written } from '../activities/jobset.js';
import type { FieldIssue } from '../src/api/errors.js';
import type { JobSet, JobSetStatus } from '../src/api/schema.js';
import { EventReason } from '../src/api/constants.js';
import { applyActionFailure, failureBackoffMs, type ActionFailure } from '../src/core/action-failure.js';
import { decide, initialStatus, isTerminal } from '../src/core/decide.js';
import { usesMessagePatterns } from '../src/core/failure-policy.js';
import { foldCreates } from '../src/core/fold-creates.js';
import { jobSetName, jobSetNamespace } from '../src/core/naming.js';
import { describeStatus, jobSetState } from '../src/core/state.js';
import { expandObservation } from '../src/core/wire.js';
import { advance } from '../src/core/resource-version.js';
import { ttlExpiry } from '../src/core/ttl.js';
import type { Action, Observation } from '../src/core/types.js';
import {
  admittedUpdate,
  childrenChangedSignal,
  type FinishedJobSet,
  JobSetFailedFailure,
  JobSetNameKey,
  JobSetNamespaceKey,
  jobSetQuery,
  JobSetRestartsKey,
  JobSetStateKey,
  OwnerDeletedFailure,
  statusQuery,
} from './contract.js';
import {
  ADMISSION_PATCH,
  DECIDED_AT_START_PATCH,
  DRY_RUN_PATCH,
  FAST_START_PATCH,
  LOCAL_ACTIVITIES_PATCH,
  OWNER_DELETED_GRACE_MS,
  OWNER_DELETED_GRACE_PATCH,
  SIGNALLED_OBSERVE_PATCH,
} from './patches.js';
import { dryRun, refusal, refusedAtDryRun, withUid } from './admission.js';
import { ChildObserver } from './observe.js';
import { perform as performAction } from './perform.js';
import { handleSpecUpdates } from './updates.js';
import { actCause, actionFailure, actOn as proxyFor, admission, cleanup, failureReason, localUntilDone } from './proxies.js';

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

const DEFAULT_MAX_PASSES = 500;
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
  const actOn = (jobs: number) => proxyFor(local, jobs);
  const signalled = local && patched(SIGNALLED_OBSERVE_PATCH);
  const decidedAtStart = local && patched(DECIDED_AT_START_PATCH);

  // Spec changes from Updates bump `specVersion`; the loop records in `appliedVersion` the
  // version its last completed pass acted on, so an Update returns the status that reflects it.
  let specVersion = 0;
  let appliedVersion = 0;
  const observer = new ChildObserver({
    signalled,
    maxWaitMs: input.observeMaxWaitMs,
    target: () => target(),
    key: () => `${namespace}/${name}`,
    lastDigest: () => lastDigest,
    freshAsOf: () => freshAsOf,
    specVersion: () => specVersion,
  });
  setHandler(childrenChangedSignal, () => observer.childrenChanged());
  const wake = () => observer.wake();

  setHandler(statusQuery, () => status);
  setHandler(jobSetQuery, () => js);
  handleSpecUpdates({
    admittedJobSet: () => (admitted ? js : undefined),
    status: () => status,
    key: () => `${namespace}/${name}`,
    apply: async (makeChange) => {
      change(makeChange());
      const mine = ++specVersion;
      wake();
      // A JobSet refused by the admission dry run never runs a pass: the Update fails with it.
      await condition(() => appliedVersion >= mine || refused !== undefined);
      if (refused) throw refusal(refused);
      return status;
    },
  });

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
   * The latest resourceVersion this run wrote or observed (src/core/resource-version.ts): an
   * observation reads the worker's cache once that has seen it, so a pass never decides on a
   * cluster older than the one it acted on. Undefined: unknown (an act activity failed part way,
   * or returned nothing, as those recorded before the cache did), and observations list the Jobs
   * from the API server until the next write.
   */
  let freshAsOf = input.status === undefined ? '0' : input.minResourceVersion;
  const perform = (action: Action): Promise<Written> => performAction(action, { actOn, target, jobSet: js, namespace, name, status });

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

  /** A JobSet the API server's dry run refused: Failed (ValidationFailed) on the resource and in an Event. */
  const refuseAtDryRun = async (issues: FieldIssue[]): Promise<never> => {
    const refusedStatus = refusedAtDryRun(status, issues, new Date().toISOString());
    status = refusedStatus.status;
    publish();
    await writeStatus();
    try {
      await actOn(0).emitEvents.executeWithOptions({ summary: EventReason.ValidationFailed }, [{ ...target(), events: [refusedStatus.event] }]);
    } catch (err) {
      actionFailure(err, 'EventFailed');
    }
    return refuse(issues);
  };
  const giveUid = () => void (js = withUid(js));
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
      const issues = await dryRun(target());
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
        const observed = await observer.next(immediate);
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
      const observed = await observer.next(true);
      if (observed) lastObservation = observed.compact ? expandObservation(js, observed.compact) : observed.observation;
    }
    if (lastObservation) await pass(lastObservation);
    const expiry = ttlExpiry(js, status);
    if (expiry !== undefined) {
      const wait = Date.parse(expiry) - Date.now();
      if (wait > 0) await sleep(wait, { summary: 'TTL: wait ttlSecondsAfterFinished before deleting the child objects' });
      await cleanup.deleteChildren.executeWithOptions({ summary: 'TTL expired: delete child objects' }, [target()]);
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
      await CancellationScope.nonCancellable(() => cleanup.deleteChildren.executeWithOptions({ summary: 'JobSet deleted: delete child objects' }, [target()]));
    }
    throw err;
  }
}
