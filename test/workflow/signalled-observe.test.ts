// Issue 13 item 3 on the workflow (time-skipping server, fake cluster): when the worker's cache
// signals changes to a JobSet's children (worker/child-signals.ts), a running JobSet waits for the
// `childrenChanged` signal holding no activity at all, and reads its children once signalled.
// Children the worker does not signal (a namespace its cache does not cover) are watched by the
// observe activity, as before.
import { jest } from '@jest/globals';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import type { JobSetActivities } from '../../activities/jobset.js';
import type { JobSet, JobSetStatus } from '../../src/api/schema.js';
import { jobSetWorkflow } from '../../workflows/jobset.js';
import { childrenChangedSignal, statusQuery, workflowId } from '../../workflows/contract.js';
import { makeJobSet, makeReplicatedJob } from '../unit/core/builders.js';
import { FakeCluster } from './fake-cluster.js';
import { withFakeClusterWorker } from './temporal.js';

const TASK_QUEUE = 'jobset-signalled-observe';
jest.setTimeout(90_000);
const jobSet = (): JobSet => makeJobSet('train', 'ns').uid('uid-1').replicatedJob(makeReplicatedJob('workers').replicas(2)).obj();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const allReady = (s: JobSetStatus) => s.replicatedJobsStatus.some((r) => r.ready === 2);

/** Starts the JobSet and waits until its status shows both Jobs ready. */
async function startUntilReady(env: TestWorkflowEnvironment) {
  const handle = await env.client.workflow.start(jobSetWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: workflowId('ns', 'train'),
    args: [{ jobSet: jobSet() }],
  });
  for (let i = 0; i < 100 && !allReady(await handle.query(statusQuery)); i++) await sleep(50);
  return handle;
}

/** The fake cluster's observations, saying whether the worker signals changes to them. */
function observations(cluster: FakeCluster, signalled: boolean): Partial<JobSetActivities> {
  return {
    observeChildren: async (input) => ({ ...(await cluster.activities.observeChildren(input)), ...(signalled ? { signalled: true as const } : {}) }),
  };
}

test('a signalled JobSet waits with no activity, and a childrenChanged signal makes it read and act', async () => {
  const cluster = new FakeCluster();
  // Jobs run until the test lets them complete.
  cluster.completeJobsAfter(1_000_000);
  await withFakeClusterWorker(TASK_QUEUE, cluster, observations(cluster, true), async (env) => {
    const handle = await startUntilReady(env);
    expect(allReady(await handle.query(statusQuery))).toBe(true);

    // Waiting: no pending activity, and no reads while nothing signals.
    const reads = cluster.count('observeChildren');
    await sleep(1_000);
    expect(cluster.count('observeChildren')).toBe(reads);
    expect((await handle.describe()).raw.pendingActivities ?? []).toHaveLength(0);
    // The wait is a timer that says what it waits for (the Web UI's timeline shows it).
    const timers = (await handle.fetchHistory()).events?.filter((e) => e.timerStartedEventAttributes) ?? [];
    expect(timers.length).toBeGreaterThan(0);
    for (const t of timers) expect(Buffer.from(t.userMetadata?.summary?.data ?? []).toString()).toBe('"wait for a change to the child Jobs (or the resync)"');

    // The Jobs complete; the signal has the run read them and finish.
    cluster.completeJobsAfter(0);
    await handle.signal(childrenChangedSignal);
    const result = await handle.result();
    expect(result.status.terminalState).toBe('Completed');
    expect(cluster.count('observeChildren')).toBeLessThanOrEqual(reads + 2);
  });
});

test('a JobSet whose children are not signalled waits on the observe activity', async () => {
  const cluster = new FakeCluster();
  cluster.completeJobsAfter(1_000_000);
  await withFakeClusterWorker(TASK_QUEUE, cluster, observations(cluster, false), async (env) => {
    const handle = await startUntilReady(env);
    // The fake's observe activity returns at once when nothing changed (it never waits long):
    // the run keeps calling it, with no signal.
    const reads = cluster.count('observeChildren');
    await sleep(1_000);
    expect(cluster.count('observeChildren')).toBeGreaterThan(reads);
    cluster.completeJobsAfter(0);
    expect((await handle.result()).status.terminalState).toBe('Completed');
  });
});
