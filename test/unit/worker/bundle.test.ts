// The worker's prebuilt workflow bundle (worker/bundle.ts): keyed by the sources it is built
// from, built once by a child process, reused, and never fatal when the cache cannot be written.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bundleCacheDir, bundleKey, workflowSource } from '../../../worker/bundle.js';
import { workflowsPath } from '../../../worker/worker.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'bundle-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A package tree with workflows/index.ts and one file under src/. */
function tree(files: Record<string, string> = {}): string {
  const root = tempDir();
  const all = { 'workflows/index.ts': 'export const a = 1;\n', 'src/core/x.ts': 'export const x = 1;\n', ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return join(root, 'workflows/index.ts');
}

describe('bundleKey', () => {
  test.each([
    ['the same sources', true, {}],
    ['a changed workflow file', false, { 'workflows/index.ts': 'export const a = 2;\n' }],
    ['a changed file under src/', false, { 'src/core/x.ts': 'export const x = 2;\n' }],
    ['a new file under src/', false, { 'src/api/y.ts': 'export const y = 1;\n' }],
    ['a changed lock file', false, { 'package-lock.json': '{"lockfileVersion": 3}' }],
    ['a file that is not code', true, { 'src/core/notes.md': 'hello' }],
  ])('%s: same key: %s', (_, same, files) => {
    expect(bundleKey(tree(files)) === bundleKey(tree())).toBe(same);
  });
});

describe('workflowSource', () => {
  const saved = process.env.XDG_CACHE_HOME;
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });

  test('builds the bundle of the real workflows once, in a child process, and reuses it', async () => {
    process.env.XDG_CACHE_HOME = tempDir();
    const first = await workflowSource(workflowsPath);
    expect(first).toEqual({ workflowBundle: { codePath: join(bundleCacheDir(), `${bundleKey(workflowsPath)}.js`) } });
    const { codePath } = (first as { workflowBundle: { codePath: string } }).workflowBundle;
    expect(readFileSync(codePath, 'utf8')).toContain('jobSetWorkflow');
    const built = statSync(codePath).mtimeMs;
    expect(await workflowSource(workflowsPath)).toEqual(first);
    expect(statSync(codePath).mtimeMs).toBe(built);
  }, 120_000);

  test('a cache it cannot write: the worker bundles the entry itself, and says why', async () => {
    // A file where the cache directory would go (a mode would not stop root, which CI may be).
    const cache = tempDir();
    writeFileSync(join(cache, 'jobset-temporal'), 'not a directory');
    process.env.XDG_CACHE_HOME = cache;
    const logged: string[] = [];
    expect(await workflowSource(workflowsPath, (m) => logged.push(m))).toEqual({ workflowsPath });
    expect(logged).toEqual([expect.stringContaining('bundling in this process')]);
    expect(existsSync(join(cache, 'jobset-temporal', 'workflow-bundles'))).toBe(false);
  });
});
