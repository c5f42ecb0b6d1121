// What the Temporal Web UI shows of a JobSet's workflow from its start (issue 16 item 5): a
// one-line summary in the workflow list, and Markdown details (its replicated jobs and policies)
// on the workflow's page. The live table is the workflow's current details (describeStatus).
import type { JobSet } from '../api/schema.js';
import { jobSetName, jobSetNamespace } from './naming.js';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** `<namespace>/<name>: N Jobs in M replicatedJobs`. */
export function startSummary(js: JobSet): string {
  const jobs = js.spec.replicatedJobs.reduce((n, r) => n + r.replicas, 0);
  return `${jobSetNamespace(js)}/${jobSetName(js)}: ${plural(jobs, 'Job')} in ${plural(js.spec.replicatedJobs.length, 'replicatedJob')}`;
}

/** The replicated jobs as a table, then one line per policy that is set. */
export function startDetails(js: JobSet): string {
  const { spec } = js;
  const lines = ['| replicatedJob | replicas | parallelism | completions | dependsOn |', '|---|---|---|---|---|'];
  for (const r of spec.replicatedJobs) {
    const job = r.template.spec ?? {};
    const dependsOn = (r.dependsOn ?? []).map((d) => `${d.name} ${d.status}`).join(', ');
    lines.push(`| ${r.name} | ${r.replicas} | ${job.parallelism ?? 1} | ${job.completions ?? (job.parallelism === undefined ? 1 : 'unset')} | ${dependsOn} |`);
  }
  lines.push('');
  const success = spec.successPolicy;
  lines.push(
    `- success policy: ${success.operator} of ${success.targetReplicatedJobs?.length ? success.targetReplicatedJobs.join(', ') : 'every replicatedJob'}`,
  );
  const failure = spec.failurePolicy;
  lines.push(
    failure
      ? `- failure policy: maxRestarts ${failure.maxRestarts}, ${failure.restartStrategy}${failure.rules.length ? `, rules ${failure.rules.map((r) => `${r.name} (${r.action})`).join(', ')}` : ''}`
      : '- failure policy: none (the first failed Job fails the JobSet)',
  );
  lines.push(`- startup policy: ${spec.startupPolicy.startupPolicyOrder}`);
  if (spec.suspend) lines.push('- suspended at start');
  if (spec.coordinator) lines.push(`- coordinator: ${spec.coordinator.replicatedJob} job ${spec.coordinator.jobIndex} pod ${spec.coordinator.podIndex}`);
  if (spec.ttlSecondsAfterFinished !== undefined) lines.push(`- deleted ${spec.ttlSecondsAfterFinished} s after it finishes`);
  if (spec.managedBy) lines.push(`- managed by ${spec.managedBy}`);
  return lines.join('\n');
}
