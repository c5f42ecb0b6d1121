// Workflow code is durable code: JobSets running on an earlier version of workflows/ go on under
// this one. Every history recorded in test/replay/histories (by scripts/record-histories.ts, from
// runs of earlier code: completed, failed, refused, cancelled, terminated, continued-as-new, with
// suspend/resume Updates) replays against the current bundle without a nondeterminism error.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

// A CommonJS module whose exports Node's ESM loader cannot list: default import.
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

import { workflowBundle } from '../integration/helpers/temporal.js';

const dir = fileURLToPath(new URL('../replay/histories', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.pb.gz'))
  .sort();

test(`${files.length} recorded histories replay on the current workflow code`, async () => {
  expect(files.length).toBeGreaterThan(0);
  const histories = files.map((f) => ({ workflowId: f, history: proto.temporal.api.history.v1.History.decode(gunzipSync(readFileSync(`${dir}/${f}`))) }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${String(result.error).split('\n')[0]}`);
  }
  expect(failures).toEqual([]);
}, 300_000);
