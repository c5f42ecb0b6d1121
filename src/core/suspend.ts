// Suspend and resume (docs/design.md §3.6).
import { Reason } from '../api/constants.js';
import type { JobSet, ReplicatedJobStatus } from '../api/schema.js';
import { notRestartingCondition, resumedCondition, startupInProgressCondition, suspendedCondition, type StatusDraft } from './conditions.js';
import { dependenciesSatisfied } from './depends-on.js';
import type { ClassifiedJob } from './observe.js';
import { allReplicasStarted, isInOrder } from './startup-policy.js';
import type { Action } from './types.js';

export function isSuspended(js: JobSet): boolean {
  return js.spec.suspend ?? false;
}

const byIndexThenName = (a: ClassifiedJob, b: ClassifiedJob): number =>
  (a.jobIndex ?? 0) - (b.jobIndex ?? 0) || (a.job.name < b.job.name ? -1 : a.job.name > b.job.name ? 1 : 0);

/**
 * Suspend: every unsuspended active Job gets spec.suspend=true (finished Jobs are left alone);
 * Suspended=True and RestartingJobSet=False/JobSetSuspended (the latter only if present).
 */
export function suspendJobs(active: readonly ClassifiedJob[], draft: StatusDraft): Action[] {
  const names = active
    .filter((c) => !c.job.suspended)
    .sort(byIndexThenName)
    .map((c) => c.job.name);
  draft.setCondition(suspendedCondition());
  draft.setCondition(notRestartingCondition(Reason.JobSetSuspended));
  return names.length > 0 ? [{ type: 'SuspendJobs', names }] : [];
}

/**
 * Resume: in spec order, skipping replicated jobs whose dependsOn is unsatisfied and, with
 * InOrder, those already started, resume the suspended active Jobs. With InOrder only the first
 * replicated job processed is resumed this pass (StartupPolicyInProgress, and Suspended stays
 * as it is until a later pass gets through the loop); otherwise Suspended=False/ResumeJobs,
 * which only flips an existing Suspended condition.
 */
export function resumeJobs(js: JobSet, active: readonly ClassifiedJob[], statuses: readonly ReplicatedJobStatus[], draft: StatusDraft): Action[] {
  const inOrder = isInOrder(js);
  const jobs: Array<{ name: string; replicatedJob: string }> = [];
  const done = (): Action[] => (jobs.length > 0 ? [{ type: 'ResumeJobs', jobs }] : []);
  for (const rjob of js.spec.replicatedJobs) {
    if (!dependenciesSatisfied(js, rjob, statuses)) continue;
    if (
      inOrder &&
      allReplicasStarted(
        rjob.replicas,
        statuses.find((s) => s.name === rjob.name),
      )
    )
      continue;
    for (const c of active.filter((x) => x.replicatedJob === rjob.name && x.job.suspended).sort(byIndexThenName)) {
      jobs.push({ name: c.job.name, replicatedJob: rjob.name });
    }
    if (inOrder) {
      draft.setCondition(startupInProgressCondition());
      return done();
    }
  }
  draft.setCondition(resumedCondition());
  return done();
}
