// `jobset delete NAME...`: deletes JobSets and waits until their child objects are gone.
import { UsageError } from '../args.js';
import { describeError, withClient } from '../client-errors.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionFlags, namespaceFlag, namespaceOf } from '../connection.js';
import { resourceName } from '../render.js';

export const deleteCommand: Command = {
  name: 'delete',
  usage: 'delete NAME... [-n NS]',
  flags: [namespaceFlag, ...connectionFlags],
  details: 'Exit status: 0 deleted, 1 a JobSet does not exist or the deletion failed, 2 bad flags.',
  async run(args, io: CliIO): Promise<number> {
    if (args.positionals.length === 0) throw new UsageError('missing JobSet NAME');
    const namespace = namespaceOf(args);
    return withClient(args, io, async (client) => {
      let code: number = ExitCode.OK;
      for (const name of args.positionals) {
        try {
          await client.delete(namespace, name);
          io.stdout.write(`${resourceName(name)} deleted\n`);
        } catch (err) {
          const known = describeError(err);
          if (!known) throw err;
          for (const line of known.lines) io.stderr.write(`${line}\n`);
          code = Math.max(code, known.code);
        }
      }
      return code;
    });
  },
};
