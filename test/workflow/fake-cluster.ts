// An in-memory Kubernetes for the workflow tests: every activity of JobSetActivities over Maps
// of Jobs, Services and PVCs, with a toy Job controller (a Job's pods run as soon as it is not
// suspended) and a script of when Jobs complete. Manifests come from the real src/core/manifests
// and observations from the real src/k8s/observed and observationDigest, so the workflow sees the
// same facts as against a cluster. A test can also hold an activity call at its start, to place
// an Update exactly while that activity runs; every call is recorded for assertions.
import type { V1Job, V1OwnerReference, V1PersistentVolumeClaim, V1PodTemplateSpec, V1Service } from '@kubernetes/client-node';

import type { JobSetActivities, ObserveResult } from '../../activities/jobset.js';
import { Label } from '../../src/api/constants.js';
import { admitJobSet } from '../../src/api/parse.js';
import type { JobSet, JobSetStatus } from '../../src/api/schema.js';
import { observationDigest } from '../../src/core/decide.js';
import { buildJob, buildPVCs, buildService, mergeForResume } from '../../src/core/manifests.js';
import { jobSetName, jobSetNamespace, subdomain } from '../../src/core/naming.js';
import type { JobSetEvent, Observation } from '../../src/core/types.js';
import { toObservedJob } from '../../src/k8s/observed.js';
import { compactObservation, namesOf, refsOf, resumesOf } from '../../src/core/wire.js';

export type ActivityName = keyof JobSetActivities;

export interface ActivityCall {
  activity: ActivityName;
  input: unknown;
}

export interface FakeClusterOptions {
  /**
   * Real time each act activity takes before its effect, as an API round trip does: the wider
   * the act window, the more Updates arrive while a pass acts. Default 0.
   */
  actLatencyMs?: number;
}

/** An activity call stopped at its start until the test releases it. */
export interface Hold {
  /** Resolves when a call has reached the hold and waits there. */
  entered: Promise<void>;
  release(): void;
}

interface PendingHold {
  matches: (activity: ActivityName) => boolean;
  enter(): void;
  released: Promise<void>;
}

// Real time an observe call with nothing new waits before it returns anyway (the real one
// watches up to the workflow's maxWaitMs, a minute). Nothing changes meanwhile: the workflow runs
// one activity at a time, and Jobs complete as an observation starts (advance). Short, so a test
// never waits.
const OBSERVE_IDLE_MS = 20;

const key = (namespace: string, name: string): string => `${namespace}/${name}`;
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function isFinished(job: V1Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

function isRunning(job: V1Job): boolean {
  return job.spec?.suspend !== true && !isFinished(job);
}

/** What the Job controller makes of a Job's spec: pods run unless it is suspended or finished. */
function settle(job: V1Job): void {
  if (isFinished(job)) return;
  const pods = job.spec?.suspend === true ? 0 : (job.spec?.parallelism ?? 1);
  job.status = {
    ...job.status,
    active: pods,
    ready: pods,
    ...(pods > 0 && !job.status?.startTime ? { startTime: new Date() } : {}),
  };
}

function complete(job: V1Job): void {
  const now = new Date();
  job.status = {
    ...job.status,
    active: 0,
    ready: 0,
    succeeded: job.spec?.completions ?? 1,
    completionTime: now,
    conditions: [...(job.status?.conditions ?? []), { type: 'Complete', status: 'True', lastTransitionTime: now }],
  };
}

export class FakeCluster {
  /** Every activity call, in the order the worker made them. */
  readonly calls: ActivityCall[] = [];
  /** Jobs by `namespace/name`, as the API server stores them (status included). */
  readonly jobs = new Map<string, V1Job>();
  readonly services = new Map<string, V1Service>();
  readonly pvcs = new Map<string, V1PersistentVolumeClaim>();
  readonly events: JobSetEvent[] = [];
  /** Statuses written to the JobSet resource (JobSets with an owner only). */
  readonly statuses: JobSetStatus[] = [];
  readonly activities: JobSetActivities;

  private readonly actLatencyMs: number;
  /** How many observations have reported each Job running. */
  private readonly seenRunning = new Map<string, number>();
  /** A running Job completes once it has been observed running this many times. */
  private runFor = Infinity;
  private holds: PendingHold[] = [];
  /** The API server's resourceVersion: one sequence, bumped by every write of an act activity. */
  version = 0;
  private releases: Array<() => void> = [];

  constructor(options: FakeClusterOptions = {}) {
    this.actLatencyMs = options.actLatencyMs ?? 0;
    const impl = this.implementation();
    // Each activity records its call and passes any hold before doing anything, and act
    // activities take their latency; the implementation below is only the cluster's behaviour.
    const wrapped: Record<string, (input: never) => Promise<unknown>> = {};
    for (const [name, fn] of Object.entries(impl) as Array<[ActivityName, (input: never) => Promise<unknown>]>) {
      wrapped[name] = async (input) => {
        this.calls.push({ activity: name, input });
        await this.passHolds(name);
        if (name !== 'observeChildren') await delay(this.actLatencyMs);
        return fn(input);
      };
    }
    this.activities = wrapped as unknown as JobSetActivities;
  }

  /** From now on, a running Job completes after it has been observed running `observations` times. */
  completeJobsAfter(observations: number): void {
    this.runFor = observations;
  }

  /** Stops the next activity call that `matches` at its start, until released; other calls pass. */
  hold(matches: (activity: ActivityName) => boolean): Hold {
    let enter!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((resolve) => (enter = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ matches, enter, released });
    this.releases.push(release);
    return { entered, release };
  }

  /** Releases every hold and holds nothing more (cleanup after a failed test). */
  releaseHolds(): void {
    this.holds = [];
    for (const release of this.releases) release();
  }

  /** How many times `activity` was called. */
  count(activity: ActivityName): number {
    return this.calls.filter((c) => c.activity === activity).length;
  }

  /** The child Jobs of `js` (its name and UID labels, as the real label selector). */
  childJobs(js: JobSet): V1Job[] {
    const uid = js.metadata.uid;
    return [...this.jobs.values()].filter((j) => {
      const labels = j.metadata?.labels ?? {};
      return j.metadata?.namespace === jobSetNamespace(js) && labels[Label.JobSetName] === jobSetName(js) && (!uid || labels[Label.JobSetUID] === uid);
    });
  }

  private async passHolds(activity: ActivityName): Promise<void> {
    const hold = this.holds.find((h) => h.matches(activity));
    if (!hold) return;
    this.holds = this.holds.filter((h) => h !== hold);
    hold.enter();
    await hold.released;
  }

  private snapshot(js: JobSet): ObserveResult {
    const observation: Observation = {
      jobs: this.childJobs(js).map(toObservedJob),
      serviceExists: this.services.has(key(jobSetNamespace(js), subdomain(js))),
    };
    return { compact: compactObservation(js, observation), digest: observationDigest(observation), resourceVersion: String(this.version) };
  }

  /** The scripted part of the Job controller: Jobs that have run long enough complete. */
  private advance(js: JobSet): void {
    for (const job of this.childJobs(js)) {
      if (!isRunning(job)) continue;
      const name = job.metadata?.name ?? '';
      const seen = this.seenRunning.get(name) ?? 0;
      if (seen >= this.runFor) complete(job);
      else this.seenRunning.set(name, seen + 1);
    }
  }

  /** What an act activity reports: the version of its write. */
  private written(): { resourceVersion: string } {
    return { resourceVersion: String(++this.version) };
  }

  private createService(input: { jobSet: JobSet; owner?: V1OwnerReference }): void {
    const js = input.jobSet;
    const k = key(jobSetNamespace(js), subdomain(js));
    if (!this.services.has(k)) this.services.set(k, buildService(js, input.owner ? { ownerReference: input.owner } : {}));
  }

  private createPVCs(input: { jobSet: JobSet; owner?: V1OwnerReference }): void {
    const js = input.jobSet;
    for (const pvc of buildPVCs(js, input.owner ? { ownerReference: input.owner } : {})) {
      const k = key(jobSetNamespace(js), pvc.metadata?.name ?? '');
      if (!this.pvcs.has(k)) this.pvcs.set(k, pvc);
    }
  }

  private implementation(): JobSetActivities {
    return {
      observeChildren: async (input) => {
        this.advance(input.jobSet);
        const first = this.snapshot(input.jobSet);
        if (first.digest !== input.lastDigest) return first;
        await delay(Math.min(input.maxWaitMs, OBSERVE_IDLE_MS));
        return this.snapshot(input.jobSet);
      },

      ensureService: async (input) => {
        this.createService(input);
        return {};
      },

      ensurePVCs: async (input) => {
        this.createPVCs(input);
        return {};
      },

      // A Job that already exists was created by an earlier try (the fake holds no foreign Jobs).
      createJobs: async (input) => {
        const js = input.jobSet;
        if (input.ensureService) this.createService(input);
        if (input.ensurePVCs) this.createPVCs(input);
        for (const ref of refsOf(input)) {
          const job: V1Job = buildJob(js, ref.replicatedJob, ref.jobIndex, input.status, input.owner ? { ownerReference: input.owner } : {});
          const k = key(jobSetNamespace(js), job.metadata?.name ?? '');
          if (this.jobs.has(k)) continue;
          job.metadata = { ...job.metadata, uid: `uid-${k}`, creationTimestamp: new Date() };
          settle(job);
          this.jobs.set(k, job);
        }
        return this.written();
      },

      // Foreground deletion ends at once: the toy controller has no pods to wait for.
      deleteJobs: async (input) => {
        for (const name of namesOf(input)) this.jobs.delete(key(input.namespace, name));
        return this.written();
      },

      suspendJobs: async (input) => {
        for (const name of namesOf(input)) {
          const job = this.jobs.get(key(input.namespace, name));
          if (!job?.spec) continue;
          job.spec.suspend = true;
          settle(job);
        }
        return this.written();
      },

      // As the real activity: only suspended, unfinished Jobs; startTime cleared, the rjob's
      // scheduling fields merged into the pod template, then suspend=false.
      resumeJobs: async (input) => {
        const js = input.jobSet;
        for (const { name, replicatedJob } of resumesOf(jobSetName(js), input)) {
          const job = this.jobs.get(key(jobSetNamespace(js), name));
          if (!job?.spec || job.spec.suspend !== true || isFinished(job)) continue;
          if (job.status) job.status.startTime = undefined;
          const rjob = js.spec.replicatedJobs.find((r) => r.name === replicatedJob);
          if (rjob) job.spec.template = mergeForResume(job.spec.template, rjob.template.spec.template as V1PodTemplateSpec);
          job.spec.suspend = false;
          settle(job);
        }
        return this.written();
      },

      // The fake API server admits every manifest; the JobSet is admitted as the real activity does.
      dryRunJobs: async () => [],

      admitJobSet: async (input) => {
        const verdict = admitJobSet(input.jobSet);
        if ('issues' in verdict) return { invalid: verdict.issues };
        const js = verdict.jobSet;
        return { jobSet: js.metadata.uid ? js : { ...js, metadata: { ...js.metadata, uid: input.uid } } };
      },

      writeStatus: async (input) => {
        this.statuses.push(input.status);
      },

      emitEvents: async (input) => {
        this.events.push(...input.events);
      },

      deleteChildren: async (input) => {
        const js = input.jobSet;
        const namespace = jobSetNamespace(js);
        for (const job of this.childJobs(js)) this.jobs.delete(key(namespace, job.metadata?.name ?? ''));
        if (js.spec.network.enableDNSHostnames) this.services.delete(key(namespace, subdomain(js)));
        for (const policy of js.spec.volumeClaimPolicies ?? []) {
          if (policy.retentionPolicy.whenDeleted !== 'Delete') continue;
          for (const pvc of buildPVCs({ ...js, spec: { ...js.spec, volumeClaimPolicies: [policy] } })) {
            this.pvcs.delete(key(namespace, pvc.metadata?.name ?? ''));
          }
        }
      },
    };
  }
}
