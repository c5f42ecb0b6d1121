// Interpreting observed child Jobs (docs/design.md §3.2 classification, §1.3 counting,
// §3.4 readiness). The observe activity reports raw facts; this module decides what they mean.
import { Label } from '../api/constants.js';
import type { JobSet, JobSetStatus, ReplicatedJobStatus } from '../api/schema.js';
import type { ObservedJob } from './types.js';

/** A child Job with its JobSet labels parsed. */
export interface ClassifiedJob {
  job: ObservedJob;
  /** `replicatedjob-name`; undefined when the label is missing. */
  replicatedJob: string | undefined;
  /** `job-index`; undefined when the label is missing (allowed only outside a known replicated job). */
  jobIndex: number | undefined;
  restartAttempt: number;
  /** `job-restart-attempt`; undefined when the label is missing (Jobs made before the label existed). */
  jobRestartAttempt: number | undefined;
}

/** A current-attempt Job of a replicated job in the spec: the only Jobs the policies act on. */
export interface CurrentJob extends ClassifiedJob {
  replicatedJob: string;
  /** Always within 0..replicas-1 of its replicated job. */
  jobIndex: number;
}

/** A Job whose JobSet labels cannot be trusted, with the first problem found. */
export interface MalformedJob {
  job: ObservedJob;
  /** A Kubernetes-style field error: `metadata.labels[<key>]: Invalid value: "x": must be an integer`. */
  problem: string;
}

/**
 * Child Jobs in upstream's buckets. `active`/`successful`/`failed` hold only current-attempt
 * Jobs of a replicated job in the spec; `previous` holds older attempts (to be deleted).
 * `ignored` holds current-attempt Jobs without a known replicated job, and `malformed` the Jobs
 * whose JobSet labels do not parse or are out of range: both count for nothing but, like every
 * observed Job, their names still block recreation.
 */
export interface ChildJobs {
  active: CurrentJob[];
  successful: CurrentJob[];
  failed: CurrentJob[];
  previous: ClassifiedJob[];
  ignored: ClassifiedJob[];
  malformed: MalformedJob[];
}

/** Go's strconv.Atoi on the values we write: optional sign, decimal digits (and no precision lost). */
function parseInteger(raw: string): number | undefined {
  if (!/^[+-]?\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A label problem, worded as a Kubernetes field error. */
class LabelProblem {
  constructor(readonly message: string) {}
  static of(label: string, detail: string): LabelProblem {
    return new LabelProblem(`metadata.labels[${label}]: ${detail}`);
  }
}

/** The integer value of `label`: undefined when absent, a problem when it does not parse. */
function integerLabel(job: ObservedJob, label: string): number | undefined | LabelProblem {
  const raw = job.labels[label];
  if (raw === undefined) return undefined;
  return parseInteger(raw) ?? LabelProblem.of(label, `Invalid value: ${JSON.stringify(raw)}: must be an integer`);
}

/**
 * The JobSet labels of `job`, or the first problem with them: a required label missing, a value
 * that is not an integer, a job index outside its replicated job. No label value sizes anything,
 * so a hostile value costs nothing.
 */
function parseLabels(job: ObservedJob, replicasOf: ReadonlyMap<string, number>): Omit<ClassifiedJob, 'job'> | LabelProblem {
  const replicatedJob = job.labels[Label.ReplicatedJobName] || undefined;
  const replicas = replicatedJob === undefined ? undefined : replicasOf.get(replicatedJob);
  const restartAttempt = integerLabel(job, Label.RestartAttempt);
  if (restartAttempt === undefined) return LabelProblem.of(Label.RestartAttempt, 'Required value');
  if (restartAttempt instanceof LabelProblem) return restartAttempt;
  const jobRestartAttempt = integerLabel(job, Label.JobRestartAttempt);
  if (jobRestartAttempt instanceof LabelProblem) return jobRestartAttempt;
  const jobIndex = integerLabel(job, Label.JobIndex);
  if (jobIndex instanceof LabelProblem) return jobIndex;
  // The index is needed, and can be checked, only for a replicated job of the spec.
  if (replicas !== undefined) {
    if (jobIndex === undefined) return LabelProblem.of(Label.JobIndex, 'Required value');
    if (jobIndex < 0 || jobIndex >= replicas) {
      const raw = JSON.stringify(job.labels[Label.JobIndex]);
      const range = `must be between 0 and ${replicas - 1}, inclusive (replicatedJob ${JSON.stringify(replicatedJob)} has ${replicas} replicas)`;
      return LabelProblem.of(Label.JobIndex, `Invalid value: ${raw}: ${range}`);
    }
  }
  return { replicatedJob, jobIndex, restartAttempt, jobRestartAttempt };
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
 * A Job whose JobSet labels are malformed is `malformed`, whatever its attempt: upstream aborts
 * the whole reconcile on an unparsable attempt label (§3.19 item 9), so one bad label stops the
 * JobSet for good; acting on it instead could delete the wrong Jobs or size per-index status by
 * a hostile index. Leaving it alone does neither, and its name stays taken.
 */
export function classifyJobs(js: JobSet, status: JobSetStatus, jobs: readonly ObservedJob[]): ChildJobs {
  const replicasOf = new Map(js.spec.replicatedJobs.map((r) => [r.name, r.replicas]));
  const out: ChildJobs = { active: [], successful: [], failed: [], previous: [], ignored: [], malformed: [] };
  for (const job of jobs) {
    const labels = parseLabels(job, replicasOf);
    if (labels instanceof LabelProblem) {
      out.malformed.push({ job, problem: labels.message });
      continue;
    }
    const c: ClassifiedJob = { job, ...labels };
    const { replicatedJob, jobIndex, restartAttempt, jobRestartAttempt } = c;
    if (restartAttempt < status.restarts) {
      out.previous.push(c);
      continue;
    }
    if (replicatedJob === undefined || jobIndex === undefined || !replicasOf.has(replicatedJob)) {
      out.ignored.push(c);
      continue;
    }
    const current: CurrentJob = { ...c, replicatedJob, jobIndex };
    if (jobRestartAttempt !== undefined && jobRestartAttempt < jobRestartsAt(status, replicatedJob, jobIndex)) {
      out.previous.push(current);
      continue;
    }
    switch (finishedType(job)) {
      case 'Complete':
        out.successful.push(current);
        break;
      case 'Failed':
        out.failed.push(current);
        break;
      default:
        out.active.push(current);
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
