#!/usr/bin/env node
// Launcher for the `jobset` CLI. It runs the TypeScript sources directly through tsx's loader,
// so the package works without a build step. The tsconfig is the package's own, whatever the
// caller's working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });

try {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  console.error(err);
  process.exit(1);
}
