// Builds the package (dist/, which the spawned CLI, worker and bridge run) and brings up (or
// reuses) the real local environment once per jest run: the Temporal CLI and dev server, and the
// local Kubernetes control plane. The scripts are idempotent, so an environment already started
// by `npm run env:up` is reused as it is. Their `env` output is copied into process.env, which
// the test workers inherit.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function script(name: string, verb: string): string {
  return execFileSync('bash', [`${root}/deploy/local/${name}`, verb], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 30 * 60_000,
  });
}

function exportEnv(output: string): void {
  for (const line of output.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, key, raw] = m as unknown as [string, string, string];
    process.env[key] = raw.replace(/\$PATH/, process.env.PATH ?? '');
  }
}

export default async function globalSetup(): Promise<void> {
  // As test/build-setup.ts does for the unit tests (jest loads a global setup without the test
  // files' module mapping, so it cannot import that file).
  if (process.env.JOBSET_BUILT !== '1')
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: 5 * 60_000 });
  script('temporal.sh', 'up');
  exportEnv(script('temporal.sh', 'env'));
  script('cluster.sh', 'up');
  exportEnv(script('cluster.sh', 'env'));
}
