// Installs (or finds in the user cache) the Temporal Java test server once per jest run; its path
// reaches the test workers through process.env. No download happens inside a test.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default async function globalSetup(): Promise<void> {
  process.env.TEMPORAL_TEST_SERVER_PATH = execFileSync('bash', [`${root}/deploy/local/test-server.sh`, 'path'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 10 * 60_000,
  }).trim();
}
