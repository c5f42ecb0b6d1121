// A time-skipping Temporal test server (the Java test server that deploy/local/test-server.sh
// installed; the global setup exports its path) and a worker that runs the real workflow bundle
// (bundled once per file) over a fake cluster's activities.

// A CommonJS module whose exports Node's ESM loader cannot list: default import.
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { JobSetActivities } from '../../activities/jobset.js';
import { JobSetNameKey, JobSetNamespaceKey, JobSetRestartsKey, JobSetStateKey } from '../../workflows/search-attributes.js';
import { workflowBundle } from '../integration/helpers/temporal.js';
import type { FakeCluster } from './fake-cluster.js';

const { INDEXED_VALUE_TYPE_KEYWORD: KEYWORD, INDEXED_VALUE_TYPE_INT: INT } = proto.temporal.api.enums.v1.IndexedValueType;

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path) throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: run the workflow tests through jest (global setup)');
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  // The workflow upserts these, and the test server, like the dev server, refuses unknown ones.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: {
      [JobSetNamespaceKey.name]: KEYWORD,
      [JobSetNameKey.name]: KEYWORD,
      [JobSetStateKey.name]: KEYWORD,
      [JobSetRestartsKey.name]: INT,
    },
  });
  return env;
}

export async function createFakeClusterWorker(env: TestWorkflowEnvironment, taskQueue: string, cluster: FakeCluster, override: Partial<JobSetActivities> = {}): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: { ...cluster.activities, ...override },
  });
}

/**
 * Runs `body` on a fresh time-skipping server with a worker whose activities are the fake
 * cluster's, `override` replacing some; holds left by a failed test are released.
 */
export async function withFakeClusterWorker(
  taskQueue: string,
  cluster: FakeCluster,
  override: Partial<JobSetActivities>,
  body: (env: TestWorkflowEnvironment) => Promise<void>,
): Promise<void> {
  const env = await createTimeSkippingEnv();
  try {
    const worker = await createFakeClusterWorker(env, taskQueue, cluster, override);
    await worker.runUntil(async () => {
      try {
        await body(env);
      } finally {
        cluster.releaseHolds();
      }
    });
  } finally {
    await env.teardown();
  }
}
