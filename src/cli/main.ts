// The `jobset` command: finds the verb, parses its flags, runs it, and turns usage errors into
// exit status 2. bin/jobset.js runs the build of this file (dist/src/cli/main.js).
import { pathToFileURL } from 'node:url';

import { formatFlags, parseArgs, UsageError } from './args.js';
import { type CliIO, type Command, ExitCode } from './command.js';
import { findVerb, verbs } from './commands/index.js';

export function usage(): string {
  const width = Math.max(...verbs.map((v) => v.name.length));
  return [
    'jobset: run Kubernetes JobSets as durable Temporal workflows',
    '',
    'Usage: jobset COMMAND [flags]',
    '',
    'Commands:',
    ...verbs.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`),
    '',
    'Run "jobset COMMAND --help" for the flags of a command.',
    '',
  ].join('\n');
}

export function commandHelp(summary: string, command: Command): string {
  return [summary, '', `Usage: jobset ${command.usage}`, '', 'Flags:', formatFlags(command.flags), ...(command.details ? ['', command.details] : []), ''].join(
    '\n',
  );
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() };
}

/** Runs one command line; resolves to the process exit status. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined) {
    io.stderr.write(usage());
    return ExitCode.Usage;
  }
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    io.stdout.write(usage());
    return ExitCode.OK;
  }
  const found = findVerb(verb);
  if (!found) {
    io.stderr.write(`error: unknown command ${JSON.stringify(verb)}\n\n${usage()}`);
    return ExitCode.Usage;
  }
  const command = await found.load();
  try {
    const args = parseArgs(rest, command.flags);
    if (args.has('help')) {
      io.stdout.write(commandHelp(found.summary, command));
      return ExitCode.OK;
    }
    return await command.run(args, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`error: ${err.message}\nRun "jobset ${command.name} --help" for usage.\n`);
    return ExitCode.Usage;
  }
}

// Run when executed directly (`node dist/src/cli/main.js ...`); bin/jobset.js imports `main` instead.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
