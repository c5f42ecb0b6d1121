// Many JobSets submitted at once on one worker (RESILIENCE_JOBSETS, default 100): all finish with
// the right outcome, no Job name is ever created twice within one restart attempt (checked on a
// watch stream of every child Job), no old-attempt Job is left behind, and after delete nothing
// of theirs is left on the cluster.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';

import { JobSetClient } from '../../src/client/index.js';
import { Label } from '../../src/api/constants.js';
import { JobLedger } from '../integration/helpers/faults.js';
import { createJobSetWorker, startJobSet } from '../integration/helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube } from '../integration/helpers/kube.js';
import { createTemporalEnv } from '../integration/helpers/temporal.js';
import { expectedOutcome, oneJobEntry, outcome, settledStatus, type MixEntry } from './mix.js';

const count = Number(process.env.RESILIENCE_JOBSETS ?? 100);
const taskQueue = 'resilience-many';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let ns: string;

beforeAll(async () => {
  env = await createTemporalEnv();
  ns = await createTestNamespace('res-many');
  worker = await createJobSetWorker(env, taskQueue);
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  if (ns) await deleteTestNamespace(ns);
  await env?.teardown();
});

/** One Job of one 2 s pod; every tenth JobSet fails once (attempt 0) and completes after a restart. */
const entry = (i: number): MixEntry => oneJobEntry(ns, `m${i}`, i % 10 === 0);

test(`${count} JobSets at once: all finish correctly, no Job created twice, no old-attempt Job left, nothing left after delete`, async () => {
  const ledger = await JobLedger.start(ns);
  const entries = Array.from({ length: count }, (_, i) => entry(i));
  await Promise.all(entries.map((e) => startJobSet(env, taskQueue, e.jobSet)));

  const outcomes = [];
  for (const e of entries) outcomes.push(await outcome(e, await settledStatus(env.client, e, 600_000)));
  expect(outcomes).toEqual(entries.map(expectedOutcome));
  expect({ jobsCreatedTwiceInOneAttempt: ledger.duplicates() }).toEqual({ jobsCreatedTwiceInOneAttempt: [] });
  // Every JobSet's Job was seen, and the flaky ones in both attempts.
  expect(ledger.created.size).toBe(count + entries.filter((e) => e.expected.restarts === 1).length);

  const sdk = new JobSetClient({ client: env.client, taskQueue });
  for (let i = 0; i < entries.length; i += 10) {
    await Promise.all(entries.slice(i, i + 10).map((e) => sdk.delete(ns, e.jobSet.metadata.name!)));
  }
  ledger.stop();
  const selector = Label.JobSetName;
  const left = await eventually(
    'every child object to be gone',
    async () => {
      const [jobs, pods, services] = await Promise.all([
        kube().batch.listNamespacedJob({ namespace: ns, labelSelector: selector }),
        kube().core.listNamespacedPod({ namespace: ns, labelSelector: selector }),
        kube().core.listNamespacedService({ namespace: ns }),
      ]);
      const names = {
        jobs: jobs.items.map((j) => j.metadata?.name),
        pods: pods.items.map((p) => p.metadata?.name),
        services: services.items.map((s) => s.metadata?.name),
      };
      return names.jobs.length + names.pods.length + names.services.length === 0 ? names : undefined;
    },
    120_000,
  );
  expect(left).toEqual({ jobs: [], pods: [], services: [] });
});
