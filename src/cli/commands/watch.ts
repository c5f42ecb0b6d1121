// `jobset watch NAME`: one progress line each time the status changes, then the final state.
import type { JobSet, JobSetStatus } from '../../api/schema.js';
import { JobSetWaitTimeoutError } from '../../client/errors.js';
import { withClient } from '../client-errors.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionFlags, namespaceFlag, namespaceOf, nameArgument } from '../connection.js';
import { parseDuration } from '../duration.js';
import { finalLine, progressLines } from '../render.js';

export const watchCommand: Command = {
  name: 'watch',
  usage: 'watch NAME [-n NS] [--interval D] [--timeout D]',
  flags: [
    namespaceFlag,
    { name: 'interval', value: 'DURATION', description: 'how often to poll the status (default 1s)' },
    { name: 'timeout', value: 'DURATION', description: 'stop watching after this long (default: no limit)' },
    ...connectionFlags,
  ],
  details: 'Exit status: 0 Completed, 1 Failed (or no such JobSet), 2 bad flags, 3 --timeout passed first.',

  async run(args, io: CliIO): Promise<number> {
    const name = nameArgument(args);
    const namespace = namespaceOf(args);
    const intervalMs = args.has('interval') ? parseDuration(args.get('interval') as string, '--interval') : 1000;
    const timeoutMs = args.has('timeout') ? parseDuration(args.get('timeout') as string, '--timeout') : 0;
    return withClient(args, io, async (client) => {
      const stop = new AbortController();
      const timer = timeoutMs > 0 ? setTimeout(() => stop.abort(), timeoutMs) : undefined;
      let previous: JobSetStatus | undefined;
      let jobSet: JobSet | undefined;
      try {
        for await (const status of client.watch(namespace, name, { intervalMs, signal: stop.signal })) {
          // The spec changes with suspend/resume, so it is read again with each new status.
          try {
            jobSet = (await client.get(namespace, name, { signal: stop.signal })).jobSet;
          } catch (err) {
            if (stop.signal.aborted) break;
            throw err;
          }
          for (const line of progressLines(jobSet, status, previous)) io.stdout.write(`${line}\n`);
          previous = status;
        }
      } finally {
        clearTimeout(timer);
      }
      if (stop.signal.aborted) throw new JobSetWaitTimeoutError(namespace, name, 'finished', timeoutMs, previous);
      if (!jobSet || !previous) return ExitCode.Failed;
      io.stdout.write(`${finalLine(jobSet, previous)}\n`);
      return previous.terminalState === 'Failed' ? ExitCode.Failed : ExitCode.OK;
    });
  },
};
