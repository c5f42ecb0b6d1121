// The worker: hosts the JobSet workflows and the Kubernetes activities on one task queue.
import { fileURLToPath } from 'node:url';

import { NativeConnection, Worker } from '@temporalio/worker';

import { createActivities } from '../activities/index.js';
import { loadKubeConfig, makeKubeClients } from '../src/k8s/client.js';
import type { WorkerConfig } from './config.js';
import { tlsOptions } from './connection.js';
import { startHttpServer } from './http.js';
import { WorkerMetrics } from './metrics.js';

/** The workflows entry, next to this file's tree whether it runs from source (.ts) or a build (.js). */
export const workflowsPath = fileURLToPath(
  new URL(`../workflows/index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

export interface CreateWorkerOptions {
  /** Counters and the activity latency histogram; a fresh set when not given. */
  metrics?: WorkerMetrics;
}

export async function createWorker(config: WorkerConfig, options: CreateWorkerOptions = {}): Promise<Worker> {
  const metrics = options.metrics ?? new WorkerMetrics();
  const tls = tlsOptions({
    cert: config.TEMPORAL_TLS_CERT,
    key: config.TEMPORAL_TLS_KEY,
    ca: config.TEMPORAL_TLS_CA,
    serverName: config.TEMPORAL_TLS_SERVER_NAME,
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS, ...(tls ? { tls } : {}) });
  const kube = makeKubeClients(loadKubeConfig(config.KUBECONFIG));
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.JOBSET_TASK_QUEUE,
    workflowsPath,
    activities: createActivities(kube, { metrics, ...(config.JOBSET_NAMESPACES ? { namespaces: config.JOBSET_NAMESPACES } : {}) }),
    interceptors: { activity: [metrics.activityInterceptor()] },
    maxConcurrentActivityTaskExecutions: config.JOBSET_MAX_CONCURRENT_ACTIVITIES,
    ...(config.JOBSET_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: config.JOBSET_MAX_CACHED_WORKFLOWS } : {}),
  });
}

/**
 * Runs a worker until SIGINT/SIGTERM: the SDK's runtime turns those signals into a graceful
 * shutdown (no new tasks, running activities are given time to finish or are cancelled).
 */
export async function runWorker(config: WorkerConfig): Promise<void> {
  const metrics = new WorkerMetrics();
  const worker = await createWorker(config, { metrics });
  // /healthz fails once the worker has failed or stopped, so the kubelet restarts the process;
  // /readyz holds while it polls the task queue.
  const http =
    config.JOBSET_HTTP_PORT > 0
      ? await startHttpServer({
          host: config.JOBSET_HTTP_HOST,
          port: config.JOBSET_HTTP_PORT,
          registry: metrics.registry,
          healthy: () => !['FAILED', 'STOPPED'].includes(worker.getState()),
          ready: () => worker.getState() === 'RUNNING',
        })
      : undefined;
  console.error(
    `jobset worker: task queue ${config.JOBSET_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE})` +
      (http ? `; metrics and health on http://${config.JOBSET_HTTP_HOST}:${http.port}` : ''),
  );
  try {
    await worker.run();
  } finally {
    await http?.close();
  }
  console.error('jobset worker: stopped');
}
