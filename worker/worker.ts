// The worker: hosts the JobSet workflows and the Kubernetes activities on one task queue.
import { fileURLToPath } from 'node:url';

import { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Registry } from 'prom-client';

import { createActivities } from '../activities/index.js';
import { AesGcmCodec } from '../src/codec/aes-gcm.js';
import { payloadCodec } from '../src/codec/data-converter.js';
import { codecEndpoint, parseCorsOrigins } from '../src/codec/server.js';
import { ChildCache } from '../src/k8s/child-cache.js';
import { loadKubeConfig, makeKubeClients } from '../src/k8s/client.js';
import { workflowSource } from './bundle.js';
import { signalChildChanges } from './child-signals.js';
import type { WorkerConfig } from './config.js';
import { tlsFilesOf } from '../src/net/config.js';
import { tlsOptions } from '../src/net/tls.js';
import { startHttpServer } from '../src/net/http.js';
import { WorkerMetrics } from './metrics.js';

/** The workflows entry, next to this file's tree whether it runs from source (.ts) or a build (.js). */
export const workflowsPath = fileURLToPath(new URL(`../workflows/index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

export interface CreateWorkerOptions {
  /** Counters and the activity latency histogram; a fresh set when not given. */
  metrics?: WorkerMetrics;
  /** The payload codec; by default the one of JOBSET_CODEC_KEY_FILE (src/codec/data-converter.ts). */
  codec?: PayloadCodec;
  /** The connection to Temporal, shared with the caller (who closes it); a new one when not given. */
  connection?: NativeConnection;
}

/** The worker's connection to Temporal, from its configuration. */
export function connectWorker(config: WorkerConfig): Promise<NativeConnection> {
  const tls = tlsOptions(tlsFilesOf(config));
  return NativeConnection.connect({ address: config.TEMPORAL_ADDRESS, ...(tls ? { tls } : {}) });
}

/** The Temporal worker and the cache of child objects its activities read. */
export interface JobSetWorker {
  worker: Worker;
  children: ChildCache;
  /** Starts the cache, runs the worker until it shuts down (SIGINT/SIGTERM, worker.shutdown()), stops the cache. */
  run(): Promise<void>;
}

export async function createWorker(config: WorkerConfig, options: CreateWorkerOptions = {}): Promise<JobSetWorker> {
  const metrics = options.metrics ?? new WorkerMetrics();
  // Read before connecting, so a bad key file fails the start with its own message.
  const codec = options.codec ?? payloadCodec(config.JOBSET_CODEC_KEY_FILE);
  const connection = options.connection ?? (await connectWorker(config));
  const kube = makeKubeClients(loadKubeConfig(config.KUBECONFIG));
  // One list + watch of child Jobs and Services for every JobSet this worker observes.
  const children = new ChildCache(kube, config.JOBSET_NAMESPACES ? { namespaces: config.JOBSET_NAMESPACES } : {});
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.JOBSET_TASK_QUEUE,
    ...(await workflowSource(workflowsPath, (msg) => console.error(`jobset worker: ${msg}`))),
    // Payloads are encrypted and decrypted here, outside the workflow sandbox: workflow code
    // sees plain values, Temporal's history only ciphertext.
    dataConverter: { payloadCodecs: [codec] },
    activities: createActivities(kube, children, { metrics, ...(config.JOBSET_NAMESPACES ? { namespaces: config.JOBSET_NAMESPACES } : {}) }),
    interceptors: { activity: [metrics.activityInterceptor()] },
    maxConcurrentActivityTaskExecutions: config.JOBSET_MAX_CONCURRENT_ACTIVITIES,
    // A new JobSet's first workflow task comes from the task queue's normal (not sticky) queue,
    // which the SDK's defaults let at most 2 of 10 pollers poll: in a burst of 100 JobSets the
    // first tasks waited there 15-20 s while the worker was 80 % idle. Here any of 20 pollers may
    // poll either queue: all Jobs of the burst in 18 s instead of 37-43 s (issue 13, docs/bench.md).
    maxConcurrentWorkflowTaskPolls: 20,
    nonStickyToStickyPollRatio: 1,
    maxCachedWorkflows: config.JOBSET_MAX_CACHED_WORKFLOWS,
  });
  return {
    worker,
    children,
    async run() {
      // The client the child cache signals workflows with (signals carry no payload: no codec), on
      // the worker's own connection: no second connection (and no gRPC library) per worker.
      const signalClient = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
      // Attached before the cache lists: its first list wakes every JobSet it holds.
      const stopSignals = signalChildChanges(children, signalClient.workflow);
      children.start();
      try {
        await worker.run();
      } finally {
        stopSignals();
        await children.stop();
        if (!options.connection) await connection.close();
      }
    },
  };
}

/**
 * What runs beside the worker in its process (the bridge, in `jobset controller`): started before
 * the worker polls and stopped once it has stopped; its metrics and health join the worker's
 * /metrics, /healthz and /readyz.
 */
export interface Companion {
  /** Its metrics; no Node.js process metrics (the worker's registry has them). */
  registry: Registry;
  start(): Promise<void>;
  stop(): Promise<void>;
  healthy(): boolean;
  ready(): boolean;
}

/**
 * Runs a worker until SIGINT/SIGTERM: the SDK's runtime turns those signals into a graceful
 * shutdown (no new tasks, running activities are given time to finish or are cancelled).
 */
export async function runWorker(config: WorkerConfig, companion?: Companion, connection?: NativeConnection): Promise<void> {
  const metrics = new WorkerMetrics();
  // Merged before the worker exists: a clash of metric names fails the start with nothing to stop.
  const registry = companion ? Registry.merge([metrics.registry, companion.registry]) : metrics.registry;
  const codec = payloadCodec(config.JOBSET_CODEC_KEY_FILE);
  const { worker, children, run } = await createWorker(config, { metrics, codec, ...(connection ? { connection } : {}) });
  // /healthz fails once the worker has failed or stopped, so the kubelet restarts the process;
  // /readyz holds while it polls the task queue.
  const http =
    config.JOBSET_HTTP_PORT > 0
      ? await startHttpServer({
          host: config.JOBSET_HTTP_HOST,
          port: config.JOBSET_HTTP_PORT,
          registry,
          healthy: () => !['FAILED', 'STOPPED'].includes(worker.getState()) && (companion?.healthy() ?? true),
          // ...and while the cache of child Jobs is listed and watching.
          ready: () => worker.getState() === 'RUNNING' && children.connected() && (companion?.ready() ?? true),
          // The Web UI's codec server (/encode, /decode), with the worker's own key.
          ...(codec instanceof AesGcmCodec ? { codec: codecEndpoint({ codec, corsOrigins: parseCorsOrigins(config.JOBSET_CODEC_CORS_ORIGIN) }) } : {}),
        })
      : undefined;
  console.error(
    `jobset worker: task queue ${config.JOBSET_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE})` +
      (http ? `; metrics and health on http://${config.JOBSET_HTTP_HOST}:${http.port}` : '') +
      (codec instanceof AesGcmCodec
        ? `; payloads encrypted with key ${codec.keyId}` + (http ? `, codec server on http://${config.JOBSET_HTTP_HOST}:${http.port}` : '')
        : ''),
  );
  try {
    await companion?.start();
    await run();
  } finally {
    await companion?.stop();
    await http?.close();
  }
  console.error('jobset worker: stopped');
}
