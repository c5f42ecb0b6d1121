// `jobset submit -f FILE [--wait] [--timeout D]`: validates every JobSet in the files offline
// (nothing is started when any is invalid), then starts each one's workflow. Submitting the same
// JobSet again is a no-op ("unchanged"); a different spec under a live name is refused.
import { formatIssue, JobSetValidationError } from '../../api/errors.js';
import { loadJobSets } from '../../api/load.js';
import type { JobSet } from '../../api/schema.js';
import { prepareJobSet } from '../../client/prepare.js';
import { UsageError } from '../args.js';
import { describeError, withClient } from '../client-errors.js';
import { type CliIO, type Command, ExitCode } from '../command.js';
import { connectionFlags } from '../connection.js';
import { parseDuration } from '../duration.js';
import { readInput } from '../input.js';
import { finalLine, resourceName } from '../render.js';

export const submitCommand: Command = {
  name: 'submit',
  usage: 'submit -f FILE [-f FILE ...] [-n NS] [--wait [--timeout D]]',
  flags: [
    { name: 'filename', short: 'f', value: 'FILE', multiple: true, description: 'JobSet YAML or JSON (several documents allowed); - reads standard input' },
    {
      name: 'namespace',
      short: 'n',
      value: 'NS',
      description: 'namespace of the JobSets; a JobSet naming another one is refused (default: env JOBSET_NAMESPACE, else default)',
    },
    { name: 'wait', description: 'wait until every submitted JobSet has completed' },
    { name: 'timeout', value: 'DURATION', description: 'with --wait: give up after this long (e.g. 10m; default: no limit)' },
    ...connectionFlags,
  ],
  details: [
    'Every JobSet is validated before anything is started: one invalid document and none is submitted.',
    'Exit status: 0 submitted (and with --wait: completed), 1 a JobSet failed or an operation failed',
    '(e.g. a different JobSet of the same name exists), 2 invalid input (errors as path: message), 3 --timeout passed.',
  ].join('\n'),

  async run(args, io: CliIO): Promise<number> {
    const files = args.all('filename');
    if (files.length === 0) throw new UsageError('missing -f FILE');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const timeoutMs = args.has('timeout') ? parseDuration(args.get('timeout') as string, '--timeout') : 0;
    if (args.has('timeout') && !args.has('wait')) throw new UsageError('--timeout needs --wait');
    const namespace = args.get('namespace');
    const defaultNamespace = process.env.JOBSET_NAMESPACE || undefined;

    // Offline first: every file read, every JobSet valid, or nothing is submitted.
    const jobSets: JobSet[] = [];
    let invalid = false;
    for (const file of files) {
      const prefix = files.length > 1 ? `${file === '-' ? '(stdin)' : file}: ` : '';
      try {
        const text = await readInput(file, io);
        for (const js of loadJobSets(text))
          jobSets.push(prepareJobSet(js, { ...(namespace ? { namespace } : {}), ...(defaultNamespace ? { defaultNamespace } : {}) }));
      } catch (err) {
        if (err instanceof JobSetValidationError) for (const issue of err.issues) io.stderr.write(`${prefix}${formatIssue(issue)}\n`);
        else io.stderr.write(`${prefix}error: cannot read ${file}: ${(err as Error).message}\n`);
        invalid = true;
      }
    }
    if (invalid) return ExitCode.Usage;

    return withClient(args, io, async (client) => {
      let code: number = ExitCode.OK;
      const submitted: JobSet[] = [];
      for (const js of jobSets) {
        try {
          const result = await client.submit(js);
          io.stdout.write(`${resourceName(js.metadata.name ?? '')} ${result.created ? 'created' : 'unchanged'}\n`);
          submitted.push(result.jobSet);
        } catch (err) {
          const known = describeError(err);
          if (!known) throw err;
          for (const line of known.lines) io.stderr.write(`${line}\n`);
          code = Math.max(code, known.code);
        }
      }
      if (!args.has('wait')) return code;
      const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : undefined;
      for (const js of submitted) {
        const ns = js.metadata.namespace as string;
        const name = js.metadata.name as string;
        try {
          const status = await client.wait(ns, name, {
            for: 'Completed',
            ...(deadline !== undefined ? { timeoutMs: Math.max(1, deadline - Date.now()) } : {}),
          });
          io.stdout.write(`${finalLine(js, status)}\n`);
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
