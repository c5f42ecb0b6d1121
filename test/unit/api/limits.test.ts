// Size limits of a JobSet at admission (docs/api-differences.md, "Limits"): the numbers and the
// messages are spelled out here rather than imported, so the test pins what users see.
import type { FieldIssue } from '../../../src/api/errors.js';
import { type JobSetInput, jobSetSchema } from '../../../src/api/schema.js';
import { validateCreate } from '../../../src/api/validate.js';
import { JobSetBuilder, rjob } from './builders.js';

const issue = (path: string, message: string): FieldIssue => ({ path, message });
const jobs = (n: number) => issue('spec.replicatedJobs', `Too many: ${n}: must have at most 5000 Jobs in total`);
const pods = (n: number) => issue('spec.replicatedJobs', `Too many: ${n}: must have at most 100000 pods in total (replicas x parallelism)`);
const specBytes = (n: number) => issue('spec', `Too long: may not be more than 131072 bytes (the spec is ${n} bytes as JSON)`);

/** A JobSet whose one container carries `arg`: a way to grow the spec by a known amount. */
const withArg = (arg: string) =>
  new JobSetBuilder('js').replicatedJobs(rjob('w').podSpecField('containers', [{ name: 'main', image: 'busybox', args: [arg] }])).obj();
/** UTF-8 bytes of the spec as the validator sees it: parsed, defaults applied, as JSON. */
const bytesOf = (input: JobSetInput) => Buffer.byteLength(JSON.stringify(jobSetSchema.parse(input).spec), 'utf8');
const base = bytesOf(withArg(''));

interface Case {
  name: string;
  input: JobSetInput;
  want: FieldIssue[];
}

describe('issue 12 item 3 (size limits): a JobSet larger than the documented limits is refused at admission', () => {
  it.each<Case>([
    { name: '5,000 Jobs', input: new JobSetBuilder('js').replicatedJobs(rjob('w').replicas(5000)).obj(), want: [] },
    { name: '5,001 Jobs in one replicatedJob', input: new JobSetBuilder('js').replicatedJobs(rjob('w').replicas(5001)).obj(), want: [jobs(5001)] },
    {
      name: '5,001 Jobs over two replicatedJobs',
      input: new JobSetBuilder('js').replicatedJobs(rjob('a').replicas(2500), rjob('b').replicas(2501)).obj(),
      want: [jobs(5001)],
    },
    { name: '100,000 pods', input: new JobSetBuilder('js').replicatedJobs(rjob('w').replicas(1000).pods(100)).obj(), want: [] },
    {
      name: '100,100 pods',
      input: new JobSetBuilder('js').replicatedJobs(rjob('w').replicas(1000).pods(100), rjob('x').replicas(1).pods(100)).obj(),
      want: [pods(100_100)],
    },
    {
      name: 'parallelism counts, completions do not',
      input: new JobSetBuilder('js').replicatedJobs(rjob('w').replicas(2).jobSpecField('parallelism', 50_001).jobSpecField('completions', 1)).obj(),
      want: [pods(100_002)],
    },
    {
      name: 'parallelism defaults to 1',
      input: new JobSetBuilder('js').replicatedJobs(rjob('w').replicas(4000), rjob('x').replicas(1000)).obj(),
      want: [],
    },
    {
      name: 'too many Jobs and too many pods',
      input: new JobSetBuilder('js').replicatedJobs(rjob('w').replicas(5001).pods(20)).obj(),
      want: [jobs(5001), pods(100_020)],
    },
    { name: 'a spec of exactly 128 KiB', input: withArg('x'.repeat(128 * 1024 - base)), want: [] },
    { name: 'a spec one byte over 128 KiB', input: withArg('x'.repeat(128 * 1024 - base + 1)), want: [specBytes(128 * 1024 + 1)] },
    // Bytes, not characters: 300,000 two-byte characters are 600,000 bytes.
    { name: 'a spec over 128 KiB in UTF-8 but not in characters', input: withArg('é'.repeat(70_000)), want: [specBytes(base + 140_000)] },
  ])('$name', ({ input, want }) => {
    expect(validateCreate(jobSetSchema.parse(input))).toEqual(want);
  });
});
