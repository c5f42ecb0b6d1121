// `jobset bridge`: runs the CRD bridge (src/bridge/) until SIGINT/SIGTERM. JobSet custom
// resources become workflows on the JobSet workers' task queue; kubectl get/wait/describe/delete
// then work as with the upstream controller.
import { Client, Connection, type ConnectionLike } from '@temporalio/client';

import { BridgeControllerName } from '../../api/constants.js';
import { AesGcmCodec } from '../../codec/aes-gcm.js';
import { JobSetBridge } from '../../bridge/bridge.js';
import { BridgeMetrics } from '../../bridge/metrics.js';
import { loadKubeConfig, makeKubeClients } from '../../k8s/client.js';
import { startHttpServer } from '../../../worker/http.js';
import { UsageError, type ParsedArgs } from '../args.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionDataConverter, connectionFlags, connectionSettings, connectionTls } from '../connection.js';
import { untilTerminated } from '../signals.js';

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v);

export interface BridgeSettings {
  adoptUnmanaged: boolean;
  namespace?: string;
  kubeconfig?: string;
  httpHost: string;
  /** 0 = no HTTP endpoint. */
  httpPort: number;
  concurrency: number;
}

/** Flags first, then the environment (the variables the Deployment sets), then defaults. */
export function bridgeSettings(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): BridgeSettings {
  const pick = (flag: string, variable: string) => args.get(flag) ?? (env[variable] || undefined);
  const integer = (flag: string, variable: string, fallback: number, min: number, max: number) => {
    const text = pick(flag, variable);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`invalid --${flag} ${JSON.stringify(text)}: must be an integer from ${min} to ${max}`);
    return n;
  };
  const namespace = pick('namespace', 'JOBSET_BRIDGE_NAMESPACE');
  const kubeconfig = pick('kubeconfig', 'KUBECONFIG');
  return {
    adoptUnmanaged: args.has('adopt-unmanaged') || truthy(env.JOBSET_BRIDGE_ADOPT_UNMANAGED),
    ...(namespace ? { namespace } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    httpHost: pick('http-host', 'JOBSET_HTTP_HOST') ?? '127.0.0.1',
    httpPort: integer('http-port', 'JOBSET_HTTP_PORT', 0, 0, 65535),
    concurrency: integer('concurrency', 'JOBSET_BRIDGE_CONCURRENCY', 4, 1, 64),
  };
}

export const bridgeCommand: Command = {
  name: 'bridge',
  usage: 'bridge [--adopt-unmanaged] [-n NS] [--http-port PORT] [connection flags]',
  flags: [
    ...connectionFlags,
    {
      name: 'adopt-unmanaged',
      description: `also take JobSets without spec.managedBy (env JOBSET_BRIDGE_ADOPT_UNMANAGED; only without the upstream controller)`,
    },
    { name: 'namespace', short: 'n', value: 'NS', description: 'watch JobSets in this namespace only (env JOBSET_BRIDGE_NAMESPACE, default all)' },
    { name: 'kubeconfig', value: 'FILE', description: 'kubeconfig (env KUBECONFIG, default in-cluster or ~/.kube/config)' },
    { name: 'http-host', value: 'HOST', description: 'address of /metrics, /healthz, /readyz (env JOBSET_HTTP_HOST, default 127.0.0.1)' },
    { name: 'http-port', value: 'PORT', description: 'port of /metrics, /healthz, /readyz (env JOBSET_HTTP_PORT, default 0 = off)' },
    { name: 'concurrency', value: 'N', description: 'JobSets reconciled at the same time (env JOBSET_BRIDGE_CONCURRENCY, default 4)' },
  ],
  details: [
    `The bridge takes every JobSet whose spec.managedBy is ${BridgeControllerName}; with`,
    '--adopt-unmanaged also those without spec.managedBy. It never touches other JobSets.',
    'Run exactly one bridge per cluster; JobSet workers serve the same --task-queue.',
  ].join('\n'),

  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const settings = bridgeSettings(args);
    const log = (m: string) => io.stderr.write(`jobset bridge: ${m}\n`);
    const { bridge, close, describe } = await openBridge(args, settings, log);
    const http =
      settings.httpPort > 0
        ? await startHttpServer({
            host: settings.httpHost,
            port: settings.httpPort,
            registry: bridge.metrics.registry,
            healthy: () => bridge.healthy(),
            ready: () => bridge.ready(),
          })
        : undefined;
    const stop = untilTerminated();
    log(describe + (http ? `; metrics and health on http://${settings.httpHost}:${http.port}` : ''));
    try {
      await bridge.start();
      const signal = await stop;
      log(`${signal}: stopping`);
    } finally {
      await bridge.stop();
      await http?.close();
      await close();
    }
    return ExitCode.OK;
  },
};

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
 * The bridge of the connection flags and `settings`, not started, on its own Temporal connection
 * (`close` closes it) or on the one `shared` gives; `describe` says what it serves. Shared with
 * `jobset controller`.
 */
export async function openBridge(
  args: ParsedArgs,
  settings: BridgeSettings,
  log: (m: string) => void,
  shared?: SharedWithBridge,
): Promise<{ bridge: JobSetBridge; close: () => Promise<void>; describe: string }> {
  const conn = connectionSettings(args);
  const tls = connectionTls(conn);
  const dataConverter = connectionDataConverter(conn);
  const codec = dataConverter.payloadCodecs?.[0];
  const own = shared ? undefined : await Connection.connect({ address: conn.address, ...(tls ? { tls } : {}) });
  const connection: ConnectionLike = shared?.connection ?? own!;
  const bridge = new JobSetBridge({
    kube: makeKubeClients(loadKubeConfig(settings.kubeconfig)),
    temporal: new Client({ connection, namespace: conn.namespace, dataConverter }),
    taskQueue: conn.taskQueue,
    ...(shared ? { eagerStart: true, metrics: shared.metrics } : {}),
    adoptUnmanaged: settings.adoptUnmanaged,
    ...(settings.namespace ? { namespace: settings.namespace } : {}),
    concurrency: settings.concurrency,
    log,
  });
  const describe =
    `task queue ${conn.taskQueue} on ${conn.address} (Temporal namespace ${conn.namespace}); ` +
    `takes spec.managedBy=${BridgeControllerName}${settings.adoptUnmanaged ? ' and unset' : ''}` +
    (codec instanceof AesGcmCodec ? `; payloads encrypted with key ${codec.keyId}` : '');
  return { bridge, close: async () => own?.close(), describe };
}
