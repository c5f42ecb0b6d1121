// Issue 12 on the workflow itself (time-skipping server, fake cluster): an API error that can heal
// leaves the JobSet running with the cause in its status and is retried; an invalid request fails
// the JobSet (a terminal condition, never a run that just dies); a cancelled JobSet waits for the
// act activity in flight before its cleanup; a JobSet without a UID gets its run's ID.
import { jest } from '@jest/globals';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import type { JobSetActivities } from '../../activities/jobset.js';
import { ReconcileFailingCondition } from '../../src/api/constants.js';
import type { JobSet } from '../../src/api/schema.js';
import { jobSetWorkflow } from '../../workflows/jobset.js';
import { type FinishedJobSet, statusQuery, workflowId } from '../../workflows/contract.js';
import { makeJobSet, makeReplicatedJob } from '../unit/core/builders.js';
import { FakeCluster } from './fake-cluster.js';
import { withFakeClusterWorker } from './temporal.js';

const TASK_QUEUE = 'jobset-never-stuck';
jest.setTimeout(90_000);
const jobSet = (uid?: string): JobSet => makeJobSet('train', 'ns').uid(uid).replicatedJob(makeReplicatedJob('workers').replicas(2)).obj();

const withWorker = (cluster: FakeCluster, override: Partial<JobSetActivities>, body: (env: TestWorkflowEnvironment) => Promise<void>) =>
  withFakeClusterWorker(TASK_QUEUE, cluster, override, body);

const start = (env: TestWorkflowEnvironment, js: JobSet) =>
  env.client.workflow.start(jobSetWorkflow, { taskQueue: TASK_QUEUE, workflowId: workflowId('ns', 'train'), args: [{ jobSet: js }] });

async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('issue 12 item 1: no terminal-less end', () => {
  test('a refusal that can heal (403 exceeded quota) shows as ReconcileFailing and is retried until it passes; the JobSet completes', async () => {
    const cluster = new FakeCluster();
    cluster.completeJobsAfter(2);
    let refusals = 6; // two rounds of the act activity's 3 attempts
    const createJobs: JobSetActivities['createJobs'] = async (input) => {
      if (refusals-- > 0)
        throw ApplicationFailure.retryable('creating child Jobs failed: HTTP 403: exceeded quota: jobs, requested: count/jobs.batch=1', 'JobCreationFailed');
      return cluster.activities.createJobs(input);
    };
    await withWorker(cluster, { createJobs }, async (env) => {
      const handle = await start(env, jobSet());
      const failing = await eventually('ReconcileFailing', async () => {
        const status = await handle.query(statusQuery);
        return status.conditions.find((c) => c.type === ReconcileFailingCondition);
      });
      expect(failing).toMatchObject({ status: 'True', reason: 'JobCreationFailed', message: expect.stringContaining('exceeded quota') });
      const result = await handle.result();
      expect(result.status.terminalState).toBe('Completed');
      expect(result.status.conditions.some((c) => c.type === ReconcileFailingCondition)).toBe(false);
      expect(refusals).toBeLessThan(0);
    });
  });

  test('a request the API server refuses as invalid (422) fails the JobSet with that reason: a terminal condition, never a bare failed run', async () => {
    const cluster = new FakeCluster();
    const createJobs: JobSetActivities['createJobs'] = async () => {
      throw ApplicationFailure.nonRetryable('creating child Jobs failed: HTTP 422: Job.batch "train-workers-0" is invalid', 'JobCreationFailed');
    };
    await withWorker(cluster, { createJobs }, async (env) => {
      const handle = await start(env, jobSet());
      const err = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).type).toBe('JobSetFailed');
      const finished = (cause as ApplicationFailure).details?.[0] as FinishedJobSet;
      expect(finished.status.terminalState).toBe('Failed');
      expect(finished.status.conditions.find((c) => c.type === 'Failed')).toMatchObject({
        status: 'True',
        reason: 'JobCreationFailed',
        message: expect.stringContaining('HTTP 422'),
      });
    });
  });
});

describe('issue 12 item 5: never delete what is not ours', () => {
  // Up to 50 Jobs the act is a local activity run inside the workflow task, above that an activity
  // of its own; the dev server, as the test server cannot cancel a run during a local activity.
  test.each([
    ['a local activity', 2],
    ['an activity', 60],
  ])('cancellation waits for the act in flight (%s) before its cleanup, so a Job it creates is still deleted', async (_, replicas) => {
    const cluster = new FakeCluster();
    const held = cluster.hold((activity) => activity === 'createJobs');
    await withFakeClusterWorker(
      TASK_QUEUE,
      cluster,
      {},
      async (env) => {
        const handle = await start(env, makeJobSet('train', 'ns').uid('uid-1').replicatedJob(makeReplicatedJob('workers').replicas(replicas)).obj());
        await held.entered;
        await handle.cancel();
        // The cleanup must not start while createJobs may still create Jobs.
        await new Promise((r) => setTimeout(r, 1_000));
        expect(cluster.count('deleteChildren')).toBe(0);
        held.release();
        await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
        const order = cluster.calls.map((c) => c.activity).filter((a) => a === 'createJobs' || a === 'deleteChildren');
        expect(order).toEqual(['createJobs', 'deleteChildren']);
        expect(cluster.jobs.size).toBe(0);
      },
      'dev',
    );
  });
});

describe('issue 12 item 7: child selectors always carry the JobSet UID', () => {
  test('a JobSet started without metadata.uid gets its first run ID, and its Jobs carry it', async () => {
    const cluster = new FakeCluster();
    cluster.completeJobsAfter(1);
    await withWorker(cluster, {}, async (env) => {
      const handle = await start(env, jobSet(undefined));
      const result = await handle.result();
      expect(result.metadata.uid).toBe(handle.firstExecutionRunId);
      const created = cluster.calls.find((c) => c.activity === 'createJobs')?.input as { jobSet: JobSet };
      expect(created.jobSet.metadata.uid).toBe(handle.firstExecutionRunId);
      for (const job of cluster.jobs.values()) expect(job.metadata?.labels?.['jobset.sigs.k8s.io/jobset-uid']).toBe(handle.firstExecutionRunId);
    });
  });
});
