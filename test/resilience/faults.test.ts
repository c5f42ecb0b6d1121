// Faults with JobSets in flight (running, restarting, being created): the worker is SIGKILLed,
// the kube-apiserver is restarted, a child Job is deleted by hand. Every JobSet must reach the
// state it reaches without the fault, with no Job created twice and no old-attempt Job left.
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { Label } from '../../src/api/constants.js';
import { JobLedger, restartKubeApiserver } from '../integration/helpers/faults.js';
import { childJobs, finalStatus, jobSetIn, podTemplate, startJobSet, statusEventually } from '../integration/helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube } from '../integration/helpers/kube.js';
import { createTemporalEnv, replayHistory } from '../integration/helpers/temporal.js';
import { spawnWorker, stopWorkers, type WorkerProcess } from '../integration/helpers/worker-process.js';
import { creatingEntry, expectedOutcome, inFlightMix, outcome, settledStatus, startEntry, type MixEntry } from './mix.js';

let env: TestWorkflowEnvironment;
const namespaces: string[] = [];
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  env = await createTemporalEnv();
});

afterAll(async () => {
  await stopWorkers(workers);
  for (const ns of namespaces) await deleteTestNamespace(ns);
  await env?.teardown();
});

async function namespace(prefix: string): Promise<string> {
  const ns = await createTestNamespace(prefix);
  namespaces.push(ns);
  return ns;
}

function worker(taskQueue: string): WorkerProcess {
  const w = spawnWorker({ address: env.address, taskQueue });
  workers.push(w);
  return w;
}

/** Starts the mix, waits until a restart is under way, then submits one more JobSet. */
async function startMixUntilRestarting(ns: string, taskQueue: string): Promise<MixEntry[]> {
  const entries = inFlightMix(ns);
  const handles = await Promise.all(entries.map((e) => startEntry(env.client, taskQueue, e)));
  const doomed = handles[entries.findIndex((e) => e.jobSet.metadata.name === 'doomed')]!;
  await statusEventually(doomed, 'the first restart of doomed', (s) => s.restarts >= 1, 180_000);
  const late = creatingEntry(ns);
  await startEntry(env.client, taskQueue, late);
  return [...entries, late];
}

async function expectOutcomes(entries: MixEntry[], ledger: JobLedger): Promise<void> {
  for (const entry of entries) {
    const status = await settledStatus(env.client, entry);
    expect(await outcome(entry, status)).toEqual(expectedOutcome(entry));
  }
  expect({ jobsCreatedTwiceInOneAttempt: ledger.duplicates() }).toEqual({ jobsCreatedTwiceInOneAttempt: [] });
}

test('SIGKILL of the worker with JobSets running, restarting and being created: a new worker brings each to its correct end, no Job created twice', async () => {
  const ns = await namespace('res-kill');
  const taskQueue = 'resilience-kill';
  const ledger = await JobLedger.start(ns);
  const first = worker(taskQueue);
  const entries = await startMixUntilRestarting(ns, taskQueue);
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');

  worker(taskQueue);
  try {
    await expectOutcomes(entries, ledger);
  } finally {
    ledger.stop();
  }
});

test('kube-apiserver stopped for 3 s and restarted with JobSets in flight: activities retry, every JobSet reaches its correct end', async () => {
  const ns = await namespace('res-api');
  const taskQueue = 'resilience-apiserver';
  const ledger = await JobLedger.start(ns);
  worker(taskQueue);
  const entries = await startMixUntilRestarting(ns, taskQueue);
  await restartKubeApiserver(3_000);
  try {
    await expectOutcomes(entries, ledger);
    // The ledger's watch broke with the API server and was opened again.
    expect(ledger.reconnects).toBeGreaterThanOrEqual(1);
  } finally {
    ledger.stop();
  }
});

test('a child Job deleted by hand is created again in the same restart attempt (as upstream: a missing Job is just created), not counted as a failure', async () => {
  const ns = await namespace('res-del');
  const taskQueue = 'resilience-delete-child';
  const ledger = await JobLedger.start(ns);
  worker(taskQueue);
  const js = jobSetIn(ns, {
    metadata: { name: 'hand' },
    spec: {
      failurePolicy: { maxRestarts: 2 },
      replicatedJobs: [{ name: 'w', replicas: 2, template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '15s' }) } } }],
    },
  });
  const handle = await startJobSet(env, taskQueue, js);
  await statusEventually(handle, 'both Jobs active', (s) => s.replicatedJobsStatus.some((r) => r.active === 2));
  const [original] = await childJobs(ns, 'hand').then((jobs) => jobs.filter((j) => j.metadata?.name === 'hand-w-1'));
  expect(original?.metadata?.labels?.[Label.RestartAttempt]).toBe('0');
  await kube().batch.deleteNamespacedJob({ name: 'hand-w-1', namespace: ns, propagationPolicy: 'Background' });

  const recreated = await eventually('hand-w-1 to be created again', async () => {
    const job = (await childJobs(ns, 'hand')).find((j) => j.metadata?.name === 'hand-w-1');
    return job && job.metadata?.uid !== original?.metadata?.uid ? job : undefined;
  });
  const status = await finalStatus(handle);
  ledger.stop();
  // The test queries the run while its local activities run: core may end a workflow task between
  // a result and the code after it, and the history must still replay (it once did not).
  await replayHistory(handle);

  expect({
    recreatedAttempt: recreated.metadata?.labels?.[Label.RestartAttempt],
    terminalState: status.terminalState,
    restarts: status.restarts,
    uidsOfHandW1InAttempt0: ledger.uidsOf('hand-w-1', 0).length,
    uidsOfHandW0InAttempt0: ledger.uidsOf('hand-w-0', 0).length,
  }).toEqual({
    recreatedAttempt: '0',
    terminalState: 'Completed',
    restarts: 0,
    uidsOfHandW1InAttempt0: 2,
    uidsOfHandW0InAttempt0: 1,
  });
});
