// `jobset get [NAME...]` and `jobset list`: JobSets as a kubectl-style table, or the JobSet
// objects with their status as JSON/YAML, or `kind/name`.
import { JobSetState } from '../../core/state.js';
import type { JobSetInfo } from '../../client/options.js';
import { UsageError, type ParsedArgs } from '../args.js';
import { describeError, withClient } from '../client-errors.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionFlags, namespaceFlag, namespaceOf } from '../connection.js';
import { outputFormats, renderInfos, type OutputFormat } from '../render.js';

const states = Object.values(JobSetState);

const flags = [
  namespaceFlag,
  { name: 'all-namespaces', short: 'A', description: 'JobSets of every namespace' },
  { name: 'selector', short: 'l', value: 'SELECTOR', description: 'label selector: k=v, k!=v, k, !k, k in (a,b), comma-separated' },
  { name: 'state', value: 'STATE', choices: states, description: 'only JobSets in this state' },
  { name: 'output', short: 'o', value: 'FORMAT', choices: outputFormats, description: 'output format (default table)' },
  ...connectionFlags,
];

const details = [
  'Table columns: NAME, STATE, RESTARTS, COMPLETED (the Completed condition), SUSPENDED (spec.suspend), AGE;',
  '-o wide adds TERMINALSTATE, JOBS, READY, SUCCEEDED, FAILED and the workflow ID. json/yaml print the JobSet',
  'objects with their status (a List unless one NAME is given).',
  'Exit status: 0 found, 1 a named JobSet does not exist or Temporal is unreachable, 2 bad flags.',
].join('\n');

async function run(args: ParsedArgs, io: CliIO, names: readonly string[]): Promise<number> {
  const format = (args.get('output') ?? 'table') as OutputFormat;
  const allNamespaces = args.has('all-namespaces');
  if (allNamespaces && args.has('namespace')) throw new UsageError('-A and -n cannot be used together');
  if (allNamespaces && names.length > 0) throw new UsageError('a NAME cannot be given with -A');
  if (names.length > 0 && (args.has('selector') || args.has('state'))) throw new UsageError('a NAME cannot be given with -l or --state');
  const namespace = namespaceOf(args);

  return withClient(args, io, async (client) => {
    let code: number = ExitCode.OK;
    let infos: JobSetInfo[] = [];
    if (names.length > 0) {
      for (const name of names) {
        try {
          infos.push(await client.get(namespace, name));
        } catch (err) {
          const known = describeError(err);
          if (!known) throw err;
          for (const line of known.lines) io.stderr.write(`${line}\n`);
          code = Math.max(code, known.code);
        }
      }
    } else {
      infos = await client.list({
        ...(allNamespaces ? {} : { namespace }),
        ...(args.has('selector') ? { labelSelector: args.get('selector') as string } : {}),
        ...(args.has('state') ? { state: args.get('state') as JobSetState } : {}),
        onUnreadable: (id, err) => io.stderr.write(`warning: left out ${id}: ${err.message}\n`),
      });
      if (infos.length === 0 && (format === 'table' || format === 'wide')) {
        io.stderr.write(allNamespaces ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
        return code;
      }
    }
    if (infos.length > 0 || (names.length === 0 && (format === 'json' || format === 'yaml'))) {
      io.stdout.write(renderInfos(infos, format, { allNamespaces, single: names.length === 1 }));
    }
    return code;
  });
}

export const getCommand: Command = {
  name: 'get',
  usage: 'get [NAME...] [-n NS | -A] [-l SELECTOR] [--state STATE] [-o table|wide|json|yaml|name]',
  flags,
  details,
  run: (args, io) => run(args, io, args.positionals),
};

export const listCommand: Command = {
  name: 'list',
  usage: 'list [-n NS | -A] [-l SELECTOR] [--state STATE] [-o table|wide|json|yaml|name]',
  flags,
  details,
  run: (args, io) => {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])} (use get NAME)`);
    return run(args, io, []);
  },
};
