// Shared pieces of the benchmark: cluster clients, a namespace-wide watch that timestamps what the
// figures are made of (Jobs appearing, Jobs failing, pods Running), the worker as a separate
// process with its CPU and memory read from /proc, apiserver metrics, and statistics.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { V1Job, V1Pod } from '@kubernetes/client-node';

import { Label } from '../src/api/constants.js';
import { parseJobSet } from '../src/api/load.js';
import type { JobSet, JobSetInput } from '../src/api/schema.js';
import { loadKubeConfig, makeKubeClients, type KubeClients } from '../src/k8s/client.js';
import { isNotFound } from '../src/k8s/errors.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

process.env.KUBECONFIG ??= `${root}.state/cluster/kubeconfig`;

let clients: KubeClients | undefined;
export function kube(): KubeClients {
  clients ??= makeKubeClients(loadKubeConfig(process.env.KUBECONFIG));
  return clients;
}

/** Polls `probe` until it returns a value other than undefined. */
export async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

export async function createNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await kube().core.createNamespace({ body: { metadata: { name, labels: { 'jobset-temporal.io/bench': 'true' } } } });
  await poll(
    `the default ServiceAccount in ${name}`,
    async () => {
      try {
        await kube().core.readNamespacedServiceAccount({ name: 'default', namespace: name });
        return true;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    60_000,
  );
  return name;
}

export async function deleteNamespace(name: string): Promise<void> {
  try {
    await kube().core.deleteNamespace({ name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** A pod template for the fake cluster (KWOK runs no container; annotations say how a pod ends). */
export function podTemplate(annotations: Record<string, string>) {
  return {
    metadata: { annotations },
    spec: { restartPolicy: 'Never' as const, containers: [{ name: 'main', image: 'busybox' }] },
  };
}

/** A JobSet parsed and defaulted as the SDK does, with a fresh UID. */
export function jobSet(namespace: string, input: JobSetInput): JobSet {
  const js = parseJobSet({ ...input, metadata: { ...input.metadata, namespace } });
  return { ...js, metadata: { ...js.metadata, uid: randomUUID() } };
}

interface JobState {
  name: string;
  jobSet: string;
  attempt: number;
  live: boolean;
  failedAt?: number;
}

interface PodState {
  jobSet: string;
  attempt: number;
  live: boolean;
  running: boolean;
  /** Whether the pod was ever seen Running (a short pod may have ended since). */
  ran: boolean;
}

/** A JobSet custom resource as the watch saw it (kubectl-driven runs). */
interface JobSetState {
  live: boolean;
  completed: boolean;
  failed: boolean;
}

/**
 * Watches the child Jobs and pods of one namespace and timestamps, on arrival, the moments the
 * figures need. Orchestrator and floor are measured through the same watch, so its latency
 * cancels out of the ratio.
 */
export class Tracker {
  readonly jobs = new Map<string, JobState>();
  readonly pods = new Map<string, PodState>();
  readonly jobSets = new Map<string, JobSetState>();
  private waiters: Array<{ pred: () => boolean; resolve: (t: number) => void }> = [];
  private aborts: AbortController[] = [];
  private stopped = false;

  private constructor(readonly namespace: string) {}

  /** With `jobSets`, also watches the JobSet custom resources (the CRD must be installed). */
  static async start(namespace: string, options: { jobSets?: boolean } = {}): Promise<Tracker> {
    const t = new Tracker(namespace);
    if (options.jobSets) {
      await t.follow(
        `/apis/jobset.x-k8s.io/v1alpha2/namespaces/${namespace}/jobsets`,
        {},
        (phase: string, js: { metadata?: { name?: string }; status?: { conditions?: Array<{ type: string; status: string }> } }) => {
          const name = js?.metadata?.name;
          if (!name || phase === 'BOOKMARK') return;
          const has = (type: string) => js.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
          t.jobSets.set(name, { live: phase !== 'DELETED', completed: has('Completed'), failed: has('Failed') });
          t.check();
        },
      );
    }
    await t.follow(`/apis/batch/v1/namespaces/${namespace}/jobs`, { labelSelector: Label.JobSetName }, (phase: string, job: V1Job) => {
      const uid = job?.metadata?.uid;
      if (!uid || phase === 'BOOKMARK') return;
      const prev = t.jobs.get(uid);
      const failed = job.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True');
      t.jobs.set(uid, {
        name: job.metadata?.name ?? '',
        jobSet: job.metadata?.labels?.[Label.JobSetName] ?? '',
        attempt: Number(job.metadata?.labels?.[Label.RestartAttempt]),
        live: phase !== 'DELETED',
        ...(prev?.failedAt !== undefined ? { failedAt: prev.failedAt } : failed ? { failedAt: Date.now() } : {}),
      });
      t.check();
    });
    await t.follow(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: Label.JobSetName }, (phase: string, pod: V1Pod) => {
      const uid = pod?.metadata?.uid;
      if (!uid || phase === 'BOOKMARK') return;
      const running = phase !== 'DELETED' && pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp;
      t.pods.set(uid, {
        jobSet: pod.metadata?.labels?.[Label.JobSetName] ?? '',
        attempt: Number(pod.metadata?.labels?.[Label.RestartAttempt]),
        live: phase !== 'DELETED',
        running,
        ran: running || (t.pods.get(uid)?.ran ?? false),
      });
      t.check();
    });
    return t;
  }

  /**
   * Watches `path` until stop(): a watch that ends (the API server's timeout, a broken
   * connection) is opened again from the last resourceVersion seen, so no event is missed.
   */
  private async follow(path: string, params: Record<string, string>, onEvent: Parameters<KubeClients['watch']['watch']>[2]): Promise<void> {
    let resourceVersion: string | undefined;
    const say = (m: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);
    const open = async (): Promise<void> => {
      const abort = await kube().watch.watch(
        path,
        { ...params, ...(resourceVersion ? { resourceVersion } : {}) },
        (phase: string, obj: { metadata?: { resourceVersion?: string } }) => {
          if (phase === 'ERROR') return say(`watch of ${path}: ${JSON.stringify(obj)}`);
          resourceVersion = obj?.metadata?.resourceVersion ?? resourceVersion;
          onEvent(phase, obj);
        },
        (err: unknown) => {
          if (this.stopped) return;
          say(`watch of ${path} ended${err ? `: ${err instanceof Error ? err.message : String(err)}` : ''}; resuming from ${resourceVersion ?? 'now'}`);
          setTimeout(() => void open().catch((e: unknown) => say(`resuming the watch of ${path} failed: ${String(e)}`)), 200);
        },
      );
      this.aborts.push(abort);
    };
    await open();
  }

  liveJobs(jobSet: string, attempt?: number): number {
    let n = 0;
    for (const j of this.jobs.values()) if (j.live && j.jobSet === jobSet && (attempt === undefined || j.attempt === attempt)) n++;
    return n;
  }

  /** Whether a Job of this name and attempt exists (not yet deleted). */
  isLive(name: string, attempt: number): boolean {
    for (const j of this.jobs.values()) if (j.live && j.name === name && j.attempt === attempt) return true;
    return false;
  }

  runningPods(jobSet: string, attempt: number): number {
    let n = 0;
    for (const p of this.pods.values()) if (p.running && p.jobSet === jobSet && p.attempt === attempt) n++;
    return n;
  }

  /** Jobs and pods of the JobSets whose names pass `match`: live Jobs, live pods, pods that ran. */
  counts(match: (jobSet: string) => boolean): { jobs: number; pods: number; ran: number } {
    let jobs = 0;
    let pods = 0;
    let ran = 0;
    for (const j of this.jobs.values()) if (j.live && match(j.jobSet)) jobs++;
    for (const p of this.pods.values()) {
      if (!match(p.jobSet)) continue;
      if (p.live) pods++;
      if (p.ran) ran++;
    }
    return { jobs, pods, ran };
  }

  /** When the first Job of `jobSet` got a Failed condition (local clock), if one did. */
  firstFailure(jobSet: string): number | undefined {
    const times = [...this.jobs.values()].filter((j) => j.jobSet === jobSet && j.failedAt !== undefined).map((j) => j.failedAt!);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Resolves with the local time at which `pred` first held (checked on every watch event). */
  until(what: string, pred: () => boolean, timeoutMs = 600_000): Promise<number> {
    if (pred()) return Promise.resolve(Date.now());
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = (t: number) => {
        clearTimeout(timer);
        resolve(t);
      };
      this.waiters.push({ pred, resolve: done });
    });
  }

  private check(): void {
    const now = Date.now();
    const fired = this.waiters.filter((w) => w.pred());
    if (fired.length === 0) return;
    this.waiters = this.waiters.filter((w) => !fired.includes(w));
    for (const w of fired) w.resolve(now);
  }

  stop(): void {
    this.stopped = true;
    for (const a of this.aborts) a.abort();
  }
}

/** The worker (`jobset worker`, the built CLI) as its own process, so its CPU time and memory are its own. */
export class WorkerProcess {
  private out = '';
  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d) => (this.out += String(d)));
    child.stderr?.on('data', (d) => (this.out += String(d)));
  }

  static start(address: string, taskQueue: string, env: Record<string, string> = {}): WorkerProcess {
    const child = spawn(process.execPath, ['bin/jobset.js', 'worker'], {
      cwd: root,
      env: { ...process.env, ...env, TEMPORAL_ADDRESS: address, JOBSET_TASK_QUEUE: taskQueue },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WorkerProcess(child);
  }

  /** User + system CPU seconds so far. */
  cpuSeconds(): number {
    return procCpuSeconds(this.child.pid!);
  }

  /** Current and peak resident set size in bytes (VmRSS, VmHWM). */
  memory(): { rss: number; peakRss: number } {
    return procMemory(this.child.pid!);
  }

  output(): string {
    return this.out;
  }

  stop(): Promise<void> {
    return stopProcess(this.child);
  }
}

/** SIGTERM, then SIGKILL if the process has not exited after 20 s. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

let clockTicks: number | undefined;

/** User + system CPU seconds a process has used so far, from /proc/<pid>/stat. */
export function procCpuSeconds(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** A process's current and peak resident set size in bytes (VmRSS, VmHWM of /proc/<pid>/status). */
export function procMemory(pid: number): { rss: number; peakRss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
}

let kubectlPath: string | undefined;

/** The kubectl built with the cluster, matching its version. */
export function kubectlBinary(): string {
  kubectlPath ??= `${execFileSync('bash', [`${root}deploy/local/cluster.sh`, 'bin'], { encoding: 'utf8' }).trim()}/kubectl`;
  return kubectlPath;
}

/** The apiserver's Prometheus metrics as (name, labels, value) samples (`kubectl get --raw /metrics`). */
export async function apiserverMetrics(): Promise<Array<{ name: string; labels: Record<string, string>; value: number }>> {
  const text = execFileSync(kubectlBinary(), ['--kubeconfig', process.env.KUBECONFIG!, 'get', '--raw', '/metrics'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const out: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total') && !line.startsWith('apiserver_longrunning_requests')) continue;
    const m = /^(\w+)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** Resource requests served so far (apiserver_request_total over requests that name a resource). */
export async function apiRequestCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const s of await apiserverMetrics()) {
    if (s.name !== 'apiserver_request_total' || !s.labels.resource) continue;
    const key = `${s.labels.verb} ${s.labels.resource}${s.labels.subresource ? `/${s.labels.subresource}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + s.value);
  }
  return counts;
}

export function diffCounts(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const d = new Map<string, number>();
  for (const [k, v] of after) {
    const delta = v - (before.get(k) ?? 0);
    if (delta > 0) d.set(k, delta);
  }
  return d;
}

/** Open WATCH requests on Jobs (apiserver_longrunning_requests). */
export async function openJobWatches(): Promise<number> {
  let n = 0;
  for (const s of await apiserverMetrics()) {
    if (s.name === 'apiserver_longrunning_requests' && s.labels.verb === 'WATCH' && s.labels.resource === 'jobs') n += s.value;
  }
  return n;
}

export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function stat(values: number[]): Stat {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v[v.length - 1]!, n: v.length };
}

/** Runs `fn` `count` times, one after the other; the milliseconds each call took. */
export async function timeEach(count: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}
