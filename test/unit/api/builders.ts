// Fluent builders for JobSet input in tests, in the spirit of upstream's
// `MakeJobSet(...).ReplicatedJob(...).Obj()`: a case states only what it is about.
import type { JobSetInput } from '../../../src/api/schema.js';

type Json = Record<string, unknown>;

export class ReplicatedJobBuilder {
  private readonly rj: Json;
  private readonly jobSpec: Json;
  private readonly podMeta: Json = {};
  private readonly podSpec: Json;

  constructor(name: string) {
    this.podSpec = { containers: [{ name: 'main', image: 'busybox' }] };
    this.jobSpec = { template: { metadata: this.podMeta, spec: this.podSpec } };
    this.rj = { name, template: { spec: this.jobSpec } };
  }

  replicas(n: number): this {
    this.rj.replicas = n;
    return this;
  }
  groupName(g: string): this {
    this.rj.groupName = g;
    return this;
  }
  dependsOn(...deps: [name: string, status: 'Ready' | 'Complete'][]): this {
    this.rj.dependsOn = deps.map(([name, status]) => ({ name, status }));
    return this;
  }
  /** Sets parallelism and completions together (the usual Indexed shape). */
  pods(n: number): this {
    this.jobSpec.parallelism = n;
    this.jobSpec.completions = n;
    return this;
  }
  jobSpecField(key: string, value: unknown): this {
    this.jobSpec[key] = value;
    return this;
  }
  podSpecField(key: string, value: unknown): this {
    this.podSpec[key] = value;
    return this;
  }
  podAnnotations(a: Record<string, string>): this {
    this.podMeta.annotations = a;
    return this;
  }
  mount(volume: string, where: 'containers' | 'initContainers' = 'containers'): this {
    const container = { name: where === 'containers' ? 'main' : 'init', image: 'busybox', volumeMounts: [{ name: volume, mountPath: `/mnt/${volume}` }] };
    if (where === 'containers') this.podSpec.containers = [container];
    else this.podSpec.initContainers = [container];
    return this;
  }
  obj(): Json {
    return this.rj;
  }
}

export const rjob = (name: string) => new ReplicatedJobBuilder(name);

export class JobSetBuilder {
  private readonly metadata: Json;
  private readonly spec: Json = { replicatedJobs: [] };
  private statusValue: Json | undefined;

  /** `null`: no name at all (`generateName`, or the missing-name error). */
  constructor(name: string | null = 'js') {
    this.metadata = name === null ? {} : { name };
  }

  meta(key: string, value: unknown): this {
    this.metadata[key] = value;
    return this;
  }
  replicatedJobs(...rjobs: ReplicatedJobBuilder[]): this {
    this.spec.replicatedJobs = rjobs.map((r) => r.obj());
    return this;
  }
  set(key: string, value: unknown): this {
    this.spec[key] = value;
    return this;
  }
  status(s: Json): this {
    this.statusValue = s;
    return this;
  }
  obj(): JobSetInput {
    const out: Json = { apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', metadata: this.metadata, spec: this.spec };
    if (this.statusValue) out.status = this.statusValue;
    // A deep copy, so a builder can be reused and a case cannot mutate another's input.
    return JSON.parse(JSON.stringify(out)) as JobSetInput;
  }
}

/** A JobSet named `name` (`null`: no name at all) with one 1-replica rjob `w` unless given others. */
export const jobSet = (name: string | null = 'js') => new JobSetBuilder(name).replicatedJobs(rjob('w'));
