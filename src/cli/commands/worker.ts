// `jobset worker`: runs a JobSet worker (workflows + Kubernetes activities) until SIGINT/SIGTERM.
// Flags override the environment variables the worker reads (worker/config.ts).
import { loadWorkerConfig, type WorkerConfig } from '../../../worker/config.js';
import { runWorker } from '../../../worker/worker.js';
import { type ParsedArgs, UsageError } from '../args.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionFlags, connectionFlagVariables, flagsOverEnvironment } from '../connection.js';

/**
 * The worker's configuration: `base` (the environment) with the flags over it (shared with
 * `jobset controller`). @throws the configuration's error naming the flag or variable
 */
export function workerConfig(args: ParsedArgs, base: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const { env, label } = flagsOverEnvironment(args, connectionFlagVariables, base);
  return loadWorkerConfig(env, label);
}

export const workerCommand: Command = {
  name: 'worker',
  usage: 'worker [--address HOST:PORT] [--task-queue QUEUE] [--kubeconfig FILE] ...',
  flags: [...connectionFlags, { name: 'kubeconfig', value: 'FILE', description: 'cluster the JobSets run on (env KUBECONFIG)' }],
  details: 'Stops gracefully on SIGINT/SIGTERM. Exit status: 0 stopped, 1 failed, 2 bad flags or configuration.',

  async run(args, io: CliIO): Promise<number> {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    let config;
    try {
      config = workerConfig(args);
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
