// Fluent builders for the core unit tests, after upstream's `MakeJobSet(...).Obj()` test
// wrappers: a table row states only what matters to its case.
import { Label } from '../../../src/api/constants.js';
import { jobSetSchema, type Condition, type JobSet, type JobSetInput, type JobSetStatus, type ReplicatedJobStatus } from '../../../src/api/schema.js';
import type { ObservedJob, ObservedJobCondition } from '../../../src/core/types.js';

type SpecInput = JobSetInput['spec'];
type RJobInput = NonNullable<SpecInput['replicatedJobs']>[number];

export const NOW = '2024-05-01T12:00:00Z';
export const EARLIER = '2024-05-01T11:00:00Z';

export class ReplicatedJobBuilder {
  private r: RJobInput;
  constructor(name: string) {
    this.r = {
      name,
      template: { spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox' }] } } } },
    };
  }
  replicas(n: number): this {
    this.r.replicas = n;
    return this;
  }
  groupName(g: string): this {
    this.r.groupName = g;
    return this;
  }
  parallelism(n: number): this {
    this.r.template.spec.parallelism = n;
    return this;
  }
  completions(n: number): this {
    this.r.template.spec.completions = n;
    return this;
  }
  dependsOn(name: string, status: 'Ready' | 'Complete'): this {
    this.r.dependsOn = [...(this.r.dependsOn ?? []), { name, status }];
    return this;
  }
  /** Labels/annotations on the Job template metadata. */
  jobLabels(l: Record<string, string>): this {
    this.r.template.metadata = { ...this.r.template.metadata, labels: l };
    return this;
  }
  jobAnnotations(a: Record<string, string>): this {
    this.r.template.metadata = { ...this.r.template.metadata, annotations: a };
    return this;
  }
  /** Labels/annotations on the pod template metadata. */
  podLabels(l: Record<string, string>): this {
    this.r.template.spec.template.metadata = { ...this.r.template.spec.template.metadata, labels: l };
    return this;
  }
  podAnnotations(a: Record<string, string>): this {
    this.r.template.spec.template.metadata = { ...this.r.template.spec.template.metadata, annotations: a };
    return this;
  }
  /** Shallow-merge into the pod spec (containers, affinity, tolerations, ...). */
  podSpec(p: Record<string, unknown>): this {
    this.r.template.spec.template.spec = { ...this.r.template.spec.template.spec, ...p } as typeof this.r.template.spec.template.spec;
    return this;
  }
  obj(): RJobInput {
    return JSON.parse(JSON.stringify(this.r)) as RJobInput;
  }
}

export const makeReplicatedJob = (name: string): ReplicatedJobBuilder => new ReplicatedJobBuilder(name);

export class JobSetBuilder {
  private js: JobSetInput;
  constructor(name: string, namespace: string) {
    this.js = { metadata: { name, namespace, uid: 'js-uid-1' }, spec: { replicatedJobs: [] } };
  }
  uid(u: string | undefined): this {
    if (u === undefined) delete this.js.metadata.uid;
    else this.js.metadata.uid = u;
    return this;
  }
  annotations(a: Record<string, string>): this {
    this.js.metadata.annotations = a;
    return this;
  }
  replicatedJob(r: RJobInput | ReplicatedJobBuilder): this {
    const rj = r instanceof ReplicatedJobBuilder ? r.obj() : r;
    this.js.spec.replicatedJobs = [...(this.js.spec.replicatedJobs ?? []), rj];
    return this;
  }
  suspend(s: boolean | undefined): this {
    if (s === undefined) delete this.js.spec.suspend;
    else this.js.spec.suspend = s;
    return this;
  }
  network(n: SpecInput['network']): this {
    this.js.spec.network = n;
    return this;
  }
  successPolicy(p: SpecInput['successPolicy']): this {
    this.js.spec.successPolicy = p;
    return this;
  }
  failurePolicy(p: SpecInput['failurePolicy']): this {
    this.js.spec.failurePolicy = p;
    return this;
  }
  startupPolicy(order: 'AnyOrder' | 'InOrder'): this {
    this.js.spec.startupPolicy = { startupPolicyOrder: order };
    return this;
  }
  coordinator(c: SpecInput['coordinator']): this {
    this.js.spec.coordinator = c;
    return this;
  }
  ttl(seconds: number): this {
    this.js.spec.ttlSecondsAfterFinished = seconds;
    return this;
  }
  volumeClaimPolicies(v: SpecInput['volumeClaimPolicies']): this {
    this.js.spec.volumeClaimPolicies = v;
    return this;
  }
  /** The parsed JobSet: every default applied, as core receives it. */
  obj(): JobSet {
    return jobSetSchema.parse(JSON.parse(JSON.stringify(this.js)));
  }
}

export const makeJobSet = (name = 'js', namespace = 'ns'): JobSetBuilder => new JobSetBuilder(name, namespace);

/** An observed child Job of `js`, by default current-attempt (0), running, 1 pod, not ready. */
export class ObservedJobBuilder {
  private j: ObservedJob;
  constructor(jobSet: string, rjob: string, index: number) {
    this.j = {
      name: `${jobSet}-${rjob}-${index}`,
      labels: {
        [Label.JobSetName]: jobSet,
        [Label.ReplicatedJobName]: rjob,
        [Label.JobIndex]: String(index),
        [Label.RestartAttempt]: '0',
        [Label.JobRestartAttempt]: '0',
      },
      deleting: false,
      suspended: false,
      parallelism: 1,
      completions: 1,
      active: 1,
      ready: 0,
      succeeded: 0,
      failed: 0,
      conditions: [],
    };
  }
  name(n: string): this {
    this.j.name = n;
    return this;
  }
  restartAttempt(n: number | string): this {
    this.j.labels[Label.RestartAttempt] = String(n);
    return this;
  }
  jobRestartAttempt(n: number | undefined): this {
    if (n === undefined) delete this.j.labels[Label.JobRestartAttempt];
    else this.j.labels[Label.JobRestartAttempt] = String(n);
    return this;
  }
  label(k: string, v: string | undefined): this {
    if (v === undefined) delete this.j.labels[k];
    else this.j.labels[k] = v;
    return this;
  }
  parallelism(n: number | undefined): this {
    if (n === undefined) delete this.j.parallelism;
    else this.j.parallelism = n;
    return this;
  }
  completions(n: number | undefined): this {
    if (n === undefined) delete this.j.completions;
    else this.j.completions = n;
    return this;
  }
  pods(p: { active?: number; ready?: number; succeeded?: number; failed?: number }): this {
    Object.assign(this.j, p);
    return this;
  }
  /** All pods ready (ready = parallelism). */
  readyJob(): this {
    this.j.ready = this.j.parallelism ?? 1;
    this.j.active = this.j.parallelism ?? 1;
    return this;
  }
  suspended(s = true): this {
    this.j.suspended = s;
    if (s) this.j.active = 0;
    return this;
  }
  deleting(d = true): this {
    this.j.deleting = d;
    return this;
  }
  startTime(t: string): this {
    this.j.startTime = t;
    return this;
  }
  condition(c: ObservedJobCondition): this {
    this.j.conditions.push(c);
    return this;
  }
  completed(at = EARLIER): this {
    this.j.active = 0;
    this.j.succeeded = this.j.completions ?? 1;
    return this.condition({ type: 'Complete', status: 'True', lastTransitionTime: at });
  }
  failed(at = EARLIER, reason = 'BackoffLimitExceeded', message = 'Job has reached the specified backoff limit'): this {
    this.j.active = 0;
    this.j.failed = 1;
    return this.condition({ type: 'Failed', status: 'True', reason, message, lastTransitionTime: at });
  }
  obj(): ObservedJob {
    return JSON.parse(JSON.stringify(this.j)) as ObservedJob;
  }
}

export const makeJob = (rjob: string, index: number, jobSet = 'js'): ObservedJobBuilder => new ObservedJobBuilder(jobSet, rjob, index);

export const cond = (type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, lastTransitionTime = EARLIER): Condition => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime,
});

export class StatusBuilder {
  private s: JobSetStatus = { conditions: [], restarts: 0, restartsCountTowardsMax: 0, replicatedJobsStatus: [] };
  restarts(n: number, countTowardsMax = n): this {
    this.s.restarts = n;
    this.s.restartsCountTowardsMax = countTowardsMax;
    return this;
  }
  condition(c: Condition): this {
    this.s.conditions.push(c);
    return this;
  }
  terminalState(t: 'Completed' | 'Failed'): this {
    this.s.terminalState = t;
    return this;
  }
  rjob(name: string, counts: Partial<Omit<ReplicatedJobStatus, 'name'>> = {}): this {
    this.s.replicatedJobsStatus.push({ name, ready: 0, succeeded: 0, failed: 0, active: 0, suspended: 0, ...counts });
    return this;
  }
  obj(): JobSetStatus {
    return JSON.parse(JSON.stringify(this.s)) as JobSetStatus;
  }
}

export const makeStatus = (): StatusBuilder => new StatusBuilder();
