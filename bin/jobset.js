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
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  console.error(err);
  process.exit(1);
}
