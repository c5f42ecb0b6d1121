// `jobset bridge`: runs the CRD bridge (src/bridge/) until SIGINT/SIGTERM. JobSet custom
// resources become workflows on the JobSet workers' task queue; kubectl get/wait/describe/delete
// then work as with the upstream controller. The verb maps its flags onto the bridge's
// configuration (src/bridge/config.ts) and runs it (src/bridge/run.ts).
import { BridgeControllerName } from '../../api/constants.js';
import { loadBridgeConfig, type BridgeConfig } from '../../bridge/config.js';
import { runBridge } from '../../bridge/run.js';
import { codecDataConverter } from '../../codec/data-converter.js';
import { UsageError, type ParsedArgs } from '../args.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionFlags, connectionFlagVariables, flagsOverEnvironment } from '../connection.js';

/** The environment variable each bridge flag stands for. */
const bridgeFlagVariables: Readonly<Record<string, string>> = {
  ...connectionFlagVariables,
  'adopt-unmanaged': 'JOBSET_BRIDGE_ADOPT_UNMANAGED',
  namespace: 'JOBSET_BRIDGE_NAMESPACE',
  'http-host': 'JOBSET_HTTP_HOST',
  'http-port': 'JOBSET_HTTP_PORT',
  concurrency: 'JOBSET_BRIDGE_CONCURRENCY',
};

/**
 * The bridge's configuration: flags first, then the environment (the variables the Deployment
 * sets), then defaults (shared with `jobset controller`). A bad value or codec key file is a
 * UsageError naming the flag or variable.
 */
export function bridgeConfig(args: ParsedArgs, base: NodeJS.ProcessEnv = process.env): BridgeConfig {
  const { env, label } = flagsOverEnvironment(args, bridgeFlagVariables, base);
  try {
    const config = loadBridgeConfig(env, label);
    codecDataConverter(config.JOBSET_CODEC_KEY_FILE);
    return config;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
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
    const config = bridgeConfig(args);
    await runBridge(config, (m) => io.stderr.write(`jobset bridge: ${m}\n`));
    return ExitCode.OK;
  },
};
