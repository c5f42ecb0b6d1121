// DependsOn gating (docs/design.md §3.11): a replicated job is created (and resumed) only
// once every replicated job it depends on has reached the named status.
import type { JobSet, ReplicatedJob, ReplicatedJobStatus } from '../api/schema.js';

/**
 * Whether every `dependsOn` entry of `rjob` is satisfied by this pass' replicatedJobsStatus:
 * `Complete` needs succeeded == replicas; `Ready` needs ready + succeeded + failed == replicas
 * (failed Jobs count: a dependency that ran and failed has started). A dependency without a
 * status entry (or not in the spec) is unsatisfied.
 */
export function dependenciesSatisfied(js: JobSet, rjob: ReplicatedJob, statuses: readonly ReplicatedJobStatus[]): boolean {
  return (rjob.dependsOn ?? []).every((dep) => {
    const target = js.spec.replicatedJobs.find((r) => r.name === dep.name);
    const s = statuses.find((x) => x.name === dep.name);
    if (target === undefined || s === undefined) return false;
    if (dep.status === 'Complete') return s.succeeded === target.replicas;
    return s.ready + s.succeeded + s.failed === target.replicas;
  });
}
