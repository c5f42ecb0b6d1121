// Running the bridge as a process: its Temporal client (its own connection, or the worker's in
// `jobset controller`), its Kubernetes clients and its HTTP endpoint, from one BridgeConfig.
import { Client, Connection, type ConnectionLike } from '@temporalio/client';

import { BridgeControllerName } from '../api/constants.js';
import { AesGcmCodec } from '../codec/aes-gcm.js';
import { codecDataConverter } from '../codec/data-converter.js';
import { loadKubeConfig, makeKubeClients } from '../k8s/client.js';
import { tlsFilesOf } from '../net/config.js';
import { startHttpServer } from '../net/http.js';
import { untilTerminated } from '../net/signals.js';
import { tlsOptions } from '../net/tls.js';
import { JobSetBridge } from './bridge.js';
import type { BridgeConfig } from './config.js';
import type { BridgeMetrics } from './metrics.js';

/** What `jobset controller` shares with its bridge. */
export interface SharedWithBridge {
  /** The bridge's metrics, without the Node.js process metrics (the worker's registry has them). */
  metrics: BridgeMetrics;
  /**
   * The worker's connection (the caller closes it): the bridge starts workflows with eager start,
   * so a new JobSet's first workflow task goes straight to the worker in the same process.
   */
  connection: ConnectionLike;
}

/**
 * The bridge of `config`, not started, on its own Temporal connection (`close` closes it) or on
 * the one `shared` gives; `describe` says what it serves. @throws a bad codec key file
 */
export async function openBridge(
  config: BridgeConfig,
  log: (m: string) => void,
  shared?: SharedWithBridge,
): Promise<{ bridge: JobSetBridge; close: () => Promise<void>; describe: string }> {
  const dataConverter = codecDataConverter(config.JOBSET_CODEC_KEY_FILE);
  const codec = dataConverter.payloadCodecs?.[0];
  const tls = tlsOptions(tlsFilesOf(config));
  const own = shared ? undefined : await Connection.connect({ address: config.TEMPORAL_ADDRESS, ...(tls ? { tls } : {}) });
  const connection: ConnectionLike = shared?.connection ?? own!;
  const bridge = new JobSetBridge({
    kube: makeKubeClients(loadKubeConfig(config.KUBECONFIG)),
    temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter }),
    taskQueue: config.JOBSET_TASK_QUEUE,
    ...(shared ? { eagerStart: true, metrics: shared.metrics } : {}),
    adoptUnmanaged: config.JOBSET_BRIDGE_ADOPT_UNMANAGED,
    ...(config.JOBSET_BRIDGE_NAMESPACE ? { namespace: config.JOBSET_BRIDGE_NAMESPACE } : {}),
    concurrency: config.JOBSET_BRIDGE_CONCURRENCY,
    log,
  });
  const describe =
    `task queue ${config.JOBSET_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS} (Temporal namespace ${config.TEMPORAL_NAMESPACE}); ` +
    `takes spec.managedBy=${BridgeControllerName}${config.JOBSET_BRIDGE_ADOPT_UNMANAGED ? ' and unset' : ''}` +
    (codec instanceof AesGcmCodec ? `; payloads encrypted with key ${codec.keyId}` : '');
  return { bridge, close: async () => own?.close(), describe };
}

/** Runs the bridge of `config` until SIGINT/SIGTERM, with its HTTP endpoint when configured. */
export async function runBridge(config: BridgeConfig, log: (m: string) => void): Promise<void> {
  const { bridge, close, describe } = await openBridge(config, log);
  const http =
    config.JOBSET_HTTP_PORT > 0
      ? await startHttpServer({
          host: config.JOBSET_HTTP_HOST,
          port: config.JOBSET_HTTP_PORT,
          registry: bridge.metrics.registry,
          healthy: () => bridge.healthy(),
          ready: () => bridge.ready(),
        })
      : undefined;
  const stop = untilTerminated();
  log(describe + (http ? `; metrics and health on http://${config.JOBSET_HTTP_HOST}:${http.port}` : ''));
  try {
    await bridge.start();
    const signal = await stop;
    log(`${signal}: stopping`);
  } finally {
    await bridge.stop();
    await http?.close();
    await close();
  }
}
