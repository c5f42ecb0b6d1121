// Builds the package (dist/, incremental: quick when nothing changed) before tests that run the
// `jobset` CLI, worker or bridge as a process: those run the build, as an installed package does.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default function buildPackage(): void {
  // scripts/test.sh builds once and says so: its one jest process per file need not check again.
  if (process.env.JOBSET_BUILT === '1') return;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: 5 * 60_000 });
}
