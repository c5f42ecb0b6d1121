// Installs (or finds in the user cache) the Temporal Java test server and the dev server's CLI once
// per jest run; their paths reach the test workers through process.env. No download happens
// inside a test.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const installed = (script: string) =>
  execFileSync('bash', [`${root}/deploy/local/${script}`, 'path'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 10 * 60_000,
  }).trim();

export default async function globalSetup(): Promise<void> {
  process.env.TEMPORAL_TEST_SERVER_PATH = installed('test-server.sh');
  process.env.TEMPORAL_DEV_SERVER_PATH = installed('temporal.sh');
}
