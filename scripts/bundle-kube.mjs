// Writes dist/src/k8s/kube.js (after tsc, whose output re-exports @kubernetes/client-node) as one
// tree-shaken, minified ES module of just the values it exports, client-node's own dependencies
// included, so the built worker and bridge do not load and keep every API group's source (see
// src/k8s/kube.ts). Run by `npm run build` after tsc.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

await build({
  entryPoints: [fileURLToPath(new URL('../src/k8s/kube.ts', import.meta.url))],
  outfile: fileURLToPath(new URL('../dist/src/k8s/kube.js', import.meta.url)),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  // Some of client-node's CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
