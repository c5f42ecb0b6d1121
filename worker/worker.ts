// The worker: hosts the JobSet workflows and the Kubernetes activities on one task queue.
import { fileURLToPath } from 'node:url';

import { NativeConnection, Worker } from '@temporalio/worker';

import { createActivities } from '../activities/index.js';
import { loadKubeConfig, makeKubeClients } from '../src/k8s/client.js';
import type { WorkerConfig } from './config.js';
import { tlsOptions } from './connection.js';

/** The workflows entry, next to this file's tree whether it runs from source (.ts) or a build (.js). */
export const workflowsPath = fileURLToPath(
  new URL(`../workflows/index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

export async function createWorker(config: WorkerConfig): Promise<Worker> {
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
    activities: createActivities(kube),
  });
}

/**
 * Runs a worker until SIGINT/SIGTERM: the SDK's runtime turns those signals into a graceful
 * shutdown (no new tasks, running activities are given time to finish or are cancelled).
 */
export async function runWorker(config: WorkerConfig): Promise<void> {
  const worker = await createWorker(config);
  console.error(`jobset worker: task queue ${config.JOBSET_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE})`);
  await worker.run();
  console.error('jobset worker: stopped');
}
