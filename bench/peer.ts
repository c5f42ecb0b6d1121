// `npm run bench -- --peer upstream`: the same scenarios, side by side with the upstream JobSet
// controller (sigs.k8s.io/jobset, built from the Go module proxy by deploy/local/upstream-build.sh
// and run out-of-cluster on the local cluster), both driven through `kubectl create` of the same
// JobSet custom resources and both timed from one watch in this process.
//
// Both controllers run for the whole benchmark; a JobSet goes to one of them by spec.managedBy
// (upstream skips JobSets managed by someone else, the bridge takes only its own), so the idle
// side only receives watch events. Runs alternate which side goes first. Neither side's
// admission webhook is in the path: the resources are written out fully, with the values
// upstream's defaulting webhook would fill in, so both controllers get the same objects.
//
// Figures: creation (first Job, all Jobs, all pods Running, from the JobSet's arrival on the
// watch), restart (from the failing Job's Failed condition to all new Jobs / pods Running), a
// burst of JobSets created at once (all Jobs created, all pods Running, all Completed, apiserver
// requests per JobSet), opt-in N concurrent long-running JobSets, and per side the memory and CPU
// of every process it needs (ours: `jobset controller`, the extra workers of a scale run, the
// Temporal dev server).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

import { BridgeControllerName } from '../src/api/constants.js';
import { JobSetNamespaceKey, statusQuery, workflowId } from '../workflows/contract.js';
import {
  apiRequestCounts,
  createNamespace,
  deleteNamespace,
  diffCounts,
  kubectlBinary,
  procCpuSeconds,
  procMemory,
  root,
  sleep,
  stat,
  stopProcess,
  timeEach,
  Tracker,
  WorkerProcess,
  type Stat,
} from './lib.js';

export interface PeerOptions {
  runs: number;
  replicas: number[];
  restartReplicas: number;
  /** JobSets x 4 Jobs created at once. */
  burst: number;
  /** N concurrent long-running single-pod JobSets (0: skipped). */
  concurrent: number;
  /** Our worker processes on the task queue (Temporal shares the JobSets out between them). */
  workers: number;
  failAfter: string;
  address: string;
  only: Set<string>;
  log: (msg: string) => void;
}

export interface PeerRow {
  figure: string;
  unit: string;
  upstream: Stat;
  ours: Stat;
  /** ours / upstream, per run pair. */
  ratio?: Stat;
  target?: string;
  met?: boolean;
}

type SideName = 'upstream' | 'ours';

interface Proc {
  name: string;
  pid: number;
}

/** One controller: the processes it needs and what it puts in spec.managedBy. */
interface Side {
  name: SideName;
  /** Reads one JobSet's status the way its users do (ours: the workflow's status query). */
  query?(namespace: string, name: string): Promise<void>;
  /** Where the time went in one JobSet's creation (ours: from its workflow history). */
  spans?(namespace: string, name: string, t0: number): Promise<Record<string, number>>;
  managedBy?: string;
  procs: Proc[];
  /** Resolves once the side has finished its own work on the namespace's deleted JobSets. */
  settled(namespace: string, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

// ------------------------------------------------------------------------------------------------
// the two sides

const UPSTREAM_HEALTH_PORT = 16481;
const UPSTREAM_WEBHOOK_PORT = 16482;
const BRIDGE_HTTP_PORT = 16483;
const WORKER_HTTP_PORT = 16484;

/**
 * The upstream manager with its webhook server on a throwaway self-signed certificate (nothing
 * registers its webhooks; controller-runtime refuses to start without a certificate), no metrics
 * server, no leader election, its own default client rate limits (500 QPS).
 */
async function startUpstream(log: (m: string) => void): Promise<Side> {
  const binary = execFileSync('bash', [`${root}deploy/local/upstream-build.sh`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'jobset-upstream-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', `${dir}/tls.key`, '-out', `${dir}/tls.crt`],
    { stdio: 'ignore' },
  );
  writeFileSync(
    `${dir}/config.yaml`,
    [
      'apiVersion: config.jobset.x-k8s.io/v1alpha1',
      'kind: Configuration',
      'internalCertManagement: {enable: false}',
      `webhook: {port: ${UPSTREAM_WEBHOOK_PORT}, host: 127.0.0.1, certDir: ${dir}}`,
      'metrics: {bindAddress: "0"}',
      `health: {healthProbeBindAddress: "127.0.0.1:${UPSTREAM_HEALTH_PORT}"}`,
      'leaderElection: {leaderElect: false}',
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['--kubeconfig', process.env.KUBECONFIG!, '--config', `${dir}/config.yaml`, '--zap-log-level', 'error', '--zap-devel=false'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const output = captured(child);
  await until('the upstream controller to be ready', child, output, async () => (await fetch(`http://127.0.0.1:${UPSTREAM_HEALTH_PORT}/readyz`)).ok);
  log(`upstream controller ${binary} ready (pid ${child.pid})`);
  return {
    name: 'upstream',
    procs: [{ name: 'controller', pid: child.pid! }],
    // Nothing outlives the resource: its Jobs go with it (ownerReferences, garbage collector).
    settled: async () => undefined,
    async stop() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Ours as one process like upstream's: `jobset controller` (the bridge and a worker, starting
 * workflows eagerly), `workerCount - 1` more `jobset worker` processes, all on a fresh task queue
 * and with the image's MALLOC_ARENA_MAX (Dockerfile); and the local Temporal dev server.
 */
async function startOurs(address: string, workerCount: number, log: (m: string) => void): Promise<Side> {
  const taskQueue = `peer-${Date.now().toString(36)}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const env = { MALLOC_ARENA_MAX: '2' };
  const controller = spawn(
    process.execPath,
    [`${root}bin/jobset.js`, 'controller', '--address', address, '--task-queue', taskQueue, '--http-port', String(BRIDGE_HTTP_PORT)],
    {
      cwd: root,
      env: { ...process.env, ...env, JOBSET_TASK_QUEUE: taskQueue },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const workers = Array.from({ length: workerCount - 1 }, (_, i) =>
    WorkerProcess.start(address, taskQueue, { ...env, JOBSET_HTTP_PORT: String(WORKER_HTTP_PORT + i) }),
  );
  const output = captured(controller);
  await until('the controller to be ready', controller, output, async () => (await fetch(`http://127.0.0.1:${BRIDGE_HTTP_PORT}/readyz`)).ok);
  for (const [i, worker] of workers.entries()) {
    await until(
      'the worker to poll its task queue',
      worker.child,
      { text: () => worker.output() },
      async () => (await fetch(`http://127.0.0.1:${WORKER_HTTP_PORT + i}/readyz`)).ok,
    );
  }
  const server = Number(readFileSync(`${process.env.JOBSET_STATE_DIR ?? `${root}.state`}/temporal/pid`, 'utf8').trim());
  const workerName = (i: number) => `worker ${i + 2}`;
  log(
    `ours: controller pid ${controller.pid}${workers.map((w, i) => `, ${workerName(i)} pid ${w.child.pid}`).join('')}, Temporal dev server pid ${server}, task queue ${taskQueue}`,
  );
  return {
    name: 'ours',
    managedBy: BridgeControllerName,
    procs: [
      { name: 'controller', pid: controller.pid! },
      ...workers.map((w, i) => ({ name: workerName(i), pid: w.child.pid! })),
      { name: 'Temporal dev server', pid: server },
    ],
    query: async (namespace, name) => void (await client.workflow.getHandle(workflowId(namespace, name)).query(statusQuery)),
    spans: (namespace, name, t0) => creationSpans(client, workflowId(namespace, name), t0),
    // The workflow's cleanup may still be running after the resource is gone; it must end
    // before the next run starts (and before the worker stops).
    async settled(namespace: string, timeoutMs: number) {
      const query = `${JobSetNamespaceKey.name} = "${namespace}" AND ExecutionStatus = "Running"`;
      const deadline = Date.now() + timeoutMs;
      while ((await client.workflow.count(query)).count > 0) {
        if (Date.now() > deadline) throw new Error(`workflows of ${namespace} still running after ${timeoutMs / 1000} s`);
        await sleep(200);
      }
    },
    async stop() {
      await Promise.all([stopProcess(controller), ...workers.map((w) => w.stop())]);
      await connection.close();
    },
  };
}

/**
 * The steps of a new JobSet's workflow up to its createJobs activity, each as the time it ended,
 * in ms after the JobSet reached the bench's watch (server event times; one machine, one clock).
 */
async function creationSpans(client: Client, id: string, t0: number): Promise<Record<string, number>> {
  const history = await client.workflow.getHandle(id).fetchHistory();
  const spans: Record<string, number> = {};
  const types = new Map<string, string>();
  const at = (e: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }) =>
    Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6) - t0;
  let tasks = 0;
  for (const e of history.events ?? []) {
    if (e.workflowExecutionStartedEventAttributes) spans['workflow started'] = at(e);
    else if (e.workflowTaskCompletedEventAttributes && tasks++ === 0) spans['first workflow task done'] = at(e);
    else if (e.activityTaskScheduledEventAttributes) types.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    else {
      const done = e.activityTaskCompletedEventAttributes
        ? { type: types.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId)) ?? '?', at: at(e) }
        : localActivity(e, t0);
      if (!done) continue;
      spans[`${done.type} done`] ??= done.at;
      if (done.type === 'createJobs') break;
    }
  }
  return spans;
}

/**
 * A local activity's type and end (ms after t0) from its marker: the marker is written when the
 * workflow task completes, the activity's own completion time is in the marker's data.
 */
function localActivity(e: proto.temporal.api.history.v1.IHistoryEvent, t0: number): { type: string; at: number } | undefined {
  const marker = e.markerRecordedEventAttributes;
  const data = marker?.markerName === 'core_local_activity' ? marker.details?.data?.payloads?.[0]?.data : undefined;
  if (!data) return undefined;
  const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; complete_time?: { seconds?: number; nanos?: number } };
  const end = parsed.complete_time;
  return { type: parsed.activity_type ?? '?', at: end ? (end.seconds ?? 0) * 1000 + Math.round((end.nanos ?? 0) / 1e6) - t0 : NaN };
}

function captured(child: ChildProcess): { text: () => string } {
  let out = '';
  child.stderr?.on('data', (d) => (out = (out + String(d)).slice(-20_000)));
  return { text: () => out };
}

async function until(what: string, child: ChildProcess, output: { text: () => string }, ready: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`waiting for ${what}: the process exited ${child.exitCode}:\n${output.text()}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output.text()}`);
    await sleep(250);
  }
}

// ------------------------------------------------------------------------------------------------
// resources, kubectl, resource sampling

interface RJob {
  name: string;
  replicas: number;
  annotations: Record<string, string>;
}

/** A JobSet custom resource written out as upstream's defaulting webhook would leave it. */
function resource(side: Side, namespace: string, name: string, rjobs: RJob[], failurePolicy?: { maxRestarts: number; restartStrategy: string }): object {
  return {
    apiVersion: 'jobset.x-k8s.io/v1alpha2',
    kind: 'JobSet',
    metadata: { name, namespace },
    spec: {
      ...(side.managedBy ? { managedBy: side.managedBy } : {}),
      network: { enableDNSHostnames: true, publishNotReadyAddresses: true },
      successPolicy: { operator: 'All' },
      startupPolicy: { startupPolicyOrder: 'AnyOrder' },
      ...(failurePolicy ? { failurePolicy } : {}),
      replicatedJobs: rjobs.map((r) => ({
        name: r.name,
        replicas: r.replicas,
        template: {
          spec: {
            parallelism: 1,
            completions: 1,
            backoffLimit: 0,
            completionMode: 'Indexed',
            template: { metadata: { annotations: r.annotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
          },
        },
      })),
    },
  };
}

function kubectl(args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlBinary(), ['--kubeconfig', process.env.KUBECONFIG!, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${err}`))));
    child.stdin.end(input ?? '');
  });
}

/** `kubectl create -f -` of these resources (one List, one kubectl process). */
function create(objects: object[]): Promise<void> {
  return kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
}

/**
 * Deletes the namespace's JobSets and waits until they, their Jobs and their pods are gone (15
 * minutes, or 200 ms per JobSet for more than 4,500: the garbage collector works at its client's
 * rate limit).
 */
async function deleteAll(side: Side, tracker: Tracker): Promise<void> {
  const timeoutMs = Math.max(900_000, tracker.jobSets.size * 200);
  await kubectl(['delete', 'jobsets', '--all', '-n', tracker.namespace, '--wait=false']);
  await tracker.until(
    `the JobSets of ${tracker.namespace} and their children to be gone`,
    () => [...tracker.jobSets.values()].every((j) => !j.live) && tracker.counts(() => true).jobs === 0 && tracker.counts(() => true).pods === 0,
    timeoutMs,
  );
  await side.settled(tracker.namespace, timeoutMs);
}

/** Peak RSS and CPU seconds of each of a side's processes over a stretch of work. */
class Sampler {
  private peak = new Map<number, number>();
  private cpu0 = new Map<number, number>();
  private timer: NodeJS.Timeout;

  constructor(private readonly procs: Proc[]) {
    for (const p of procs) this.cpu0.set(p.pid, procCpuSeconds(p.pid));
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
  }

  private sample(): void {
    for (const p of this.procs) {
      try {
        this.peak.set(p.pid, Math.max(this.peak.get(p.pid) ?? 0, procMemory(p.pid).rss));
      } catch {
        // the process ended; its last sample stands
      }
    }
  }

  stop(): Array<{ name: string; peakRssMiB: number; cpuSeconds: number }> {
    clearInterval(this.timer);
    this.sample();
    return this.procs.map((p) => ({
      name: p.name,
      peakRssMiB: (this.peak.get(p.pid) ?? 0) / 2 ** 20,
      cpuSeconds: procCpuSeconds(p.pid) - (this.cpu0.get(p.pid) ?? 0),
    }));
  }
}

// ------------------------------------------------------------------------------------------------
// scenarios: each runs once on one side and returns its figures (ms unless named otherwise)

type Figures = Record<string, number>;

async function creation(side: Side, tracker: Tracker, r: number, run: number): Promise<Figures> {
  const name = `${side.name[0]}c${r}-${run}`;
  const arrived = tracker.until(`${name} on the watch`, () => tracker.jobSets.has(name));
  const first = tracker.until(`a Job of ${name}`, () => tracker.liveJobs(name, 0) >= 1);
  const jobs = tracker.until(`${r} Jobs of ${name}`, () => tracker.liveJobs(name, 0) >= r);
  const running = tracker.until(`${r} pods of ${name} Running`, () => tracker.runningPods(name, 0) >= r);
  await create([resource(side, tracker.namespace, name, [{ name: 'w', replicas: r, annotations: { 'kwok-sim/run-duration': '30m' } }])]);
  const t0 = await arrived;
  const f = { 'first Job': (await first) - t0, 'all Jobs': (await jobs) - t0, 'all pods Running': (await running) - t0 };
  const spans = side.spans ? await side.spans(tracker.namespace, name, t0) : {};
  await deleteAll(side, tracker);
  return { ...f, ...Object.fromEntries(Object.entries(spans).map(([k, v]) => [`span: ${k}`, v])) };
}

async function restart(side: Side, tracker: Tracker, r: number, strategy: string, failAfter: string, run: number): Promise<Figures> {
  const name = `${side.name[0]}r${strategy === 'Recreate' ? 're' : 'bl'}-${run}`;
  await create([
    resource(
      side,
      tracker.namespace,
      name,
      [
        { name: 'w', replicas: r - 1, annotations: { 'kwok-sim/run-duration': '30m' } },
        { name: 'f', replicas: 1, annotations: { 'kwok-sim/run-duration': failAfter, 'kwok-sim/fail': 'true', 'kwok-sim/fail-restart-attempts': '0' } },
      ],
      { maxRestarts: 1, restartStrategy: strategy },
    ),
  ]);
  await tracker.until(`${r} attempt-0 pods of ${name} Running`, () => tracker.runningPods(name, 0) >= r);
  if (tracker.firstFailure(name) !== undefined) throw new Error(`the failing Job of ${name} failed before all pods ran: raise --fail-after`);
  const jobs = tracker.until(`${r} attempt-1 Jobs of ${name}`, () => tracker.liveJobs(name, 1) >= r);
  const running = tracker.until(`${r} attempt-1 pods of ${name} Running`, () => tracker.runningPods(name, 1) >= r);
  await tracker.until(`a Job of ${name} to fail`, () => tracker.firstFailure(name) !== undefined);
  const failedAt = tracker.firstFailure(name)!;
  const f = { 'all new Jobs': (await jobs) - failedAt, 'all new pods Running': (await running) - failedAt };
  await deleteAll(side, tracker);
  return f;
}

/** `n` JobSets of 4 single-pod Jobs (pods run 2 s) created by one kubectl, until all Completed. */
async function burst(side: Side, tracker: Tracker, n: number, run: number): Promise<Figures> {
  const prefix = `${side.name[0]}b${run}-`;
  const mine = (js: string) => js.startsWith(prefix);
  const names = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const arrived = tracker.until(`a JobSet of ${prefix}* on the watch`, () => names.some((x) => tracker.jobSets.has(x)));
  const first = tracker.until(`a Job of ${prefix}*`, () => tracker.counts(mine).jobs >= 1);
  const jobs = tracker.until(`${4 * n} Jobs of ${prefix}*`, () => tracker.counts(mine).jobs >= 4 * n);
  const ran = tracker.until(`${4 * n} pods of ${prefix}* Running`, () => tracker.counts(mine).ran >= 4 * n);
  const completed = tracker.until(`${n} JobSets ${prefix}* Completed`, () => names.every((x) => tracker.jobSets.get(x)?.completed), 900_000);
  const before = await apiRequestCounts();
  await create(names.map((x) => resource(side, tracker.namespace, x, [{ name: 'w', replicas: 4, annotations: { 'kwok-sim/run-duration': '2s' } }])));
  const t0 = await arrived;
  const f = { 'first Job': (await first) - t0, 'all Jobs': (await jobs) - t0, 'all pods Running': (await ran) - t0, 'all Completed': (await completed) - t0 };
  const requests = [...diffCounts(before, await apiRequestCounts()).values()].reduce((a, b) => a + b, 0);
  await deleteAll(side, tracker);
  return { ...f, 'apiserver requests per JobSet': requests / n };
}

/**
 * `n` long-running single-pod JobSets at once, until all pods Running; then, with all of them
 * running, the side's status read of 20 of them (ours: the status query) and one more JobSet
 * whose pod fails: from its Job's Failed condition to the JobSet's (maxRestarts 0).
 */
async function concurrent(side: Side, tracker: Tracker, n: number): Promise<Figures> {
  const prefix = `${side.name[0]}n-`;
  const mine = (js: string) => js.startsWith(prefix);
  const names = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const arrived = tracker.until(`a JobSet of ${prefix}* on the watch`, () => names.some((x) => tracker.jobSets.has(x)));
  const running = tracker.until(`${n} pods of ${prefix}* Running`, () => tracker.counts(mine).ran >= n, Math.max(600_000, n * 2_000));
  for (let i = 0; i < n; i += 500) {
    await create(
      names.slice(i, i + 500).map((x) => resource(side, tracker.namespace, x, [{ name: 'w', replicas: 1, annotations: { 'kwok-sim/run-duration': '2h' } }])),
    );
  }
  const t0 = await arrived;
  const f: Figures = { 'all pods Running': (await running) - t0 };
  await sleep(10_000);
  if (side.query) {
    const query = side.query;
    f['status query (median of 20)'] = stat(await timeEach(20, () => query(tracker.namespace, names[Math.floor(Math.random() * n)]!))).median;
  }
  const failing = `${prefix}fail`;
  const failed = tracker.until(`${failing} Failed`, () => tracker.jobSets.get(failing)?.failed === true, 300_000);
  await create([
    resource(side, tracker.namespace, failing, [{ name: 'w', replicas: 1, annotations: { 'kwok-sim/run-duration': '5s', 'kwok-sim/fail': 'true' } }]),
  ]);
  const jobSetFailed = await failed;
  const jobFailed = tracker.firstFailure(failing);
  if (jobFailed === undefined) throw new Error(`${failing} failed without a failed Job on the watch`);
  f['one Job Failed -> its JobSet Failed'] = jobSetFailed - jobFailed;
  await deleteAll(side, tracker);
  return f;
}

// ------------------------------------------------------------------------------------------------

/** Figures of both sides, paired by run. */
class Pairs {
  private values = new Map<string, { unit: string; upstream: number[]; ours: number[]; target?: number; limitMs?: number }>();

  /** `targets`: at most this ratio to upstream; `limits`: ours at most this many ms. */
  add(scenario: string, side: SideName, figures: Figures, targets: Record<string, number> = {}, limits: Record<string, number> = {}): void {
    for (const [k, v] of Object.entries(figures)) {
      const key = `${scenario}: ${k}`;
      const e = this.values.get(key) ?? {
        unit: k.startsWith('apiserver') ? 'req' : 'ms',
        upstream: [],
        ours: [],
        ...(targets[k] !== undefined ? { target: targets[k] } : {}),
        ...(limits[k] !== undefined ? { limitMs: limits[k] } : {}),
      };
      e[side].push(v);
      this.values.set(key, e);
    }
  }

  rows(): PeerRow[] {
    return [...this.values.entries()].map(([figure, e]) => {
      const ratios = e.ours.map((v, i) => v / Math.max(e.upstream[i] ?? NaN, 1e-9)).filter((x) => Number.isFinite(x));
      const ratio = stat(ratios);
      return {
        figure,
        unit: e.unit,
        upstream: stat(e.upstream),
        ours: stat(e.ours),
        ...(ratios.length ? { ratio } : {}),
        ...(e.target !== undefined ? { target: `<= ${e.target}x upstream`, met: ratio.median <= e.target } : {}),
        ...(e.limitMs !== undefined ? { target: `ours < ${e.limitMs} ms`, met: stat(e.ours).median < e.limitMs } : {}),
      };
    });
  }
}

export async function peerBench(
  o: PeerOptions,
): Promise<{ rows: PeerRow[]; processes: Record<SideName, Record<string, { peakRssMiB: number; cpuSeconds: number }>> }> {
  const crd = `${root}deploy/crd/jobsets.jobset.x-k8s.io.yaml`;
  await kubectl(['apply', '--server-side', '--force-conflicts', '-f', crd]);
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/jobsets.jobset.x-k8s.io']);

  const upstream = await startUpstream(o.log);
  let ours: Side | undefined;
  const pairs = new Pairs();
  const processes = { upstream: {}, ours: {} } as Record<SideName, Record<string, { peakRssMiB: number; cpuSeconds: number }>>;
  const atRest: Record<SideName, number> = { upstream: 0, ours: 0 };
  const fresh: Record<SideName, number> = { upstream: 0, ours: 0 };
  try {
    const inNamespace = async (prefix: string, fn: (tracker: Tracker) => Promise<void>) => {
      const ns = await createNamespace(prefix);
      const tracker = await Tracker.start(ns, { jobSets: true });
      try {
        await fn(tracker);
      } finally {
        tracker.stop();
        await deleteNamespace(ns);
      }
    };

    ours = await startOurs(o.address, o.workers, o.log);
    // Memory at rest before any JobSet: once the start's garbage is collected (20 s idle).
    await sleep(20_000);
    for (const side of [upstream, ours]) fresh[side.name] = procMemory(side.procs.find((p) => p.name === 'controller')!.pid).rss / 2 ** 20;
    // One small JobSet each, unmeasured: first-use costs (the worker's first workflow, the
    // informers' first lists) are not what the figures are about.
    await inNamespace('peer-warmup', async (tracker) => {
      for (const side of [upstream, ours!]) await creation(side, tracker, 2, 0);
    });
    await sleep(5_000);
    for (const side of [upstream, ours]) {
      // The controller alone (ours: the bridge and one worker): what one more worker adds is the same again.
      atRest[side.name] = procMemory(side.procs.find((p) => p.name === 'controller')!.pid).rss / 2 ** 20;
    }
    const sides = (run: number) => (run % 2 === 0 ? [upstream, ours!] : [ours!, upstream]);
    const measured = async (side: Side, what: () => Promise<void>) => {
      const sampler = new Sampler(side.procs);
      try {
        await what();
      } finally {
        for (const p of sampler.stop()) {
          const prev = processes[side.name][p.name];
          processes[side.name][p.name] = { peakRssMiB: Math.max(prev?.peakRssMiB ?? 0, p.peakRssMiB), cpuSeconds: (prev?.cpuSeconds ?? 0) + p.cpuSeconds };
        }
      }
    };
    if (o.only.has('creation')) {
      await inNamespace('peer-create', async (tracker) => {
        for (const r of o.replicas) {
          for (let run = 0; run < o.runs; run++) {
            for (const side of sides(run)) {
              await measured(side, async () => {
                const f = await creation(side, tracker, r, run);
                pairs.add(`creation R=${r}`, side.name, f, { 'all Jobs': 1, 'all pods Running': 1 });
                o.log(`creation R=${r} run ${run + 1}/${o.runs} ${side.name}: ${JSON.stringify(f)}`);
              });
            }
          }
        }
      });
    }
    if (o.only.has('restart')) {
      await inNamespace('peer-restart', async (tracker) => {
        for (let run = 0; run < o.runs; run++) {
          for (const strategy of ['Recreate', 'BlockingRecreate']) {
            for (const side of sides(run)) {
              await measured(side, async () => {
                const f = await restart(side, tracker, o.restartReplicas, strategy, o.failAfter, run);
                pairs.add(`restart ${strategy} R=${o.restartReplicas}`, side.name, f, { 'all new Jobs': 1, 'all new pods Running': 1 });
                o.log(`restart ${strategy} run ${run + 1}/${o.runs} ${side.name}: ${JSON.stringify(f)}`);
              });
            }
          }
        }
      });
    }
    if (o.only.has('throughput')) {
      await inNamespace('peer-burst', async (tracker) => {
        for (let run = 0; run < o.runs; run++) {
          for (const side of sides(run)) {
            await measured(side, async () => {
              const f = await burst(side, tracker, o.burst, run);
              pairs.add(`${o.burst} JobSets x 4 Jobs at once`, side.name, f, {
                'all Jobs': 1,
                'all pods Running': 1,
                'all Completed': 1,
                'apiserver requests per JobSet': 1,
              });
              o.log(`burst ${o.burst} run ${run + 1}/${o.runs} ${side.name}: ${JSON.stringify(f)}`);
            });
          }
        }
      });
    }
    if (o.concurrent > 0) {
      // Room for the N pods and the failing JobSet's: a local node holds 10,000 pods, and the
      // 10,001st of a run on one node stays Pending.
      const nodes = Math.ceil((o.concurrent + 100) / 10_000);
      o.log(`${nodes} KWOK node(s) for ${o.concurrent} pods`);
      execFileSync('bash', [`${root}deploy/local/cluster.sh`, 'up'], {
        env: { ...process.env, JOBSET_K8S_NODES: String(nodes) },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      await inNamespace('peer-scale', async (tracker) => {
        for (const side of sides(0)) {
          await measured(side, async () => {
            const f = await concurrent(side, tracker, o.concurrent);
            pairs.add(
              `${o.concurrent} concurrent single-pod JobSets`,
              side.name,
              f,
              { 'all pods Running': 1.2 },
              { 'status query (median of 20)': 50, 'one Job Failed -> its JobSet Failed': 1000 },
            );
            o.log(`concurrent ${o.concurrent} ${side.name}: ${JSON.stringify(f)}`);
          });
        }
      });
    }
  } finally {
    await ours?.stop();
    await upstream.stop();
  }
  const rows = pairs.rows();
  if (o.concurrent > 0) {
    for (const [name, p] of Object.entries(processes.ours).filter(([name]) => name === 'controller' || name.startsWith('worker'))) {
      rows.push({
        figure: `${o.concurrent} concurrent single-pod JobSets: peak RSS of ${name === 'controller' ? 'the controller (worker 1' : `${name} (`} of ${o.workers})`,
        unit: 'MiB',
        upstream: stat([processes.upstream.controller?.peakRssMiB ?? NaN]),
        ours: stat([p.peakRssMiB]),
        target: 'ours < 1024 MiB',
        met: p.peakRssMiB < 1024,
      });
    }
  }
  // Memory at rest, against the same target twice: before any JobSet, and after the warm-up.
  const memoryRow = (figure: string, mib: Record<SideName, number>) => ({
    figure,
    unit: 'MiB',
    upstream: stat([mib.upstream]),
    ours: stat([mib.ours]),
    ratio: stat([mib.ours / mib.upstream]),
    target: 'ours < 150 MiB',
    met: mib.ours < 150,
  });
  rows.push(
    memoryRow('memory at rest before the first JobSet (upstream: controller; ours: jobset controller, the bridge and one worker)', fresh),
    memoryRow('memory at rest after the warm-up JobSet, none running (same processes)', atRest),
  );
  return { rows, processes };
}
