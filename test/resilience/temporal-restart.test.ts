// The Temporal server stops (SIGTERM) and starts again on the same state file while JobSets are
// running, restarting and being created. This file runs its own dev server on free ports: the
// shared one on 7233 is never touched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, Connection } from '@temporalio/client';

import { DevServer, JobLedger } from '../integration/helpers/faults.js';
import { statusEventually } from '../integration/helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, sleep } from '../integration/helpers/kube.js';
import { spawnWorker, stopWorkers, type WorkerProcess } from '../integration/helpers/worker-process.js';
import { creatingEntry, expectedOutcome, inFlightMix, outcome, settledStatus, startEntry } from './mix.js';

const taskQueue = 'resilience-temporal';
let dir: string;
let server: DevServer;
let connection: Connection | undefined;
let ns: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jobset-resilience-temporal-'));
  server = await DevServer.create(join(dir, 'temporal.db'));
  await server.start();
  ns = await createTestNamespace('res-temporal');
});

afterAll(async () => {
  await stopWorkers(workers);
  await connection?.close();
  await server?.stop();
  if (ns) await deleteTestNamespace(ns);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the Temporal server stopped and started again on the same state file: every JobSet reaches its correct end, no Job created twice', async () => {
  const ledger = await JobLedger.start(ns);
  workers.push(spawnWorker({ address: server.address, taskQueue }));
  connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });

  const entries = inFlightMix(ns);
  const handles = await Promise.all(entries.map((e) => startEntry(client, taskQueue, e)));
  await statusEventually(
    handles[entries.findIndex((e) => e.jobSet.metadata.name === 'doomed')]!,
    'the first restart of doomed',
    (s) => s.restarts >= 1,
    180_000,
  );
  const late = creatingEntry(ns);
  await startEntry(client, taskQueue, late);
  const all = [...entries, late];

  await server.stop();
  await sleep(3_000);
  await server.start();

  try {
    for (const entry of all) {
      const status = await settledStatus(client, entry);
      expect(await outcome(entry, status)).toEqual(expectedOutcome(entry));
    }
    expect({ jobsCreatedTwiceInOneAttempt: ledger.duplicates() }).toEqual({ jobsCreatedTwiceInOneAttempt: [] });
    // The same worker process rode out the outage (it reconnects; nothing restarted it).
    expect({ workerStillRunning: workers[0]!.child.exitCode === null && workers[0]!.child.signalCode === null }).toEqual({ workerStillRunning: true });
  } finally {
    ledger.stop();
  }
});
