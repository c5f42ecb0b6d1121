// Which Jobs to create this pass (docs/design.md §3.3, with §3.10 InOrder and §3.11
// dependsOn gating): upstream's reconcileReplicatedJobs, minus the API calls.
import type { JobSet, ReplicatedJobStatus } from '../api/schema.js';
import { startupCompletedCondition, startupInProgressCondition, type StatusDraft } from './conditions.js';
import { dependenciesSatisfied } from './depends-on.js';
import { jobName, jobSetName } from './naming.js';
import type { ChildJobs } from './observe.js';
import { allReplicasStarted, isInOrder } from './startup-policy.js';
import { isSuspended } from './suspend.js';
import type { JobRef } from './types.js';

/**
 * The missing Jobs to create, in spec order then index order. A name is missing only when no
 * Job of that name exists at all (any bucket, any attempt, being deleted or not): a restarted
 * index is recreated only once its old object is gone. With BlockingRecreate nothing is created
 * while any previous-attempt Job exists. A replicated job whose dependsOn is unsatisfied is
 * skipped (later ones are still considered). With InOrder (and not suspended) started replicated
 * jobs are skipped and the first unstarted one ends the pass with StartupPolicyInProgress; when
 * every one has started, StartupPolicyCompleted. Jobs are created suspended when the JobSet is:
 * the manifest takes spec.suspend.
 */
export function jobsToCreate(
  js: JobSet,
  children: ChildJobs,
  existingNames: ReadonlySet<string>,
  statuses: readonly ReplicatedJobStatus[],
  draft: StatusDraft,
): JobRef[] {
  const name = jobSetName(js);
  const blocking = js.spec.failurePolicy?.restartStrategy === 'BlockingRecreate' && children.previous.length > 0;
  // Suspended InOrder JobSets create every replicated job (upstream skips the early return).
  const inOrder = isInOrder(js) && !isSuspended(js);
  const out: JobRef[] = [];
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
    if (!blocking) {
      for (let i = 0; i < rjob.replicas; i++) {
        if (!existingNames.has(jobName(name, rjob.name, i))) out.push({ replicatedJob: rjob.name, jobIndex: i });
      }
    }
    if (inOrder) {
      draft.setCondition(startupInProgressCondition());
      return out;
    }
  }
  if (inOrder) draft.setCondition(startupCompletedCondition());
  return out;
}
