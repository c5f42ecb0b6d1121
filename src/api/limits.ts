// Size limits of a JobSet, checked at admission (docs/api-differences.md, "Limits"). Upstream has
// none beyond the API server's object size; here every JobSet of a worker shares its memory and
// CPU, and its spec travels through Temporal history (the workflow input, every continue-as-new,
// the activities that build Jobs), so one tenant's oversized JobSet must be refused up front
// rather than wedge the worker that runs everyone else's.
import type { FieldIssue } from './errors.js';
import { ValidationMessage as M } from './messages.js';
import type { JobSet } from './schema.js';

/**
 * Jobs per JobSet (the sum of `replicas`). 5,000 is the largest JobSet the workflow must run
 * (issue 12 item 4): past it, its observation of every child Job, its status and each pass's
 * decision grow past what one workflow task and Temporal's payload limits are sized for.
 */
export const MaxJobsPerJobSet = 5_000;

/**
 * Pods per JobSet: the sum over replicatedJobs of `replicas` x `parallelism` (1 when unset), the
 * pods the JobSet asks the cluster to run at once, and the product upstream's webhook already
 * bounds (by 2^31-1). `completions` is left out: it bounds pods over time, not at once. Our
 * worker watches Jobs, not pods, so this limit protects the cluster's scheduler and API server
 * (100,000 pods is about 20 per Job at the Job limit), and other tenants' share of them.
 */
export const MaxPodsPerJobSet = 100_000;

/**
 * The spec (as JSON, after defaulting) is part of the workflow input, of every continue-as-new
 * and of every act activity's input (the activity builds the Jobs from it). Temporal refuses
 * payloads over 2 MB and warns above 256 KiB; 128 KiB keeps each of those inputs, with the
 * status and the compact Job lists next to it (src/core/wire.ts), under the warning threshold.
 * Real pod templates are a few KiB each.
 */
export const MaxSpecBytes = 128 * 1024;

/** UTF-8 length of `s` (no TextEncoder or Buffer: this also runs in the workflow sandbox). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A surrogate pair is one 4-byte code point: 2 bytes for each half.
    n += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
  }
  return n;
}

/** Every size limit the JobSet exceeds; empty when within them. */
export function validateLimits(js: JobSet): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const rjobs = js.spec.replicatedJobs;
  const jobs = rjobs.reduce((n, r) => n + r.replicas, 0);
  if (jobs > MaxJobsPerJobSet) issues.push({ path: 'spec.replicatedJobs', message: M.TooManyJobs(jobs, MaxJobsPerJobSet) });
  const pods = rjobs.reduce((n, r) => n + r.replicas * (r.template.spec.parallelism ?? 1), 0);
  if (pods > MaxPodsPerJobSet) issues.push({ path: 'spec.replicatedJobs', message: M.TooManyPods(pods, MaxPodsPerJobSet) });
  const bytes = utf8Length(JSON.stringify(js.spec));
  if (bytes > MaxSpecBytes) issues.push({ path: 'spec', message: M.SpecTooLong(bytes, MaxSpecBytes) });
  return issues;
}
