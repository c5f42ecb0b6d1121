// `jobset worker`: runs a JobSet worker (workflows + Kubernetes activities) until SIGINT/SIGTERM.
// Flags override the environment variables the worker reads (worker/config.ts).
import { loadWorkerConfig } from '../../../worker/config.js';
import { runWorker } from '../../../worker/worker.js';
import { UsageError } from '../args.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionFlags } from '../connection.js';

/** The flags that override the worker's environment variables (shared with `jobset controller`). */
export const workerEnvFlags: Record<string, string> = {
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

export const workerCommand: Command = {
  name: 'worker',
  usage: 'worker [--address HOST:PORT] [--task-queue QUEUE] [--kubeconfig FILE] ...',
  flags: [
    ...connectionFlags,
    { name: 'kubeconfig', value: 'FILE', description: 'cluster the JobSets run on (env KUBECONFIG)' },
  ],
  details: 'Stops gracefully on SIGINT/SIGTERM. Exit status: 0 stopped, 1 failed, 2 bad flags or configuration.',

  async run(args, io: CliIO): Promise<number> {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [flag, variable] of Object.entries(workerEnvFlags)) {
      const value = args.get(flag);
      if (value !== undefined) env[variable] = value;
    }
    let config;
    try {
      config = loadWorkerConfig(env);
    } catch (err) {
      io.stderr.write(`${(err as Error).message}\n`);
      return ExitCode.Usage;
    }
    try {
      await runWorker(config);
      return ExitCode.OK;
    } catch (err) {
      io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      return ExitCode.Failed;
    }
  },
};
