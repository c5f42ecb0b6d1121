// Issue 13 item 5: two worker processes on one task queue share the JobSets (Temporal hands each
// task to whichever polls); one is SIGKILLed while 200 JobSets run, and the other brings every
// one of them to its end: the right outcome, no Job created twice within one restart attempt.
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { JobLedger } from '../integration/helpers/faults.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube } from '../integration/helpers/kube.js';
import { createTemporalEnv } from '../integration/helpers/temporal.js';
import { spawnWorker, stopWorkers, type WorkerProcess } from '../integration/helpers/worker-process.js';
import { expectedOutcome, oneJobEntry, outcome, settledStatus, startEntry, type MixEntry } from './mix.js';
import { workflowId } from '../../workflows/contract.js';

const COUNT = 200;
const taskQueue = 'resilience-two-workers';
let env: TestWorkflowEnvironment;
let ns: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  env = await createTemporalEnv();
  ns = await createTestNamespace('res-two');
});

afterAll(async () => {
  await stopWorkers(workers);
  if (ns) await deleteTestNamespace(ns);
  await env?.teardown();
});

/** One Job of one pod running 20 s (through the kill); every tenth fails once and restarts. */
const entry = (i: number): MixEntry => oneJobEntry(ns, `t${i}`, i % 10 === 0, '20s');

/** The worker identities (pid@host) that ran workflow tasks of these JobSets so far. */
async function identities(entries: readonly MixEntry[]): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const e of entries) {
    const history = await env.client.workflow.getHandle(workflowId(ns, e.jobSet.metadata.name!)).fetchHistory();
    for (const ev of history.events ?? []) {
      const identity = ev.workflowTaskStartedEventAttributes?.identity;
      if (identity) seen.add(identity);
    }
  }
  return seen;
}

test(`issue 13 item 5: SIGKILL of one of two workers while ${COUNT} JobSets run: every JobSet reaches its end on the other, none duplicated`, async () => {
  const ledger = await JobLedger.start(ns);
  try {
    const a = spawnWorker({ address: env.address, taskQueue });
    const b = spawnWorker({ address: env.address, taskQueue });
    workers.push(a, b);
    const entries = Array.from({ length: COUNT }, (_, i) => entry(i));
    for (let i = 0; i < entries.length; i += 50) await Promise.all(entries.slice(i, i + 50).map((e) => startEntry(env.client, taskQueue, e)));

    // Both workers took part before the kill.
    await eventually(
      `${COUNT} child Jobs`,
      async () => {
        const jobs = await kube().batch.listNamespacedJob({ namespace: ns });
        return jobs.items.length >= COUNT ? true : undefined;
      },
      240_000,
    );
    const before = await identities(entries.slice(0, 40));
    expect(before.size).toBe(2);

    a.child.kill('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');

    for (const e of entries) {
      const status = await settledStatus(env.client, e);
      expect(await outcome(e, status)).toEqual(expectedOutcome(e));
    }
    expect({ jobsCreatedTwiceInOneAttempt: ledger.duplicates() }).toEqual({ jobsCreatedTwiceInOneAttempt: [] });
    expect(b.child.exitCode).toBeNull();
  } finally {
    ledger.stop();
  }
}, 900_000);
