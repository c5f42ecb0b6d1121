// The examples of docs/usage.md run as written: the CLI walkthrough line by line, and the
// TypeScript SDK example file, which the page must show verbatim (as it must the Python example
// file, which the Python tests run).
import { readFileSync } from 'node:fs';

import { createTestNamespace, deleteTestNamespace } from '../integration/helpers/kube.js';
import { jobset, root, run, startWorker, uniqueTaskQueue, type TestWorker } from './helpers/cli.js';

const page = readFileSync(`${root}/docs/usage.md`, 'utf8');
const taskQueue = uniqueTaskQueue('e2e-docs');
let worker: TestWorker;
let namespace: string;

beforeAll(async () => {
  worker = await startWorker(taskQueue);
  namespace = await createTestNamespace('docs');
});

afterAll(async () => {
  await worker?.stop();
  if (namespace) await deleteTestNamespace(namespace);
});

/** The fenced block right after `<!-- marker -->`. */
function blockAfter(marker: string): string {
  const at = page.indexOf(`<!-- ${marker} -->`);
  if (at < 0) throw new Error(`docs/usage.md has no <!-- ${marker} --> block`);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(page.slice(at));
  if (!m) throw new Error(`no code block after <!-- ${marker} -->`);
  return m[1] as string;
}

/** The doc's settings for a JobSet of its own: this file's namespace and worker. */
const docEnv = () => ({ JOBSET_NAMESPACE: namespace, JOBSET_TASK_QUEUE: taskQueue });

test('the CLI walkthrough runs line by line, each command exiting 0', async () => {
  const lines = blockAfter('run: cli').trim().split('\n');
  expect(lines.length).toBeGreaterThan(5);
  for (const line of lines) {
    expect(line.startsWith('npx jobset ')).toBe(true);
    const args = line.slice('npx jobset '.length).split(' ');
    const r = await jobset(args, { env: docEnv() });
    expect({ line, code: r.code, stderr: r.stderr }).toEqual({ line, code: 0, stderr: expect.any(String) });
    if (args[0] === 'wait') expect(r.stdout).toBe('jobset.jobset.x-k8s.io/pytorch condition met\n');
    if (args[0] === 'delete') expect(r.stdout).toBe('jobset.jobset.x-k8s.io/pytorch deleted\n');
  }
});

test('the TypeScript SDK example is the file the page shows, and it runs', async () => {
  const file = 'docs/examples/quickstart.ts';
  expect(blockAfter(`file: ${file}`)).toBe(readFileSync(`${root}/${file}`, 'utf8'));
  const r = await run(process.execPath, ['--import', 'tsx', file], { env: docEnv() });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('pytorch: created');
  expect(lines.at(-2)).toBe('  Completed: leader 1 succeeded, workers 1 succeeded');
  expect(lines.at(-1)).toBe('pytorch: Completed, restarts 0');
});

test('the Python SDK example is the file the page shows (clients/python/tests run it)', () => {
  const file = 'clients/python/examples/submit_and_wait.py';
  expect(blockAfter(`file: ${file}`)).toBe(readFileSync(`${root}/${file}`, 'utf8'));
});
