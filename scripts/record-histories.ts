// Records workflow histories for the replay test (test/workflow/replay.test.ts): every run of
// the given workflow IDs on a Temporal server, as gzipped binary protobuf (the SDK's JSON reader
// trips over the several protobufjs copies npm installs), named after the run's status.
//
//   node --import tsx scripts/record-histories.ts [--address 127.0.0.1:7233] [--out DIR] WORKFLOW_ID[,RUN_ID]...
//
// Record histories of the code as it is before a change to workflows/, so the replay test proves
// that JobSets running on the old code go on under the new.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

import { Client, Connection } from '@temporalio/client';
// A CommonJS module whose exports Node's ESM loader cannot list: default import.
import proto from '@temporalio/proto';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : (args.splice(i, 2)[1] ?? fallback);
};
const address = flag('--address', '127.0.0.1:7233');
const out = flag('--out', 'test/replay/histories');
if (args.length === 0) {
  console.error('usage: record-histories.ts [--address HOST:PORT] [--out DIR] WORKFLOW_ID[,RUN_ID]...');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const client = new Client({ connection: await Connection.connect({ address }) });
for (const arg of args) {
  // Workflow IDs hold slashes and commas; a run ID is a UUID after the last comma.
  const m = /^(.*),([0-9a-f-]{36})$/.exec(arg);
  const [workflowId, runId] = m ? [m[1]!, m[2]] : [arg, undefined];
  const handle = client.workflow.getHandle(workflowId, runId);
  const { status, runId: run, type } = await handle.describe();
  const history = await handle.fetchHistory();
  const name = `${type}-${status.name.toLowerCase()}-${workflowId.replace(/[^A-Za-z0-9.-]+/g, '_')}-${run.slice(0, 8)}.pb.gz`;
  writeFileSync(`${out}/${name}`, gzipSync(proto.temporal.api.history.v1.History.encode(history).finish()));
  console.log(`${name}: ${history.events?.length ?? 0} events`);
}
await client.connection.close();
