// Interpreting observed child Jobs (upstream-jobset.md §3.2 classification, §1.3 counting,
// §3.4 readiness). The observe activity reports raw facts; this module decides what they mean.
import { Label } from '../api/constants.js';
import type { JobSet, JobSetStatus, ReplicatedJobStatus } from '../api/schema.js';
import type { ObservedJob } from './types.js';

/**
 * Thrown when a child Job carries a JobSet label that is not a decimal integer. Upstream aborts
 * the whole reconcile on this (§3.19 item 9): acting on a Job whose attempt is unknown could
 * delete the wrong Jobs or recreate live ones.
 */
export class InvalidJobLabelError extends Error {
  override readonly name = 'InvalidJobLabelError';
  constructor(
    readonly jobName: string,
    readonly label: string,
    readonly value: string | undefined,
  ) {
    super(`job ${jobName}: invalid value ${JSON.stringify(value ?? null)} for label ${label}, must be integer`);
  }
}

/** A child Job with its JobSet labels parsed. */
export interface ClassifiedJob {
  job: ObservedJob;
  /** `replicatedjob-name`; undefined when the label is missing. */
  replicatedJob: string | undefined;
  /** `job-index`; undefined when the label is missing. */
  jobIndex: number | undefined;
  restartAttempt: number;
  /** `job-restart-attempt`; undefined when the label is missing (Jobs made before the label existed). */
  jobRestartAttempt: number | undefined;
}

/**
 * Child Jobs in upstream's buckets. `active`/`successful`/`failed` hold only current-attempt
 * Jobs of a replicated job in the spec; `previous` holds older attempts (to be deleted).
 * `ignored` holds current-attempt Jobs without a known replicated job: they count for nothing
 * but, like every observed Job, their names still block recreation.
 */
export interface ChildJobs {
  active: ClassifiedJob[];
  successful: ClassifiedJob[];
  failed: ClassifiedJob[];
  previous: ClassifiedJob[];
  ignored: ClassifiedJob[];
}

/** Go's strconv.Atoi on the values we write: optional sign, decimal digits. */
function parseIntLabel(job: ObservedJob, label: string, required: boolean): number | undefined {
  const raw = job.labels[label];
  if (raw === undefined && !required) return undefined;
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) throw new InvalidJobLabelError(job.name, label, raw);
  return Number(raw);
}

/** The first True Complete or Failed condition of a Job, as upstream's JobFinished. */
export function finishedType(job: ObservedJob): 'Complete' | 'Failed' | undefined {
  for (const c of job.conditions) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

/** An unfinished Job whose succeeded + ready pods reach min(parallelism, completions) (§3.4). */
export function isJobReady(job: ObservedJob): boolean {
  // The API server defaults parallelism to 1, so an absent value means 1.
  let pods = job.parallelism ?? 1;
  if (job.completions !== undefined && job.completions < pods) pods = job.completions;
  return job.succeeded + job.ready >= pods;
}

/** The per-index restart target for a replicated job (0 when not yet recorded). */
export function jobRestartsAt(status: JobSetStatus, rjob: string, jobIndex: number): number {
  return status.replicatedJobsStatus.find((s) => s.name === rjob)?.jobRestarts?.[jobIndex] ?? 0;
}

/**
 * Sort child Jobs into buckets (§3.2). A Job is `previous` when its `restart-attempt` is below
 * `status.restarts`, or its `job-restart-attempt` is below the per-index target; otherwise it is
 * successful (Complete=True), failed (Failed=True) or active.
 *
 * A current-attempt Job that is already being deleted (`deleting`) is classified like any other:
 * the object still exists, so its name blocks recreation (as upstream, which ignores the
 * deletion timestamp when bucketing), and its finished state still counts.
 *
 * Throws InvalidJobLabelError on an unparsable `restart-attempt`, or on an unparsable
 * `job-index`/`job-restart-attempt` of a Job that carries the latter.
 */
export function classifyJobs(js: JobSet, status: JobSetStatus, jobs: readonly ObservedJob[]): ChildJobs {
  const known = new Set(js.spec.replicatedJobs.map((r) => r.name));
  const out: ChildJobs = { active: [], successful: [], failed: [], previous: [], ignored: [] };
  for (const job of jobs) {
    const restartAttempt = parseIntLabel(job, Label.RestartAttempt, true)!;
    const replicatedJob = job.labels[Label.ReplicatedJobName] || undefined;
    const jobRestartAttempt = parseIntLabel(job, Label.JobRestartAttempt, false);
    // job-index matters only when comparing the per-index attempt; elsewhere a bad value is
    // tolerated like a missing one.
    const jobIndex =
      jobRestartAttempt !== undefined
        ? parseIntLabel(job, Label.JobIndex, true)
        : /^\d+$/.test(job.labels[Label.JobIndex] ?? '')
          ? Number(job.labels[Label.JobIndex])
          : undefined;
    const c: ClassifiedJob = { job, replicatedJob, jobIndex, restartAttempt, jobRestartAttempt };

    if (restartAttempt < status.restarts) {
      out.previous.push(c);
      continue;
    }
    if (
      jobRestartAttempt !== undefined &&
      replicatedJob !== undefined &&
      jobRestartAttempt < jobRestartsAt(status, replicatedJob, jobIndex!)
    ) {
      out.previous.push(c);
      continue;
    }
    if (replicatedJob === undefined || !known.has(replicatedJob)) {
      out.ignored.push(c);
      continue;
    }
    switch (finishedType(job)) {
      case 'Complete':
        out.successful.push(c);
        break;
      case 'Failed':
        out.failed.push(c);
        break;
      default:
        out.active.push(c);
    }
  }
  return out;
}

/**
 * `status.replicatedJobsStatus` (§1.3), one entry per replicated job in spec order, counted
 * over current-attempt Jobs only. The `jobRestarts*` arrays belong to the failure policy and are
 * carried over from `status`.
 */
export function computeReplicatedJobsStatus(js: JobSet, status: JobSetStatus, children: ChildJobs): ReplicatedJobStatus[] {
  return js.spec.replicatedJobs.map((rjob) => {
    const mine = (cs: ClassifiedJob[]) => cs.filter((c) => c.replicatedJob === rjob.name);
    const active = mine(children.active);
    const s: ReplicatedJobStatus = {
      name: rjob.name,
      ready: active.filter((c) => isJobReady(c.job)).length,
      succeeded: mine(children.successful).length,
      failed: mine(children.failed).length,
      active: active.filter((c) => c.job.active > 0).length,
      suspended: active.filter((c) => c.job.suspended).length,
    };
    const prev = status.replicatedJobsStatus.find((p) => p.name === rjob.name);
    if (prev?.jobRestarts !== undefined) s.jobRestarts = [...prev.jobRestarts];
    if (prev?.jobRestartsCountTowardsMax !== undefined) s.jobRestartsCountTowardsMax = [...prev.jobRestartsCountTowardsMax];
    return s;
  });
}
