// What crosses the workflow boundary for a JobSet of thousands of Jobs. Every activity result and
// input is a payload in Temporal history (2 MB limit, a warning at 256 KiB), so observations and
// lists of Jobs travel in a compact form that keeps exactly the facts decide() reads:
//
// - An observed Job whose name and labels are the ones this JobSet gives its Jobs (canonical) is
//   a few numbers under its replicated job, and Jobs with consecutive indexes in the same state
//   share one row; any other Job (a name or label we did not write, a malformed label) travels
//   as observed, so nothing is lost or guessed.
// - Lists of Jobs to act on are index ranges per replicated job, plus the names that are not
//   canonical.
//
// At 5,000 single-pod Jobs an observation is at most about 150 KB (every Job in another state
// than its neighbours) instead of about 4 MB.
import { Label } from '../api/constants.js';
import type { JobSet } from '../api/schema.js';
import { jobName, jobSetName } from './naming.js';
import type { JobRef, Observation, ObservedJob, ObservedJobCondition } from './types.js';

/**
 * A run of canonical Jobs with consecutive indexes and the same facts: [first index, count,
 * restart-attempt, job-restart-attempt (-1: no label), flags, active, ready, succeeded,
 * parallelism (-1: unset), completions (-1: unset)]. Thousands of Jobs in the same state are one
 * row.
 */
export type JobRun = [number, number, number, number, number, number, number, number, number, number];

const Flag = { Deleting: 1, Suspended: 2, Complete: 4, Failed: 8 } as const;

export interface CompactObservation {
  serviceExists: boolean;
  pvcsExist?: boolean;
  /** Canonical Jobs by replicated job name, as runs of consecutive indexes. */
  runs: Record<string, JobRun[]>;
  /**
   * The Failed condition of canonical Jobs that failed, by Job name: reason, message and time are
   * what the failure policy reads (a Complete Job is a flag: only its type matters).
   */
  failures?: Record<string, ObservedJobCondition>;
  /** Every other Job, as observed. */
  others: ObservedJob[];
}

const isInt = (s: string | undefined): s is string => s !== undefined && /^(0|[1-9]\d{0,8})$/.test(s);

/** The labels decide() reads, as this JobSet writes them. */
function wireLabels(rjob: string, index: number, attempt: number, jobAttempt: number): Record<string, string> {
  return {
    [Label.ReplicatedJobName]: rjob,
    [Label.JobIndex]: String(index),
    [Label.RestartAttempt]: String(attempt),
    ...(jobAttempt >= 0 ? { [Label.JobRestartAttempt]: String(jobAttempt) } : {}),
  };
}

/** The facts of a Job named and labelled as this JobSet does (without its index), else undefined. */
function factsOf(js: JobSet, job: ObservedJob): { rjob: string; index: number; facts: number[] } | undefined {
  const rjob = job.labels[Label.ReplicatedJobName];
  const index = job.labels[Label.JobIndex];
  const attempt = job.labels[Label.RestartAttempt];
  const jobAttempt = job.labels[Label.JobRestartAttempt];
  if (rjob === undefined || !isInt(index) || !isInt(attempt) || (jobAttempt !== undefined && !isInt(jobAttempt))) return undefined;
  if (job.name !== jobName(jobSetName(js), rjob, Number(index))) return undefined;
  // Only the first True Complete/Failed condition counts (finishedType); any other condition is
  // not read by the decision. A Job with both would need both kept: it travels as observed.
  const finished = job.conditions.filter((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (finished.length > 1) return undefined;
  const state = finished[0]?.type === 'Complete' ? Flag.Complete : finished[0]?.type === 'Failed' ? Flag.Failed : 0;
  const flags = (job.deleting ? Flag.Deleting : 0) | (job.suspended ? Flag.Suspended : 0) | state;
  return {
    rjob,
    index: Number(index),
    facts: [
      Number(attempt),
      jobAttempt === undefined ? -1 : Number(jobAttempt),
      flags,
      job.active,
      job.ready,
      job.succeeded,
      job.parallelism ?? -1,
      job.completions ?? -1,
    ],
  };
}

/** The compact form of an observation (the observe activity sends this). */
export function compactObservation(js: JobSet, obs: Observation): CompactObservation {
  const out: CompactObservation = { serviceExists: obs.serviceExists, runs: {}, others: [] };
  if (obs.pvcsExist !== undefined) out.pvcsExist = obs.pvcsExist;
  const byRjob = new Map<string, Array<{ index: number; facts: number[] }>>();
  for (const job of obs.jobs) {
    const found = factsOf(js, job);
    if (!found) {
      out.others.push(job);
      continue;
    }
    const list = byRjob.get(found.rjob) ?? [];
    list.push(found);
    byRjob.set(found.rjob, list);
    const failed = job.conditions.find((c) => c.type === 'Failed' && c.status === 'True');
    if (failed) (out.failures ??= {})[job.name] = failed;
  }
  for (const [rjob, list] of byRjob) {
    list.sort((a, b) => a.index - b.index);
    const runs: JobRun[] = [];
    for (const { index, facts } of list) {
      const last = runs[runs.length - 1];
      if (last && last[0] + last[1] === index && facts.every((f, i) => last[i + 2] === f)) last[1]++;
      else runs.push([index, 1, ...facts] as JobRun);
    }
    out.runs[rjob] = runs;
  }
  return out;
}

/**
 * The observation back, with every fact decide() reads (and observationDigest hashes): names,
 * the four JobSet labels, deletion, suspension, pod counts, parallelism and completions, whether
 * the Job completed, and the Failed condition of a failed one. Other labels and conditions, start
 * times and failed-pod counts are not carried (nothing in the decision reads them).
 */
export function expandObservation(js: JobSet, c: CompactObservation): Observation {
  const jobs: ObservedJob[] = [];
  for (const [rjob, runs] of Object.entries(c.runs)) {
    for (const [first, count, attempt, jobAttempt, flags, active, ready, succeeded, parallelism, completions] of runs) {
      for (let index = first; index < first + count; index++) {
        const name = jobName(jobSetName(js), rjob, index);
        const failure = c.failures?.[name];
        const job: ObservedJob = {
          name,
          labels: wireLabels(rjob, index, attempt, jobAttempt),
          deleting: (flags & Flag.Deleting) !== 0,
          suspended: (flags & Flag.Suspended) !== 0,
          active,
          ready,
          succeeded,
          failed: 0,
          conditions: (flags & Flag.Complete) !== 0 ? [{ type: 'Complete', status: 'True' }] : (flags & Flag.Failed) !== 0 && failure ? [failure] : [],
        };
        if (parallelism >= 0) job.parallelism = parallelism;
        if (completions >= 0) job.completions = completions;
        jobs.push(job);
      }
    }
  }
  jobs.push(...c.others);
  const out: Observation = { jobs, serviceExists: c.serviceExists };
  if (c.pvcsExist !== undefined) out.pvcsExist = c.pvcsExist;
  return out;
}

/** Sorted, distinct non-negative integers as [first, last] ranges. */
export type Ranges = Array<[number, number]>;

export function toRanges(values: readonly number[]): Ranges {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const out: Ranges = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v === last[1] + 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

export function fromRanges(ranges: Ranges): number[] {
  const out: number[] = [];
  for (const [first, last] of ranges) for (let i = first; i <= last; i++) out.push(i);
  return out;
}

/** Jobs to act on: index ranges per replicated job. */
export type JobRefRanges = Record<string, Ranges>;

export function encodeJobRefs(refs: readonly JobRef[]): JobRefRanges {
  const byRjob = new Map<string, number[]>();
  for (const r of refs) {
    const list = byRjob.get(r.replicatedJob);
    if (list) list.push(r.jobIndex);
    else byRjob.set(r.replicatedJob, [r.jobIndex]);
  }
  return Object.fromEntries([...byRjob].map(([rjob, indexes]) => [rjob, toRanges(indexes)]));
}

export function decodeJobRefs(encoded: JobRefRanges): JobRef[] {
  return Object.entries(encoded).flatMap(([replicatedJob, ranges]) => fromRanges(ranges).map((jobIndex) => ({ replicatedJob, jobIndex })));
}

/** Job names to act on: the canonical ones as ranges per replicated job, the rest as they are. */
export interface EncodedJobNames {
  ranges: JobRefRanges;
  others: Array<{ name: string; replicatedJob?: string }>;
}

/**
 * Job names with their replicated job, as the suspend/resume/delete actions list them. A name is
 * sent as a range entry only when it is exactly the canonical name of (rjob, index).
 */
export function encodeJobNames(js: JobSet, jobs: ReadonlyArray<{ name: string; replicatedJob?: string }>): EncodedJobNames {
  const refs: JobRef[] = [];
  const others: EncodedJobNames['others'] = [];
  const prefix = `${jobSetName(js)}-`;
  for (const j of jobs) {
    const rjob = j.replicatedJob ?? rjobOfName(js, j.name);
    const index = rjob !== undefined && j.name.startsWith(`${prefix}${rjob}-`) ? j.name.slice(prefix.length + rjob.length + 1) : undefined;
    if (rjob !== undefined && isInt(index) && jobName(jobSetName(js), rjob, Number(index)) === j.name)
      refs.push({ replicatedJob: rjob, jobIndex: Number(index) });
    else others.push(j.replicatedJob !== undefined ? { name: j.name, replicatedJob: j.replicatedJob } : { name: j.name });
  }
  return { ranges: encodeJobRefs(refs), others };
}

/** The replicated job whose canonical names `name` has the shape of (longest match), if any. */
function rjobOfName(js: JobSet, name: string): string | undefined {
  const prefix = `${jobSetName(js)}-`;
  return js.spec.replicatedJobs
    .map((r) => r.name)
    .filter((r) => name.startsWith(`${prefix}${r}-`))
    .sort((a, b) => b.length - a.length)[0];
}

/** The names back (of the JobSet named `jobSet`), each with its replicated job when known. */
export function decodeJobNames(jobSet: string, encoded: EncodedJobNames): Array<{ name: string; replicatedJob?: string }> {
  const canonical = decodeJobRefs(encoded.ranges).map((r) => ({ name: jobName(jobSet, r.replicatedJob, r.jobIndex), replicatedJob: r.replicatedJob }));
  return [...canonical, ...encoded.others];
}

// Act activity inputs. Runs recorded before the compact forms scheduled activities with plain
// lists (`names`, `jobs`): an activity retried from such a history still gets them, so both are read.

/** The Jobs a delete or suspend works on. */
export interface JobNamesInput {
  namespace: string;
  /** With `encoded`: the JobSet whose canonical names the ranges stand for. */
  jobSetName?: string;
  encoded?: EncodedJobNames;
  names?: string[];
}

export const namesOf = (input: JobNamesInput): string[] =>
  input.encoded ? decodeJobNames(input.jobSetName ?? '', input.encoded).map((j) => j.name) : (input.names ?? []);

/** The Jobs a create works on. */
export interface JobRefsInput {
  refs?: JobRefRanges;
  jobs?: JobRef[];
}

export const refsOf = (input: JobRefsInput): JobRef[] => (input.refs ? decodeJobRefs(input.refs) : (input.jobs ?? []));

/** The Jobs a resume works on, each with its replicated job (whose template it merges). */
export interface ResumeJobsInput {
  encoded?: EncodedJobNames;
  jobs?: Array<{ name: string; replicatedJob: string }>;
}

export const resumesOf = (jobSet: string, input: ResumeJobsInput): Array<{ name: string; replicatedJob?: string }> =>
  input.encoded ? decodeJobNames(jobSet, input.encoded) : (input.jobs ?? []);
