// `jobset validate -f FILE [-o yaml|json]`: offline check of JobSet YAML/JSON. Prints the
// defaulted JobSet(s) exactly as they would be submitted, or every problem as `path: message`.
import { stringify } from 'yaml';

import { formatIssue, JobSetValidationError } from '../../api/errors.js';
import { loadJobSets } from '../../api/load.js';
import type { JobSet } from '../../api/schema.js';
import { UsageError } from '../args.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { readInput } from '../input.js';

const outputFormats = ['yaml', 'json'] as const;

/** YAML documents separated by `---`; JSON as one object, or a `List` when there are several. */
export function renderJobSets(jobSets: readonly JobSet[], format: (typeof outputFormats)[number]): string {
  if (format === 'json') {
    const value = jobSets.length === 1 ? jobSets[0] : { apiVersion: 'v1', kind: 'List', items: jobSets };
    return `${JSON.stringify(value, null, 2)}\n`;
  }
  return jobSets.map((js) => stringify(js, { lineWidth: 0 })).join('---\n');
}

export const validateCommand: Command = {
  name: 'validate',
  usage: 'validate -f FILE [-f FILE ...] [-o yaml|json]',
  flags: [
    { name: 'filename', short: 'f', value: 'FILE', multiple: true, description: 'JobSet YAML or JSON; - reads standard input' },
    { name: 'output', short: 'o', value: 'FORMAT', choices: outputFormats, description: 'output format (default yaml)' },
  ],
  details: [
    'Exit status: 0 when every JobSet is valid, 2 when any is invalid or unreadable.',
    'Errors go to standard error, one per line: path: message.',
  ].join('\n'),

  async run(args, io: CliIO): Promise<number> {
    const files = args.all('filename');
    if (files.length === 0) throw new UsageError('missing -f FILE');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const format = (args.get('output') ?? 'yaml') as (typeof outputFormats)[number];

    const jobSets: JobSet[] = [];
    let failed = false;
    for (const file of files) {
      // With several files each error line says which file it is about.
      const prefix = files.length > 1 ? `${file === '-' ? '(stdin)' : file}: ` : '';
      let text: string;
      try {
        text = await readInput(file, io);
      } catch (err) {
        io.stderr.write(`${prefix}error: cannot read ${file}: ${(err as Error).message}\n`);
        failed = true;
        continue;
      }
      try {
        jobSets.push(...loadJobSets(text));
      } catch (err) {
        if (!(err instanceof JobSetValidationError)) throw err;
        for (const issue of err.issues) io.stderr.write(`${prefix}${formatIssue(issue)}\n`);
        failed = true;
      }
    }
    // All or nothing: a partial result on stdout could be piped on as if it were the whole input.
    if (failed) return ExitCode.Usage;
    io.stdout.write(renderJobSets(jobSets, format));
    return ExitCode.OK;
  },
};
