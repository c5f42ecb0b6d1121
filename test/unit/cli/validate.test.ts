// `jobset validate`: in-process for the details, and through the real bin/jobset.js launcher
// (a spawned process) for exit codes and output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments, stringify } from 'yaml';

import { loadJobSets } from '../../../src/api/load.js';
import { type CliIO, ExitCode } from '../../../src/cli/command.js';
import { main } from '../../../src/cli/main.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const example = join(repo, 'examples/simple/paralleljobs.yaml');
const dir = mkdtempSync(join(tmpdir(), 'jobset-cli-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const valid = (name: string) =>
  stringify({ metadata: { name }, spec: { replicatedJobs: [{ name: 'w', template: { spec: { template: { spec: { containers: [{ name: 'c' }] } } } } }] } });
const invalidReplicas = stringify({
  metadata: { name: 'bad' },
  spec: { replicatedJobs: [{ name: 'w', replicas: -1, template: { spec: { template: { spec: { containers: [{ name: 'c' }] } } } } }] },
});

async function run(argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {
      yield Buffer.from(stdin);
    })(),
    cwd: dir,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('in process', () => {
  it('prints the defaulted JobSet as YAML by default', async () => {
    const r = await run(['validate', '-f', example]);
    expect(r).toMatchObject({ code: ExitCode.OK, stderr: '' });
    expect([parse(r.stdout)]).toEqual(JSON.parse(JSON.stringify(loadJobSets(readFileSync(example, 'utf8')))));
  });

  it('prints JSON with -o json, a List for several JobSets', async () => {
    const one = await run(['validate', '-f', write('one.yaml', valid('one')), '-o', 'json']);
    expect(JSON.parse(one.stdout)).toMatchObject({ kind: 'JobSet', metadata: { name: 'one' }, spec: { successPolicy: { operator: 'All' } } });
    const two = await run(['validate', '-f', write('two.yaml', `${valid('a')}---\n${valid('b')}`), '--output=json']);
    expect(JSON.parse(two.stdout)).toMatchObject({ kind: 'List', items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] });
  });

  it('prints several documents as a YAML stream', async () => {
    const r = await run(['validate', '-f', write('multi.yaml', `${valid('a')}---\n${valid('b')}`)]);
    expect(parseAllDocuments(r.stdout).map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name)).toEqual(['a', 'b']);
  });

  it('reads standard input for -f -, relative paths from the working directory', async () => {
    expect((await run(['validate', '-f', '-'], valid('piped'))).stdout).toContain('name: piped');
    write('rel.yaml', valid('rel'));
    expect((await run(['validate', '-f', 'rel.yaml'])).stdout).toContain('name: rel');
  });

  it('prints every error as path: message and exits 2, with nothing on stdout', async () => {
    const r = await run(['validate', '-f', '-'], invalidReplicas);
    expect(r).toEqual({ code: ExitCode.Usage, stdout: '', stderr: 'spec.replicatedJobs[0].replicas: Too small: expected number to be >=0\n' });
  });

  it('prefixes errors with the file when given several files', async () => {
    const good = write('good.yaml', valid('good'));
    const bad = write('bad.yaml', invalidReplicas);
    const r = await run(['validate', '-f', good, '-f', bad]);
    expect(r).toEqual({ code: ExitCode.Usage, stdout: '', stderr: `${bad}: spec.replicatedJobs[0].replicas: Too small: expected number to be >=0\n` });
  });

  it('exits 2 for a file that cannot be read', async () => {
    const r = await run(['validate', '-f', 'missing.yaml']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(/^error: cannot read missing\.yaml: ENOENT/);
  });

  it.each([
    [['validate'], /missing -f FILE/],
    [['validate', '-f', 'x.yaml', 'extra'], /unexpected argument "extra"/],
    [['validate', '-o', 'table', '-f', 'x.yaml'], /invalid value "table" for -o/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /Usage: jobset COMMAND/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(message);
  });

  it.each([[['--help']], [['help']], [['validate', '--help']], [['validate', '-h', '-f', 'x']]])('%j prints help (exit 0)', async (argv) => {
    const r = await run(argv);
    expect(r).toMatchObject({ code: ExitCode.OK, stderr: '' });
    expect(r.stdout).toMatch(/Usage: jobset/);
  });
});

describe('spawned through bin/jobset.js', () => {
  const jobset = (args: string[], input?: string) =>
    spawnSync(process.execPath, [join(repo, 'bin/jobset.js'), ...args], { input, encoding: 'utf8', cwd: dir, timeout: 60_000 });

  it('exits 0 and prints the defaulted example', () => {
    const r = jobset(['validate', '-f', example, '-o', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ metadata: { name: 'paralleljobs' }, spec: { network: { enableDNSHostnames: true } } });
  });

  it('exits 2 and prints the path of an invalid field', () => {
    const r = jobset(['validate', '-f', '-'], invalidReplicas);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('spec.replicatedJobs[0].replicas: Too small: expected number to be >=0\n');
  });

  it('exits 2 for unreadable YAML', () => {
    const r = jobset(['validate', '-f', '-'], 'spec: [\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^\(document 1\): unreadable YAML: line 2, column 1: /);
  });

  it('prints help and exits 0', () => {
    const r = jobset(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/validate {2,}check JobSet YAML/);
  });
});
