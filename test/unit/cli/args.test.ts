// The command-line parser shared by every verb.
import { type FlagSpec, parseArgs, UsageError } from '../../../src/cli/args.js';

const specs: FlagSpec[] = [
  { name: 'filename', short: 'f', value: 'FILE', multiple: true, description: '' },
  { name: 'output', short: 'o', value: 'FORMAT', choices: ['yaml', 'json'], description: '' },
  { name: 'wait', description: '' },
];

it.each<[string[], Record<string, string[]>, string[]]>([
  [['-f', 'a.yaml'], { filename: ['a.yaml'] }, []],
  [['-fa.yaml'], { filename: ['a.yaml'] }, []],
  [['-f=a.yaml'], { filename: ['a.yaml'] }, []],
  [['--filename', 'a.yaml', '--filename=b.yaml'], { filename: ['a.yaml', 'b.yaml'] }, []],
  [['-f', '-'], { filename: ['-'] }, []],
  [['-o', 'json', '--wait', 'x'], { output: ['json'], wait: ['true'] }, ['x']],
  [['--', '-f', 'x'], {}, ['-f', 'x']],
  [['-'], {}, ['-']],
  [['-h'], { help: ['true'] }, []],
])('%j', (argv, flags, positionals) => {
  const args = parseArgs(argv, specs);
  expect(args.positionals).toEqual(positionals);
  for (const [name, values] of Object.entries(flags)) expect(args.all(name)).toEqual(values);
  expect(['filename', 'output', 'wait', 'help'].filter((n) => args.has(n)).sort()).toEqual(Object.keys(flags).sort());
});

it.each<[string[], string]>([
  [['-x'], 'unknown flag -x'],
  [['--nope=1'], 'unknown flag --nope'],
  [['-f'], 'flag -f needs a value (FILE)'],
  [['-o', 'table'], 'invalid value "table" for -o: must be one of yaml, json'],
  [['-o', 'yaml', '--output', 'json'], '--output may be given only once'],
  [['--wait=yes'], 'flag --wait does not take a value'],
])('%j is a usage error: %s', (argv, message) => {
  expect(() => parseArgs(argv, specs)).toThrow(new UsageError(message));
});
