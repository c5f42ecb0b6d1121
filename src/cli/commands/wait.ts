// `jobset wait NAME --for=condition=Completed --timeout=5m`, as `kubectl wait` does it.
import { ConditionType } from '../../api/constants.js';
import { UsageError } from '../args.js';
import { withClient } from '../client-errors.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionFlags, namespaceFlag, namespaceOf, nameArgument } from '../connection.js';
import { parseDuration } from '../duration.js';
import { resourceName } from '../render.js';

export const waitCommand: Command = {
  name: 'wait',
  usage: 'wait NAME [-n NS] [--for=condition=TYPE] [--timeout=D]',
  flags: [
    namespaceFlag,
    { name: 'for', value: 'condition=TYPE', description: 'the condition to wait for (default condition=Completed)' },
    { name: 'timeout', value: 'DURATION', description: 'give up after this long (default 30s; 0 = no limit)' },
    ...connectionFlags,
  ],
  details: [
    `TYPE is ${Object.values(ConditionType).join(', ')} or any other condition type.`,
    'Exit status: 0 condition met, 1 the JobSet failed or finished without the condition (or does not exist),',
    '2 bad flags, 3 the timeout passed first.',
  ].join('\n'),

  async run(args, io: CliIO): Promise<number> {
    const name = nameArgument(args);
    const namespace = namespaceOf(args);
    const spec = args.get('for') ?? 'condition=Completed';
    const m = /^condition=([A-Za-z][A-Za-z0-9_]*)$/.exec(spec);
    if (!m) throw new UsageError(`invalid --for ${JSON.stringify(spec)}: expected condition=TYPE, e.g. condition=Completed`);
    const condition = m[1] as string;
    const timeoutMs = parseDuration(args.get('timeout') ?? '30s', '--timeout');
    return withClient(args, io, async (client) => {
      await client.wait(namespace, name, { for: condition, ...(timeoutMs > 0 ? { timeoutMs } : {}) });
      io.stdout.write(`${resourceName(name)} condition met\n`);
      return ExitCode.OK;
    });
  },
};
