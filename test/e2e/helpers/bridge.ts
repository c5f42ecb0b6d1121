// Helpers of the bridge end-to-end tests: kubectl as a process, the CRD installed on the local
// cluster, a worker with metrics in this process, and bridges scoped to one test namespace (the
// cluster and the dev server are shared, so a bridge never looks at another test's JobSets).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { parse, stringify } from 'yaml';

import { createActivities } from '../../../activities/index.js';
import { BridgeControllerName } from '../../../src/api/constants.js';
import { JobSetBridge } from '../../../src/bridge/bridge.js';
import { ChildCache } from '../../../src/k8s/child-cache.js';
import { makeKubeClients, type KubeClients } from '../../../src/k8s/client.js';
import { signalChildChanges } from '../../../worker/child-signals.js';
import { startHttpServer, type RunningHttpServer } from '../../../src/net/http.js';
import { WorkerMetrics } from '../../../worker/metrics.js';
import { eventually, kube } from '../../integration/helpers/kube.js';
import { workflowBundle } from '../../integration/helpers/temporal.js';
import { address, root, run, type CliResult } from './cli.js';

export const crdFile = `${root}/deploy/crd/jobsets.jobset.x-k8s.io.yaml`;

/** `kubectl ...` against the local cluster ($KUBECONFIG and $PATH from the global setup). */
export function kubectl(args: readonly string[], input?: string): Promise<CliResult> {
  return run('kubectl', args, input === undefined ? {} : { input });
}

/** kubectl that must succeed; returns its standard output. */
export async function kubectlOk(args: readonly string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Applies the generated CRD (idempotent, shared by every test file) and waits until it serves. */
export async function installCrd(): Promise<void> {
  await kubectlOk(['apply', '--server-side', '--force-conflicts', '-f', crdFile]);
  await kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/jobsets.jobset.x-k8s.io']);
}

/** An example file as an object, taken by the bridge (spec.managedBy), optionally edited. */
export function example(file: string, edit: (js: any) => void = () => undefined): any {
  const js = parse(readFileSync(`${root}/examples/${file}`, 'utf8'));
  js.spec.managedBy = BridgeControllerName;
  edit(js);
  return js;
}

/** A small JobSet for the bridge: one replicated job of `replicas` single-pod Jobs. */
export function smallJobSet(
  name: string,
  options: { duration?: string; replicas?: number; suspend?: boolean; managedBy?: string | null; extraSpec?: Record<string, unknown> } = {},
): any {
  return {
    apiVersion: 'jobset.x-k8s.io/v1alpha2',
    kind: 'JobSet',
    metadata: { name },
    spec: {
      ...(options.managedBy === null ? {} : { managedBy: options.managedBy ?? BridgeControllerName }),
      ...(options.suspend !== undefined ? { suspend: options.suspend } : {}),
      replicatedJobs: [
        {
          name: 'workers',
          replicas: options.replicas ?? 1,
          template: {
            spec: {
              parallelism: 1,
              completions: 1,
              backoffLimit: 0,
              template: {
                metadata: { annotations: { 'kwok-sim/run-duration': options.duration ?? '1s' } },
                spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
              },
            },
          },
        },
      ],
      ...options.extraSpec,
    },
  };
}

/** `kubectl apply -n NS -f -` of an object. */
export const applyJobSet = (namespace: string, js: unknown) => kubectlOk(['apply', '-n', namespace, '-f', '-'], stringify(js));

/** `kubectl get jobset NAME -o jsonpath=...`. */
export const jsonpath = (namespace: string, name: string, path: string) => kubectlOk(['get', 'jobset', name, '-n', namespace, '-o', `jsonpath=${path}`]);

/** Events about a JobSet as `reason: message` lines (kubectl get events). */
export async function jobSetEvents(namespace: string, name: string): Promise<Array<{ type: string; reason: string; message: string }>> {
  const out = await kubectlOk(['get', 'events', '-n', namespace, '--field-selector', `involvedObject.kind=JobSet,involvedObject.name=${name}`, '-o', 'json']);
  return (JSON.parse(out).items as Array<{ type: string; reason: string; message: string; firstTimestamp?: string }>).map(({ type, reason, message }) => ({
    type,
    reason,
    message,
  }));
}

/** Names of every child object of a JobSet still present (Jobs, Services, Pods by the jobset-name label). */
export async function children(namespace: string, name: string): Promise<string[]> {
  const out = await kubectlOk(['get', 'jobs,services,pods,pvc', '-n', namespace, '-l', `jobset.sigs.k8s.io/jobset-name=${name}`, '-o', 'name']);
  return out.split('\n').filter(Boolean).sort();
}

export interface TestStack {
  client: Client;
  metrics: WorkerMetrics;
  /** The worker's /metrics, /healthz, /readyz. */
  http: RunningHttpServer;
  /** `activityType: message` of every failed activity attempt (retried ones included). */
  activityErrors: string[];
  stop(): Promise<void>;
}

/**
 * A JobSet worker in this process on `taskQueue` of the shared dev server, with its metrics and
 * HTTP endpoint as `jobset worker` runs them, and a client.
 */
export async function startWorkerStack(
  taskQueue: string,
  kubeClients: KubeClients = kube(),
  options: { beforeActivity?: (activityType: string) => Promise<void> } = {},
): Promise<TestStack> {
  const metrics = new WorkerMetrics();
  const activityErrors: string[] = [];
  const native = await NativeConnection.connect({ address: address() });
  const connection = await Connection.connect({ address: address() });
  const client = new Client({ connection });
  // Its own cache, over the stack's clients (the RBAC test gives it the worker's permissions),
  // waking workflows as a worker's does.
  const children = new ChildCache(kubeClients, { log: () => undefined });
  const stopSignals = signalChildChanges(children, client.workflow, { log: () => undefined });
  children.start();
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities(kubeClients, children, { metrics }),
    interceptors: {
      activity: [
        metrics.activityInterceptor(),
        (ctx) => ({
          inbound: {
            execute: async (input, next) => {
              await options.beforeActivity?.(ctx.info.activityType);
              return next(input).catch((err: unknown) => {
                activityErrors.push(`${ctx.info.activityType}: ${err instanceof Error ? err.message : String(err)}`);
                throw err;
              });
            },
          },
        }),
      ],
    },
  });
  const running = worker.run();
  const http = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    registry: metrics.registry,
    healthy: () => worker.getState() !== 'FAILED',
    ready: () => worker.getState() === 'RUNNING',
  });
  return {
    client,
    metrics,
    http,
    activityErrors,
    async stop() {
      await http.close();
      worker.shutdown();
      await running;
      stopSignals();
      await children.stop();
      await native.close();
      await connection.close();
    },
  };
}

/** An in-process bridge watching only `namespace`. */
export async function startBridge(
  client: Client,
  taskQueue: string,
  namespace: string,
  options: { adoptUnmanaged?: boolean; kube?: KubeClients; resyncMs?: number; concurrency?: number } = {},
): Promise<JobSetBridge> {
  const bridge = new JobSetBridge({
    kube: options.kube ?? makeKubeClients(kube().config),
    temporal: client,
    taskQueue,
    namespace,
    adoptUnmanaged: options.adoptUnmanaged ?? false,
    ...(options.resyncMs !== undefined ? { resyncMs: options.resyncMs } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    log: () => undefined,
  });
  await bridge.start();
  await eventually('the bridge to be ready', async () => (bridge.ready() ? true : undefined));
  return bridge;
}

/** `jobset bridge -n NS` as a process (SIGKILL-able like a crashed pod). */
export interface BridgeProcess {
  child: ChildProcess;
  exited: Promise<number | NodeJS.Signals | null>;
  output: () => string;
}

export function spawnBridge(taskQueue: string, namespace: string, extra: string[] = []): BridgeProcess {
  const child = spawn(process.execPath, [`${root}/bin/jobset.js`, 'bridge', '--address', address(), '--task-queue', taskQueue, '-n', namespace, ...extra], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return { child, exited, output: () => out };
}

/** Text of GET http://127.0.0.1:PORT/PATH. */
export async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

/** The value of one sample in Prometheus text (`name{labels} value`), or undefined. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * Rows of a `kubectl get` table keyed by column header. Columns are cut at the header's offsets,
 * since an empty cell (Suspended unset) leaves no word to split on.
 */
export function table(text: string): Array<Record<string, string>> {
  const [header, ...rows] = text.split('\n').filter((l) => l.trim() !== '');
  if (header === undefined) return [];
  const starts = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], at: m.index ?? 0 }));
  return rows.map((row) => Object.fromEntries(starts.map((c, i) => [c.name, row.slice(c.at, starts[i + 1]?.at ?? row.length).trim()])));
}

/** Deletes every JobSet in the namespace and waits until each one's workflow has ended. */
export async function deleteAllJobSets(client: Client, namespace: string): Promise<void> {
  const names = (await kubectlOk(['get', 'jobsets', '-n', namespace, '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean);
  await kubectlOk(['delete', 'jobsets', '--all', '-n', namespace, '--wait=true']);
  for (const name of names) {
    await eventually(
      `the workflow of ${namespace}/${name} to end`,
      async () => {
        try {
          const d = await client.workflow.getHandle(`jobset/${namespace}/${name}`).describe();
          return d.status.name === 'RUNNING' ? undefined : true;
        } catch {
          return true; // never started (invalid, or not ours)
        }
      },
      120_000,
    );
  }
}
