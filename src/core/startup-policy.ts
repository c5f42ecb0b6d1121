// InOrder startup (docs/design.md §3.10, deprecated upstream in favour of dependsOn):
// replicated jobs are started one after another, each once the previous has fully started.
import type { JobSet, ReplicatedJobStatus } from '../api/schema.js';

export function isInOrder(js: JobSet): boolean {
  return js.spec.startupPolicy.startupPolicyOrder === 'InOrder';
}

/**
 * A replicated job has started when ready + succeeded + failed == replicas. A Job that is
 * merely active (pods not yet ready) has not; a failed Job has. No status entry: not started.
 */
export function allReplicasStarted(replicas: number, status: ReplicatedJobStatus | undefined): boolean {
  if (status === undefined) return false;
  return status.ready + status.succeeded + status.failed === replicas;
}
