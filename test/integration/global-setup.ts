// Brings up (or reuses) the real local environment once per jest run: the Temporal CLI and dev
// server, and the local Kubernetes control plane. The scripts are idempotent, so an environment
// already started by `npm run env:up` is reused as it is. Their `env` output is copied into
// process.env, which the test workers inherit.
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
  script('temporal.sh', 'up');
  exportEnv(script('temporal.sh', 'env'));
  script('cluster.sh', 'up');
  exportEnv(script('cluster.sh', 'env'));
}
