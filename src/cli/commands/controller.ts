// `jobset controller`: the bridge and a worker in one process, as the upstream controller is one
// process. One Node runtime instead of two (memory at rest, issue 13); the worker's /metrics,
// /healthz and /readyz cover both. More workers may join on the same task queue (`jobset worker`);
// run one controller (one bridge) per cluster.
import { Registry } from 'prom-client';

import { connectWorker, runWorker } from '../../../worker/worker.js';
import { BridgeMetrics } from '../../bridge/metrics.js';
import { UsageError } from '../args.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { openBridge } from '../../bridge/run.js';
import { bridgeCommand, bridgeConfig } from './bridge.js';
import { workerConfig } from './worker.js';

export const controllerCommand: Command = {
  name: 'controller',
  usage: 'controller [--adopt-unmanaged] [-n NS] [--http-port PORT] [connection flags]',
  flags: bridgeCommand.flags,
  details: [
    'Runs `jobset bridge` and `jobset worker` in one process (same flags and environment). Stops',
    'gracefully on SIGINT/SIGTERM: the worker first, then the bridge.',
    'Exit status: 0 stopped, 1 failed, 2 bad flags or configuration.',
  ].join('\n'),

  async run(args, io: CliIO): Promise<number> {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const bridgeCfg = bridgeConfig(args);
    let config;
    try {
      // The one HTTP endpoint is the worker's, on the bridge's --http-host/--http-port.
      config = workerConfig(args, { ...process.env, JOBSET_HTTP_HOST: bridgeCfg.JOBSET_HTTP_HOST, JOBSET_HTTP_PORT: String(bridgeCfg.JOBSET_HTTP_PORT) });
    } catch (err) {
      io.stderr.write(`${(err as Error).message}\n`);
      return ExitCode.Usage;
    }
    const log = (m: string) => io.stderr.write(`jobset controller: ${m}\n`);
    // One connection to Temporal for both: the bridge's starts are eager, so a new JobSet's first
    // workflow task comes back in the start's answer and runs here, without a trip through the
    // task queue.
    const connection = await connectWorker(config);
    try {
      const { bridge, close, describe } = await openBridge(bridgeCfg, log, { metrics: new BridgeMetrics(new Registry()), connection });
      log(`bridge: ${describe}; eager workflow start`);
      try {
        await runWorker(
          config,
          {
            registry: bridge.metrics.registry,
            start: () => bridge.start(),
            stop: () => bridge.stop(),
            healthy: () => bridge.healthy(),
            ready: () => bridge.ready(),
          },
          connection,
        );
        return ExitCode.OK;
      } finally {
        await close();
      }
    } catch (err) {
      io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      return ExitCode.Failed;
    } finally {
      await connection.close();
    }
  },
};
