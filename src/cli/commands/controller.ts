// `jobset controller`: the bridge and a worker in one process, as the upstream controller is one
// process. One Node runtime instead of two (memory at rest, issue 13); the worker's /metrics,
// /healthz and /readyz cover both. More workers may join on the same task queue (`jobset worker`);
// run one controller (one bridge) per cluster.
import { Registry } from 'prom-client';

import { runWorker } from '../../../worker/worker.js';
import { BridgeMetrics } from '../../bridge/metrics.js';
import { UsageError } from '../args.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { bridgeCommand, bridgeSettings, openBridge } from './bridge.js';
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
    const settings = bridgeSettings(args);
    let config;
    try {
      // The one HTTP endpoint is the worker's, on the bridge's --http-host/--http-port.
      config = workerConfig(args, { ...process.env, JOBSET_HTTP_HOST: settings.httpHost, JOBSET_HTTP_PORT: String(settings.httpPort) });
    } catch (err) {
      io.stderr.write(`${(err as Error).message}\n`);
      return ExitCode.Usage;
    }
    const log = (m: string) => io.stderr.write(`jobset controller: ${m}\n`);
    // The bridge's metrics without the Node.js process metrics: the worker's registry has them.
    const { bridge, close, describe } = await openBridge(args, settings, log, new BridgeMetrics(new Registry()));
    log(`bridge: ${describe}`);
    try {
      await runWorker(config, {
        registry: bridge.metrics.registry,
        start: () => bridge.start(),
        stop: () => bridge.stop(),
        healthy: () => bridge.healthy(),
        ready: () => bridge.ready(),
      });
      return ExitCode.OK;
    } catch (err) {
      io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      return ExitCode.Failed;
    } finally {
      await close();
    }
  },
};
