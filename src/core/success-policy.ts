// Success policy (docs/design.md §3.9).
import type { JobSet } from '../api/schema.js';
import { markCompleted, type StatusDraft } from './conditions.js';
import type { ClassifiedJob } from './observe.js';

/** The replicated jobs the policy targets: `targetReplicatedJobs`, or all when empty. */
function targets(js: JobSet): Set<string> {
  const t = js.spec.successPolicy.targetReplicatedJobs ?? [];
  return new Set(t.length > 0 ? t : js.spec.replicatedJobs.map((r) => r.name));
}

/**
 * Whether the successful current-attempt Jobs satisfy the policy: at least 1 targeted
 * (`Any`), or at least Σ replicas of the targeted replicated jobs (`All`).
 */
export function successPolicySatisfied(js: JobSet, successful: readonly ClassifiedJob[]): boolean {
  const t = targets(js);
  const matching = successful.filter((c) => c.replicatedJob !== undefined && t.has(c.replicatedJob)).length;
  const expected = js.spec.successPolicy.operator === 'Any' ? 1 : js.spec.replicatedJobs.filter((r) => t.has(r.name)).reduce((n, r) => n + r.replicas, 0);
  return matching >= expected;
}

/**
 * Evaluate the policy (the caller runs it only when some Job succeeded and none failed, so a
 * JobSet with zero replicas never completes). Marks the draft Completed; returns whether it did.
 */
export function executeSuccessPolicy(js: JobSet, successful: readonly ClassifiedJob[], draft: StatusDraft): boolean {
  if (!successPolicySatisfied(js, successful)) return false;
  markCompleted(draft);
  return true;
}
