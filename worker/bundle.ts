// The worker's workflow bundle: built once per version of the workflow code, in a child process,
// and kept in the user cache. Bundling in the worker itself left webpack's memory in it for good
// (RSS at rest ~395 MiB against ~180 MiB with a prebuilt bundle, measured on the bare worker), and
// every start paid for the bundling.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What Worker.create takes: a prebuilt bundle, or the entry to bundle in this process. */
export type WorkflowSource = { workflowBundle: { codePath: string } } | { workflowsPath: string };

/** Bundles in a child process; plain JavaScript, copied next to the build by `npm run build`. */
const bundlerScript = fileURLToPath(new URL('./bundle-workflows.mjs', import.meta.url));

/**
 * A key over everything the bundle is built from: the sources under `workflows/` and `src/` (more
 * than the bundle imports, so a stale bundle is never reused), the script that bundles them, and
 * the versions of the SDK and of the locked dependencies.
 */
export function bundleKey(workflowsPath: string): string {
  const hash = createHash('sha256');
  const root = join(dirname(workflowsPath), '..');
  const add = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) add(path);
      else if (/\.[cm]?[jt]s$/.test(entry.name))
        hash
          .update(`${relative(root, path)}\0`)
          .update(readFileSync(path))
          .update('\0');
    }
  };
  add(dirname(workflowsPath));
  if (existsSync(join(root, 'src'))) add(join(root, 'src'));
  hash.update(readFileSync(bundlerScript));
  const require = createRequire(import.meta.url);
  for (const pkg of ['@temporalio/worker/package.json', '@temporalio/workflow/package.json']) hash.update(readFileSync(require.resolve(pkg)));
  if (existsSync(join(root, 'package-lock.json'))) hash.update(readFileSync(join(root, 'package-lock.json')));
  return hash.digest('hex').slice(0, 24);
}

export function bundleCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'jobset-temporal', 'workflow-bundles');
}

/**
 * The prebuilt bundle for `workflowsPath` (built by a child process on a cache miss), or, when the
 * cache cannot be written (a read-only filesystem), the entry for the worker to bundle itself.
 */
export async function workflowSource(workflowsPath: string, log: (msg: string) => void = () => undefined): Promise<WorkflowSource> {
  const dir = bundleCacheDir();
  const codePath = join(dir, `${bundleKey(workflowsPath)}.js`);
  if (existsSync(codePath)) return { workflowBundle: { codePath } };
  try {
    mkdirSync(dir, { recursive: true });
    await run(process.execPath, [bundlerScript, workflowsPath, codePath], { maxBuffer: 16 * 1024 * 1024 });
    return { workflowBundle: { codePath } };
  } catch (err) {
    log(`workflow bundle cache ${dir} unusable (${err instanceof Error ? err.message.split('\n')[0] : String(err)}): bundling in this process`);
    return { workflowsPath };
  }
}
