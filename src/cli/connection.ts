// How the client verbs reach Temporal: flags first, then the environment the worker also reads
// (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, JOBSET_TASK_QUEUE, TEMPORAL_TLS_*, JOBSET_CODEC_KEY_FILE),
// then defaults, all checked by the connection schema every process shares (src/net/config.ts).
import type { DataConverter } from '@temporalio/common';

import { JobSetClient } from '../client/client.js';
import { codecDataConverter } from '../codec/data-converter.js';
import { connectionConfigSchema, parseConfig } from '../net/config.js';
import { tlsOptions } from '../net/tls.js';
import { UsageError, type FlagSpec, type ParsedArgs } from './args.js';

export const connectionFlags: readonly FlagSpec[] = [
  { name: 'address', value: 'HOST:PORT', description: 'Temporal frontend (env TEMPORAL_ADDRESS, default 127.0.0.1:7233)' },
  { name: 'temporal-namespace', value: 'NS', description: 'Temporal namespace (env TEMPORAL_NAMESPACE, default default)' },
  { name: 'task-queue', value: 'QUEUE', description: 'task queue of the JobSet worker (env JOBSET_TASK_QUEUE, default jobset)' },
  { name: 'tls-cert', value: 'FILE', description: 'client certificate for mTLS (env TEMPORAL_TLS_CERT)' },
  { name: 'tls-key', value: 'FILE', description: 'client key for mTLS (env TEMPORAL_TLS_KEY)' },
  { name: 'tls-ca', value: 'FILE', description: 'CA of the server certificate (env TEMPORAL_TLS_CA)' },
  { name: 'tls-server-name', value: 'NAME', description: 'server name to verify (env TEMPORAL_TLS_SERVER_NAME)' },
  {
    name: 'codec-key-file',
    value: 'FILE',
    description: 'key of the payload codec: payloads in Temporal history are AES-256-GCM encrypted (env JOBSET_CODEC_KEY_FILE)',
  },
];

/** The environment variable each connection flag (and --kubeconfig) stands for. */
export const connectionFlagVariables: Readonly<Record<string, string>> = {
  address: 'TEMPORAL_ADDRESS',
  'temporal-namespace': 'TEMPORAL_NAMESPACE',
  'task-queue': 'JOBSET_TASK_QUEUE',
  'tls-cert': 'TEMPORAL_TLS_CERT',
  'tls-key': 'TEMPORAL_TLS_KEY',
  'tls-ca': 'TEMPORAL_TLS_CA',
  'tls-server-name': 'TEMPORAL_TLS_SERVER_NAME',
  'codec-key-file': 'JOBSET_CODEC_KEY_FILE',
  kubeconfig: 'KUBECONFIG',
};

/**
 * What a process verb (worker, bridge, controller) hands to its zod configuration: `base` (the
 * environment) with the given flags over it, each as the variable `variables` maps it to (a flag
 * without a value, such as --adopt-unmanaged, sets `true`); and `label`, which names a variable
 * that came from a flag by its flag, for the configuration's errors.
 */
export function flagsOverEnvironment(
  args: ParsedArgs,
  variables: Readonly<Record<string, string>>,
  base: NodeJS.ProcessEnv,
): { env: NodeJS.ProcessEnv; label: (variable: string) => string } {
  const env: NodeJS.ProcessEnv = { ...base };
  const fromFlag = new Map<string, string>();
  for (const [flag, variable] of Object.entries(variables)) {
    const value = args.get(flag) ?? (args.has(flag) ? 'true' : undefined);
    if (value === undefined) continue;
    env[variable] = value;
    fromFlag.set(variable, flag);
  }
  return { env, label: (variable) => (fromFlag.has(variable) ? `--${fromFlag.get(variable)} (${variable})` : variable) };
}

/** `-n NS` of the verbs that address JobSets by name. */
export const namespaceFlag: FlagSpec = {
  name: 'namespace',
  short: 'n',
  value: 'NS',
  description: 'Kubernetes namespace of the JobSet (env JOBSET_NAMESPACE, default default)',
};

/** The Kubernetes namespace a verb works in: `-n`, else $JOBSET_NAMESPACE, else `default`. */
export function namespaceOf(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): string {
  return args.get('namespace') ?? (env.JOBSET_NAMESPACE || 'default');
}

export interface ConnectionSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  tls: { cert?: string; key?: string; ca?: string; serverName?: string };
  /** Key file of the payload codec; unset = payloads in the clear. */
  codecKeyFile?: string;
}

export function connectionSettings(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  const { env: merged, label } = flagsOverEnvironment(args, connectionFlagVariables, env);
  let c;
  try {
    c = parseConfig(connectionConfigSchema, merged, 'connection', label);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const tls: ConnectionSettings['tls'] = {};
  if (c.TEMPORAL_TLS_CERT) tls.cert = c.TEMPORAL_TLS_CERT;
  if (c.TEMPORAL_TLS_KEY) tls.key = c.TEMPORAL_TLS_KEY;
  if (c.TEMPORAL_TLS_CA) tls.ca = c.TEMPORAL_TLS_CA;
  if (c.TEMPORAL_TLS_SERVER_NAME) tls.serverName = c.TEMPORAL_TLS_SERVER_NAME;
  return {
    address: c.TEMPORAL_ADDRESS,
    namespace: c.TEMPORAL_NAMESPACE,
    taskQueue: c.JOBSET_TASK_QUEUE,
    tls,
    ...(c.JOBSET_CODEC_KEY_FILE ? { codecKeyFile: c.JOBSET_CODEC_KEY_FILE } : {}),
  };
}

/** The data converter of the settings' codec key (see src/codec); a bad key file is a usage error. */
export function connectionDataConverter(s: ConnectionSettings): DataConverter {
  try {
    return codecDataConverter(s.codecKeyFile);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The TLS options of the settings' files; an unreadable file is a usage error. */
export function connectionTls(s: ConnectionSettings): ReturnType<typeof tlsOptions> {
  try {
    return tlsOptions(s.tls);
  } catch (err) {
    throw new UsageError(`cannot read the TLS files: ${(err as Error).message}`);
  }
}

/** Connects; the caller closes the client. */
export async function connect(args: ParsedArgs): Promise<JobSetClient> {
  const s = connectionSettings(args);
  const tls = connectionTls(s);
  const dataConverter = connectionDataConverter(s);
  try {
    return await JobSetClient.connect({
      address: s.address,
      namespace: s.namespace,
      taskQueue: s.taskQueue,
      ...(tls ? { tls } : {}),
      dataConverter,
    });
  } catch (err) {
    throw new Error(`cannot reach Temporal at ${s.address}: ${(err as Error).message}`, { cause: err });
  }
}

/** The one NAME a verb takes. */
export function nameArgument(args: ParsedArgs): string {
  const [name, extra] = args.positionals;
  if (name === undefined) throw new UsageError('missing JobSet NAME');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  return name;
}
