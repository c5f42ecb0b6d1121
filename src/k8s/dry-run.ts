// What the API server says of a child Job it refused in a server-side dry run, as field issues of
// the JobSet (the path a user edits), so a refused pod template is reported like any other
// validation error: `spec.replicatedJobs[0].template.spec.template.spec.containers[0].name: ...`.
import type { FieldIssue } from '../api/errors.js';
import { causesOf, describeError } from './errors.js';

/** The JobSet path of a field of the child Job built from `spec.replicatedJobs[index]`. */
export function jobSetPathOfJobField(index: number, field: string): string {
  const rjob = `spec.replicatedJobs[${index}]`;
  // The Job's spec is the replicated job's template spec; its metadata is built from the JobSet
  // (name, labels, annotations of the template), so it points at the replicated job itself.
  if (field === 'spec' || field.startsWith('spec.') || field.startsWith('spec[')) return `${rjob}.template.${field}`;
  if (field.startsWith('metadata.labels') || field.startsWith('metadata.annotations')) return `${rjob}.template.${field}`;
  return rjob;
}

/**
 * The issues of a refused dry-run create: one per `details.causes` entry (the API server's field
 * and message), or the whole message at the replicated job when the refusal names no field.
 */
export function dryRunIssues(err: unknown, index: number): FieldIssue[] {
  const causes = causesOf(err).filter((c) => c.message || c.field);
  if (causes.length === 0) return [{ path: `spec.replicatedJobs[${index}]`, message: describeError(err) }];
  return causes.map((c) => ({ path: jobSetPathOfJobField(index, c.field ?? ''), message: c.message ?? c.reason ?? 'refused by the API server' }));
}
