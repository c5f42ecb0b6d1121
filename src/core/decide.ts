// The reconcile decision: upstream's reconcile pass (docs/design.md §3.1) as a pure
// function of the spec, the last published status and an observation of the child Jobs. The
// workflow performs the actions, publishes the status, then emits the events.
import { EventReason, Label, Message, Reason } from '../api/constants.js';
import type { JobSet, JobSetStatus } from '../api/schema.js';
import { StatusDraft, isTerminal, notRestartingCondition } from './conditions.js';
import { jobsToCreate } from './create-jobs.js';
import { executeFailurePolicy, type PatternCompiler } from './failure-policy.js';
import { classifyJobs, computeReplicatedJobsStatus, finishedType, isJobReady, type ClassifiedJob } from './observe.js';
import { sha1Hex } from './sha1.js';
import { executeSuccessPolicy } from './success-policy.js';
import { isSuspended, resumeJobs, suspendJobs } from './suspend.js';
import type { Action, Decision, Observation } from './types.js';

export { isTerminal };

/** The status of a JobSet before its first pass. */
export function initialStatus(): JobSetStatus {
  return { conditions: [], restarts: 0, restartsCountTowardsMax: 0, replicatedJobsStatus: [] };
}

/** Names of Jobs to delete, skipping those already being deleted (upstream skips them too). */
function deletable(cs: readonly ClassifiedJob[]): string[] {
  return cs
    .filter((c) => !c.job.deleting)
    .map((c) => c.job.name)
    .sort();
}

/** What decide() needs to know about earlier passes besides the status. */
export interface DecideOptions {
  /**
   * `malformedJobs` of the previous decision: those Jobs have had their Warning Event already,
   * so a Job that stays malformed is reported once rather than on every pass. Without it every
   * malformed Job is reported again.
   */
  reportedMalformedJobs?: readonly string[];
  /** Required when the failure policy has onJobFailureMessagePatterns (see PatternCompiler). */
  compilePattern?: PatternCompiler;
}

/**
 * One reconcile pass, in upstream's order:
 *  1. classify the Jobs (a Warning Event for each newly malformed one, which is then ignored)
 *     and recompute replicatedJobsStatus;
 *  2. finished JobSet: delete the active current-attempt Jobs, nothing else (terminal);
 *  3. delete previous-attempt Jobs;
 *  4. RestartingJobSet=False/JobsReady when not suspended and every Job is ready or succeeded;
 *  5. any failed Job: the failure policy, one action, and the pass ends;
 *  6. any succeeded Job: the success policy; when Completed the pass ends (the still-active
 *     Jobs are deleted by the next pass, step 2, as upstream);
 *  7. the headless Service, 8. the PVCs, 9. missing Jobs (dependsOn, InOrder, BlockingRecreate);
 *  10. suspend or resume.
 * `now` (RFC 3339) stamps condition transitions.
 */
export function decide(js: JobSet, status: JobSetStatus, obs: Observation, now: string, options: DecideOptions = {}): Decision {
  const draft = new StatusDraft(status, now);
  const children = classifyJobs(js, draft.status, obs.jobs);
  const reported = new Set(options.reportedMalformedJobs);
  for (const { job, problem } of children.malformed) {
    if (reported.has(job.name)) continue;
    draft.event({ type: 'Warning', reason: EventReason.InvalidChildJob, message: Message.InvalidChildJob(job.name, problem) });
  }
  const malformedJobs = children.malformed.map((m) => m.job.name).sort();
  const statuses = computeReplicatedJobsStatus(js, draft.status, children);
  draft.status.replicatedJobsStatus = statuses;
  const actions: Action[] = [];
  const result = (): Decision => ({
    status: draft.status,
    actions,
    events: draft.events,
    terminal: isTerminal(draft.status),
    malformedJobs,
  });

  if (isTerminal(draft.status)) {
    const names = deletable(children.active);
    if (names.length > 0) actions.push({ type: 'DeleteJobs', names });
    return result();
  }

  const previous = deletable(children.previous);
  if (previous.length > 0) actions.push({ type: 'DeleteJobs', names: previous });

  const replicas = js.spec.replicatedJobs.reduce((n, r) => n + r.replicas, 0);
  const readyOrDone = statuses.reduce((n, s) => n + s.ready + s.succeeded, 0);
  if (!isSuspended(js) && readyOrDone === replicas) draft.setCondition(notRestartingCondition(Reason.JobsReady));

  if (children.failed.length > 0) {
    executeFailurePolicy(js, children.failed, draft, options.compilePattern);
    return result();
  }

  if (children.successful.length > 0 && executeSuccessPolicy(js, children.successful, draft)) return result();

  if (js.spec.network.enableDNSHostnames && !obs.serviceExists) actions.push({ type: 'EnsureService' });
  if ((js.spec.volumeClaimPolicies ?? []).length > 0 && obs.pvcsExist !== true) actions.push({ type: 'EnsurePVCs' });

  const existing = new Set(obs.jobs.map((j) => j.name));
  const create = jobsToCreate(js, children, existing, statuses, draft);
  if (create.length > 0) actions.push({ type: 'CreateJobs', jobs: create });

  if (isSuspended(js)) actions.push(...suspendJobs(children.active, draft));
  else actions.push(...resumeJobs(js, children.active, statuses, draft));

  return result();
}

/**
 * A short digest (16 hex chars of SHA-1) of the facts of an observation that decide() reads:
 * per Job its name, attempt/identity labels, deletion, suspension, finished state and failure
 * condition, readiness and whether pods are active; and which companion objects exist. Pod
 * counts that do not change readiness, and start times, are left out. Independent of the
 * order in which Jobs were listed.
 */
export function observationDigest(obs: Observation): string {
  const jobs = obs.jobs
    .map((j) => {
      const failed = j.conditions.find((c) => c.type === 'Failed' && c.status === 'True');
      return JSON.stringify([
        j.name,
        j.labels[Label.RestartAttempt] ?? null,
        j.labels[Label.JobRestartAttempt] ?? null,
        j.labels[Label.ReplicatedJobName] ?? null,
        j.labels[Label.JobIndex] ?? null,
        j.deleting,
        j.suspended,
        finishedType(j) ?? null,
        failed ? [failed.reason ?? null, failed.message ?? null, failed.lastTransitionTime ?? null] : null,
        isJobReady(j),
        j.active > 0,
      ]);
    })
    .sort();
  const facts = JSON.stringify({ jobs, serviceExists: obs.serviceExists, pvcsExist: obs.pvcsExist ?? null });
  return sha1Hex(facts).slice(0, 16);
}
