// The one-word state of a JobSet shown in the Temporal UI (search attribute JobSetState) and the
// CLI, and the human-readable details line. Derived from the status, never stored separately.
import { ConditionType } from '../api/constants.js';
import type { JobSet, JobSetStatus } from '../api/schema.js';

export const JobSetState = {
  Running: 'Running',
  Restarting: 'Restarting',
  Suspended: 'Suspended',
  Completed: 'Completed',
  Failed: 'Failed',
} as const;
export type JobSetState = (typeof JobSetState)[keyof typeof JobSetState];

const isTrue = (status: JobSetStatus, type: string): boolean => status.conditions.some((c) => c.type === type && c.status === 'True');

export function jobSetState(js: JobSet, status: JobSetStatus): JobSetState {
  if (status.terminalState === 'Completed' || isTrue(status, ConditionType.Completed)) return JobSetState.Completed;
  if (status.terminalState === 'Failed' || isTrue(status, ConditionType.Failed)) return JobSetState.Failed;
  if (js.spec.suspend === true) return JobSetState.Suspended;
  if (isTrue(status, ConditionType.RestartingJobSet)) return JobSetState.Restarting;
  return JobSetState.Running;
}

/** A Markdown summary of the current state: per replicated job counts, restarts, last condition. */
export function describeStatus(js: JobSet, status: JobSetStatus): string {
  const lines = [`**${jobSetState(js, status)}** · restarts ${status.restarts} (${status.restartsCountTowardsMax} counted)`];
  if (js.spec.managedBy) lines.push(`managed by ${js.spec.managedBy}`);
  lines.push('');
  lines.push('| replicatedJob | replicas | active | ready | succeeded | failed | suspended |', '|---|---|---|---|---|---|---|');
  for (const rjob of js.spec.replicatedJobs) {
    const s = status.replicatedJobsStatus.find((r) => r.name === rjob.name);
    lines.push(`| ${rjob.name} | ${rjob.replicas} | ${s?.active ?? 0} | ${s?.ready ?? 0} | ${s?.succeeded ?? 0} | ${s?.failed ?? 0} | ${s?.suspended ?? 0} |`);
  }
  const last = [...status.conditions].sort((a, b) => a.lastTransitionTime.localeCompare(b.lastTransitionTime)).at(-1);
  if (last) lines.push('', `${last.type}=${last.status} (${last.reason}): ${last.message}`);
  return lines.join('\n');
}
