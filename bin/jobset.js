#!/usr/bin/env node
// Launcher for the `jobset` CLI: runs the built CLI (dist/, `npm run build`; an installed package
// ships it built).
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('jobset: the CLI is not built (no dist/): run `npm run build` in the jobset-temporal checkout');
  process.exit(1);
}
try {
  const { main: run } = await import(main.href);
  const code = await run(process.argv.slice(2));
  // Exit as soon as stdout and stderr are flushed, not when the event loop runs dry: a Temporal
  // request the verb gave up on (a query past its deadline) can leave a gRPC retry timer behind
  // that fires on the closed connection and kills the process after its output (exit 1).
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  process.exit(code);
} catch (err) {
  console.error(err);
  process.exit(1);
}
