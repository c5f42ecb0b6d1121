// Bundles the workflow code into one file: `node bundle-workflows.mjs <workflows entry> <out.js>`.
// Run by worker/bundle.ts in a child process, so webpack's memory (~150-200 MiB that the worker
// would otherwise keep) never lands in the worker. Plain JavaScript: webpack compiles the
// TypeScript entry itself, so no TypeScript loader is needed here.
import { renameSync, writeFileSync } from 'node:fs';

import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

const [workflowsPath, out] = process.argv.slice(2);
if (!workflowsPath || !out) {
  console.error('usage: bundle-workflows.mjs <workflows entry> <out.js>');
  process.exit(2);
}
const bundled = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
// Every character outside ASCII (in comments and messages) as a \u escape, which means the same
// in JavaScript source: V8 keeps a source string with any such character at two bytes per
// character, so the ~4 MB bundle cost ~8 MiB in every worker instead of ~4 (issue 13).
const code = bundled.code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
// Written next to its final name and renamed: a concurrent reader sees the whole file or none.
const partial = `${out}.${process.pid}.partial`;
writeFileSync(partial, code);
renameSync(partial, out);
