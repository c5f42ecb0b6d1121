// Issue 16 items 1 and 4: the package as a user gets it. `npm pack` (which builds dist/), the
// tarball installed into a fresh project (production dependencies only): a plain `.mjs` file
// imports the SDK, TypeScript type-checks against its declarations, the installed `jobset` answers
// `--help` and `validate`, and `jobset worker` (the image's entrypoint) runs a real JobSet that the
// `.mjs` submits; all without tsx or any TypeScript loader.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createTestNamespace, deleteTestNamespace } from '../integration/helpers/kube.js';
import { run } from './helpers/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let tarball: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobset-pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
  ) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  tarball = join(dir, packed[0]!.filename);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The dependencies come from npm's cache when it has them (as on a machine that ran npm install).
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 10 * 60_000,
  });
}, 15 * 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const installed = (path: string) => join(dir, 'node_modules', 'jobset-temporal', path);
const jobset = (args: string[], input?: string) =>
  spawnSync(process.execPath, [join(dir, 'node_modules', '.bin', 'jobset'), ...args], { cwd: dir, input, encoding: 'utf8', timeout: 60_000 });

test('the tarball holds the build, not the TypeScript sources, and installs without tsx', () => {
  expect(existsSync(installed('dist/src/client/index.js'))).toBe(true);
  expect(existsSync(installed('dist/src/client/index.d.ts'))).toBe(true);
  expect(existsSync(installed('src'))).toBe(false);
  expect(existsSync(join(dir, 'node_modules', 'tsx'))).toBe(false);
  const manifest = JSON.parse(readFileSync(installed('package.json'), 'utf8')) as { dependencies: Record<string, string> };
  expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
});

test('a plain .mjs file imports the SDK and prepares a JobSet with it', () => {
  writeFileSync(
    join(dir, 'use.mjs'),
    [
      "import { JobSetClient, JobSetValidationError, prepareJobSet } from 'jobset-temporal';",
      "const js = prepareJobSet(process.argv[2], { namespace: 'team-a' });",
      'console.log(typeof JobSetClient.connect, js.metadata.namespace, js.spec.replicatedJobs.length);',
      "try { prepareJobSet('kind: JobSet\\napiVersion: jobset.x-k8s.io/v1alpha2\\nmetadata: {name: Bad_Name}\\nspec: {}'); } catch (err) { console.log(err instanceof JobSetValidationError); }",
    ].join('\n'),
  );
  const r = spawnSync(process.execPath, ['use.mjs', readFileSync(join(root, 'examples/simple/pytorch.yaml'), 'utf8')], { cwd: dir, encoding: 'utf8' });
  expect({ code: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ code: 0, stderr: '', stdout: 'function team-a 2\ntrue\n' });
});

test('TypeScript type-checks a consumer against the declarations', () => {
  writeFileSync(
    join(dir, 'use.ts'),
    [
      "import { JobSetClient, type SubmitResult } from 'jobset-temporal';",
      'export async function submit(text: string): Promise<SubmitResult> {',
      "  const client = await JobSetClient.connect({ address: '127.0.0.1:7233' });",
      '  return client.submit(text);',
      '}',
      '// @ts-expect-error: submit takes text or a JobSet, not a number',
      'export const wrong = (c: JobSetClient) => c.submit(42);',
    ].join('\n'),
  );
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(
    process.execPath,
    [
      tsc,
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--types',
      'node',
      '--typeRoots',
      join(root, 'node_modules', '@types'),
      'use.ts',
    ],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  expect({ code: r.status, out: r.stdout + r.stderr }).toEqual({ code: 0, out: '' });
});

test('the installed jobset answers --help and validate', () => {
  const help = jobset(['--help']);
  expect({ code: help.status, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
  expect(help.stdout).toContain('Usage: jobset COMMAND [flags]');

  const good = jobset(['validate', '-f', '-'], readFileSync(join(root, 'examples/simple/pytorch.yaml'), 'utf8'));
  expect({ code: good.status, stderr: good.stderr }).toEqual({ code: 0, stderr: '' });
  const bad = jobset(['validate', '-f', '-'], '{}');
  expect({ code: bad.status, stderr: bad.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('metadata: Required value') });
});

test('the installed `jobset worker` (the image entrypoint) runs a JobSet that the installed SDK submits and waits for', async () => {
  const ns = await createTestNamespace('pack');
  const taskQueue = `pack-${Date.now().toString(36)}`;
  const worker = spawn(process.execPath, [join(dir, 'node_modules', '.bin', 'jobset'), 'worker', '--task-queue', taskQueue], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  worker.stdout.on('data', (d) => (output += String(d)));
  worker.stderr.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
  try {
    writeFileSync(
      join(dir, 'run.mjs'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { JobSetClient } from 'jobset-temporal';",
        'const [file, namespace, taskQueue] = process.argv.slice(2);',
        'const client = await JobSetClient.connect({ address: process.env.TEMPORAL_ADDRESS, taskQueue });',
        "const { jobSet } = await client.submit(readFileSync(file, 'utf8'), { namespace });",
        "const status = await client.wait(namespace, jobSet.metadata.name, { for: 'Completed', timeoutMs: 120_000 });",
        'console.log(status.terminalState);',
        'await client.close();',
      ].join('\n'),
    );
    // Asynchronously: the worker's output is read meanwhile.
    const r = await run(process.execPath, ['run.mjs', join(root, 'examples/simple/pytorch.yaml'), ns, taskQueue], { cwd: dir });
    expect(r).toEqual({ code: 0, signal: null, stdout: 'Completed\n', stderr: '' });
    expect(output).toContain(`jobset worker: task queue ${taskQueue}`);
  } finally {
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    await deleteTestNamespace(ns);
  }
}, 240_000);
