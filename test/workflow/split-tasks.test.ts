// Workflow code must not depend on where the SDK's core ends a workflow task. Core ends one between
// a local activity's result and the code after it to answer a query that arrived meanwhile; a run
// that asked for a patch there failed with a nondeterminism error on its next replay
// (test/resilience/faults.test.ts, CI). Here runs of the current code, in the scenarios that reach
// each decision made after a local activity, replay with a task ended after every such result.
import { jest } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';

import type { JobSetWorkflowInput } from '../../workflows/jobset.js';
import { jobSetWorkflow } from '../../workflows/jobset.js';
import { OwnerDeletedFailure, workflowId } from '../../workflows/contract.js';
import { workflowBundle } from '../integration/helpers/temporal.js';
import { makeJobSet, makeReplicatedJob } from '../unit/core/builders.js';
import { FakeCluster } from './fake-cluster.js';
import { splitAfterLocalActivities } from './split-history.js';
import { withFakeClusterWorker } from './temporal.js';

jest.setTimeout(90_000);
const TASK_QUEUE = 'jobset-split-tasks';
const owner = { apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', name: 'owned', uid: 'owner-uid', controller: true };

interface Scenario {
  name: string;
  input: JobSetWorkflowInput;
  /** The fake cluster's activities the scenario replaces. */
  override: (cluster: FakeCluster) => Parameters<typeof withFakeClusterWorker>[2];
}

const scenarios: Scenario[] = [
  {
    name: 'a JobSet that runs to completion (admission, fast start, passes)',
    input: { jobSet: makeJobSet('done', 'ns').uid('uid-done').replicatedJob(makeReplicatedJob('w').replicas(2)).obj() },
    override: () => ({}),
  },
  {
    name: 'a JobSet whose resource is found deleted (owner-deleted grace)',
    input: { jobSet: makeJobSet('owned', 'ns').uid('uid-owned').replicatedJob(makeReplicatedJob('w').replicas(2)).obj(), owner },
    override: () => ({
      createJobs: async () => {
        throw ApplicationFailure.nonRetryable('the JobSet resource was deleted', OwnerDeletedFailure);
      },
    }),
  },
];

test.each(scenarios)('$name: replays with a workflow task ended after each local activity result', async ({ input, override }) => {
  const cluster = new FakeCluster();
  cluster.completeJobsAfter(1);
  await withFakeClusterWorker(TASK_QUEUE, cluster, override(cluster), async (env) => {
    const handle = await env.client.workflow.start(jobSetWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: workflowId('ns', input.jobSet.metadata.name!),
      args: [input],
    });
    await handle.result().catch(() => undefined);
    const { history, splits } = splitAfterLocalActivities(await handle.fetchHistory());
    expect(splits).toBeGreaterThan(0);
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history)).resolves.toBeUndefined();
  });
});
