// `jobset suspend NAME` and `jobset resume NAME`: the workflow's suspend/resume Updates.
import { withClient } from '../client-errors.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionFlags, namespaceFlag, namespaceOf, nameArgument } from '../connection.js';
import { resourceName } from '../render.js';

const details = 'Exit status: 0 done, 1 no such JobSet or it has finished, 2 bad flags.';

export const suspendCommand: Command = {
  name: 'suspend',
  usage: 'suspend NAME [-n NS]',
  flags: [namespaceFlag, ...connectionFlags],
  details,
  async run(args, io: CliIO): Promise<number> {
    const name = nameArgument(args);
    const namespace = namespaceOf(args);
    return withClient(args, io, async (client) => {
      await client.suspend(namespace, name);
      io.stdout.write(`${resourceName(name)} suspended\n`);
      return ExitCode.OK;
    });
  },
};

export const resumeCommand: Command = {
  name: 'resume',
  usage: 'resume NAME [-n NS]',
  flags: [namespaceFlag, ...connectionFlags],
  details,
  async run(args, io: CliIO): Promise<number> {
    const name = nameArgument(args);
    const namespace = namespaceOf(args);
    return withClient(args, io, async (client) => {
      await client.resume(namespace, name);
      io.stdout.write(`${resourceName(name)} resumed\n`);
      return ExitCode.OK;
    });
  },
};
