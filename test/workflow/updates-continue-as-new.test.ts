// Issue 12 item 2: suspend/resume Updates wait for the reconcile loop to apply them, and here the
// loop continues as new after every pass (maxPassesPerRun 1). An Update accepted after a pass has
// read the spec version, and before that pass's continue-as-new, must send the loop round once
// more instead of waiting for its handler (which waits for the loop): otherwise neither ever
// returns. The real workflow runs on a time-skipping test server over a fake cluster.
//
// Every Update is placed: the fake holds an activity call open while the workflow accepts it,
// then lets the call go. So each case says where its Updates arrive (during act, during
// observe), and every assertion holds whatever the interleaving of the rest. Placing also keeps
// an Update from waking the loop just as its observe call completes: the Java test server
// refuses the cancellation of an activity that completed while the workflow task ran
// (ACTIVITY_UNKNOWN, and the run then hangs), which the real server accepts.
import { WorkflowUpdateStage, type WorkflowHandleWithFirstExecutionRunId, type WorkflowUpdateHandle } from '@temporalio/client';

import type { JobSetStatus } from '../../src/api/schema.js';
import { jobSetWorkflow } from '../../workflows/jobset.js';
import { resumeUpdate, suspendUpdate, workflowId } from '../../workflows/contract.js';
import { makeJobSet, makeReplicatedJob } from '../unit/core/builders.js';
import { FakeCluster, type ActivityName, type Hold } from './fake-cluster.js';
import { createFakeClusterWorker, createTestEnv } from './temporal.js';

// A live Update returns within a few passes (well under a second); a deadlocked one never does.
const BOUND_MS = 20_000;
const TEST_TIMEOUT_MS = 90_000;
const TASK_QUEUE = 'jobset-workflow-test';

type Kind = 'suspend' | 'resume';
type Handle = WorkflowHandleWithFirstExecutionRunId<typeof jobSetWorkflow>;
/** Which activity call an Update is placed in. */
type Place = (activity: ActivityName) => boolean;

const jobSet = makeJobSet('train', 'ns')
  .replicatedJob(makeReplicatedJob('leader').replicas(1))
  .replicatedJob(makeReplicatedJob('workers').replicas(2).parallelism(2).completions(2))
  .obj();

const anyCall: Place = () => true;
const call =
  (name: ActivityName): Place =>
  (activity) =>
    activity === name;

/** `promise`, or a failure naming `what` once BOUND_MS of real time have passed without it. */
async function within<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${BOUND_MS / 1000} s (deadlock)`)), BOUND_MS);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const suspended = (s: JobSetStatus): boolean => s.conditions.some((c) => c.type === 'Suspended' && c.status === 'True');

/** Sends an Update and returns once the workflow has accepted it (its handler now waits for a pass). */
function accept(handle: Handle, kind: Kind): Promise<WorkflowUpdateHandle<JobSetStatus>> {
  const waitForStage = WorkflowUpdateStage.ACCEPTED;
  return kind === 'suspend' ? handle.startUpdate(suspendUpdate, { args: [{}], waitForStage }) : handle.startUpdate(resumeUpdate, { args: [{}], waitForStage });
}

/**
 * Waits for the held call, has the workflow accept `kinds` one after the other while it is
 * held, then lets it go; returns the Updates' results (each bounded).
 */
async function acceptWhileHeld(handle: Handle, hold: Hold, kinds: readonly Kind[]): Promise<Array<Promise<JobSetStatus>>> {
  try {
    await within('the held activity call', hold.entered);
    const results: Array<Promise<JobSetStatus>> = [];
    for (const kind of kinds) {
      const update = await within(`accepting ${kind}`, accept(handle, kind));
      results.push(within(`the ${kind} Update`, update.result()));
    }
    return results;
  } finally {
    hold.release();
  }
}

/**
 * Runs `body` against a JobSet workflow that continues as new after every pass, on a fresh
 * time-skipping server (per test: a failed test's stuck workflow cannot touch the next one).
 */
async function withJobSet(cluster: FakeCluster, body: (handle: Handle) => Promise<void>): Promise<void> {
  const env = await createTestEnv();
  try {
    const worker = await createFakeClusterWorker(env, TASK_QUEUE, cluster);
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(jobSetWorkflow, {
        taskQueue: TASK_QUEUE,
        workflowId: workflowId('ns', 'train'),
        args: [{ jobSet, maxPassesPerRun: 1 }],
        // An Update reaches the workflow in a workflow task: while a held local activity keeps
        // one open, the worker hands the task back (and the Update in) at 80 % of this timeout.
        workflowTaskTimeout: '2 seconds',
      });
      // A failed test leaves Updates waiting for their results; the abort ends those calls
      // before the server goes, and releasing the holds lets the worker shut down.
      const abort = new AbortController();
      try {
        await env.connection.withAbortSignal(abort.signal, () => body(handle));
      } finally {
        abort.abort();
        cluster.releaseHolds();
      }
    });
  } finally {
    await env.teardown();
  }
}

/** Resumes the JobSet if it is suspended, lets its Jobs run to completion and checks the result. */
async function finish(cluster: FakeCluster, handle: Handle, last: Kind): Promise<void> {
  if (last === 'suspend') {
    const [resumed] = await acceptWhileHeld(handle, cluster.hold(anyCall), ['resume']);
    expect(suspended(await resumed!)).toBe(false);
  }
  cluster.completeJobsAfter(2);
  const result = await within('the workflow result', handle.result());
  expect(result.spec.suspend).toBe(false);
  expect(result.status.terminalState).toBe('Completed');
  expect(cluster.childJobs(jobSet).map((j) => j.status?.conditions?.[0]?.type)).toEqual(['Complete', 'Complete', 'Complete']);
  // Every pass ended its run: the result came from a later run than the first.
  expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
}

describe('issue 12 item 2: Updates never deadlock', () => {
  test(
    'a stream of suspend and resume Updates, each arriving during whatever call the loop makes next; then the JobSet completes',
    async () => {
      // Act activities take a little real time, as API calls do.
      const cluster = new FakeCluster({ actLatencyMs: 5 });
      const stream: Kind[] = ['suspend', 'resume', 'suspend', 'resume', 'suspend', 'suspend', 'resume', 'resume'];
      await withJobSet(cluster, async (handle) => {
        for (const kind of stream) {
          const [result] = await acceptWhileHeld(handle, cluster.hold(anyCall), [kind]);
          // One Update at a time: the pass that applied it applied nothing newer.
          expect(suspended(await result!)).toBe(kind === 'suspend');
        }
        expect(cluster.count('suspendJobs')).toBeGreaterThan(0);
        expect(cluster.count('resumeJobs')).toBeGreaterThan(0);
        await finish(cluster, handle, 'resume');
      });
    },
    TEST_TIMEOUT_MS,
  );

  interface Case {
    name: string;
    /** Where the `updates` arrive (the first call that matches). */
    at: Place;
    /** Accepted one after the other during that call: one pass applies them all. */
    updates: Kind[];
    /** An Update placed before, in the first observe call once the Jobs exist: the pass that applies it makes the `at` call. */
    first?: Kind;
  }
  const cases: Case[] = [
    { name: 'an Update arriving during act (createJobs)', at: call('createJobs'), updates: ['suspend'] },
    { name: 'an Update arriving during act (suspendJobs, applying an earlier Update)', at: call('suspendJobs'), first: 'suspend', updates: ['resume'] },
    { name: 'an Update arriving during observe', at: call('observeChildren'), updates: ['suspend'] },
    { name: 'two Updates back to back during act (createJobs)', at: call('createJobs'), updates: ['suspend', 'resume'] },
  ];

  test.each(cases)(
    '$name returns, and the JobSet completes',
    async ({ at, updates, first }) => {
      const cluster = new FakeCluster();
      const jobsExist = (): boolean => cluster.childJobs(jobSet).length > 0;
      // Registered before the workflow starts: the first createJobs call comes at once.
      const firstHold = first ? cluster.hold((activity) => activity === 'observeChildren' && jobsExist()) : undefined;
      const hold = cluster.hold(at);
      await withJobSet(cluster, async (handle) => {
        const results = first && firstHold ? await acceptWhileHeld(handle, firstHold, [first]) : [];
        results.push(...(await acceptWhileHeld(handle, hold, updates)));
        const statuses = await Promise.all(results);
        // The last Update's status is the one of the pass that applied it.
        expect(suspended(statuses[statuses.length - 1]!)).toBe(updates[updates.length - 1] === 'suspend');
        await finish(cluster, handle, updates[updates.length - 1]!);
      });
    },
    TEST_TIMEOUT_MS,
  );
});
