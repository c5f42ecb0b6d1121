// Issue 13 item 2 on the workflow itself (time-skipping server, fake cluster): a new JobSet's
// first pass does not observe a cluster that cannot hold its children yet, and creates the
// headless Service and the Jobs in one activity; a failure of the Service step keeps its reason.
import { jest } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import type { JobSetActivities } from '../../activities/jobset.js';
import { ReconcileFailingCondition } from '../../src/api/constants.js';
import type { JobSet } from '../../src/api/schema.js';
import { jobSetWorkflow } from '../../workflows/jobset.js';
import { statusQuery, workflowId } from '../../workflows/contract.js';
import { makeJobSet, makeReplicatedJob } from '../unit/core/builders.js';
import { FakeCluster } from './fake-cluster.js';
import { withFakeClusterWorker } from './temporal.js';

const TASK_QUEUE = 'jobset-fast-start';
jest.setTimeout(90_000);
const jobSet = (): JobSet => makeJobSet('train', 'ns').uid('uid-1').replicatedJob(makeReplicatedJob('workers').replicas(3)).obj();

const withWorker = (cluster: FakeCluster, override: Partial<JobSetActivities>, body: (env: TestWorkflowEnvironment) => Promise<void>) =>
  withFakeClusterWorker(TASK_QUEUE, cluster, override, body);

const start = (env: TestWorkflowEnvironment, js: JobSet) =>
  env.client.workflow.start(jobSetWorkflow, { taskQueue: TASK_QUEUE, workflowId: workflowId('ns', 'train'), args: [{ jobSet: js }] });

describe('issue 13 item 2: a new JobSet reaches its first Job in one act activity', () => {
  test('admission (one activity), then one createJobs that also creates the Service; no observation before it', async () => {
    const cluster = new FakeCluster();
    cluster.completeJobsAfter(1);
    await withWorker(cluster, {}, async (env) => {
      const result = await (await start(env, jobSet())).result();
      expect(result.status.terminalState).toBe('Completed');
    });
    const activities = cluster.calls.map((c) => c.activity);
    expect(activities.slice(0, 2)).toEqual(['admitJobSet', 'createJobs']);
    expect(cluster.calls[1]!.input).toMatchObject({ ensureService: true });
    expect(activities).not.toContain('ensureService');
    expect(cluster.services.size).toBe(1);
    expect(cluster.jobs.size).toBe(3);
  });

  test('a refused Service inside that activity reports HeadlessServiceCreationFailed, not JobCreationFailed, and is retried', async () => {
    const cluster = new FakeCluster();
    cluster.completeJobsAfter(1);
    let refusals = 3; // one round of the act activity's attempts
    const createJobs: JobSetActivities['createJobs'] = async (input) => {
      if (input.ensureService && refusals-- > 0)
        throw ApplicationFailure.retryable('creating the headless Service: HTTP 403: forbidden', 'HeadlessServiceCreationFailed');
      return cluster.activities.createJobs(input);
    };
    let seen: string | undefined;
    await withWorker(cluster, { createJobs }, async (env) => {
      const handle = await start(env, jobSet());
      for (const deadline = Date.now() + 30_000; seen === undefined && Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
        seen = (await handle.query(statusQuery)).conditions.find((c) => c.type === ReconcileFailingCondition)?.reason;
      }
      expect((await handle.result()).status.terminalState).toBe('Completed');
    });
    expect(seen).toBe('HeadlessServiceCreationFailed');
    expect(cluster.services.size).toBe(1);
  });
});
