// A time-skipping Temporal test server (the Java test server that deploy/local/test-server.sh
// installed; the global setup exports its path), or a dev server on a free port where a test needs
// what the test server gets wrong, and a worker that runs the real workflow bundle (bundled once
// per file) over a fake cluster's activities.

// A CommonJS module whose exports Node's ESM loader cannot list: default import.
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { JobSetActivities } from '../../activities/jobset.js';
import { JobSetNameKey, JobSetNamespaceKey, JobSetRestartsKey, JobSetStateKey } from '../../workflows/contract.js';
import { workflowBundle } from '../integration/helpers/temporal.js';
import type { FakeCluster } from './fake-cluster.js';

const { INDEXED_VALUE_TYPE_KEYWORD: KEYWORD, INDEXED_VALUE_TYPE_INT: INT } = proto.temporal.api.enums.v1.IndexedValueType;

/**
 * `dev`: the real dev server (deploy/local/temporal.sh's CLI) on a free port, for what the Java
 * test server gets wrong: it cannot cancel a workflow whose workflow task is running a local
 * activity (completing the cancellation fails with ACTIVITY_UNKNOWN and the run hangs).
 */
export type TestServer = 'time-skipping' | 'dev';

export async function createTestEnv(server: TestServer = 'time-skipping'): Promise<TestWorkflowEnvironment> {
  const variable = server === 'dev' ? 'TEMPORAL_DEV_SERVER_PATH' : 'TEMPORAL_TEST_SERVER_PATH';
  const path = process.env[variable];
  if (!path) throw new Error(`${variable} is not set: run the workflow tests through jest (global setup)`);
  const executable = { type: 'existing-path', path } as const;
  const env =
    server === 'dev'
      ? await TestWorkflowEnvironment.createLocal({ server: { executable } })
      : await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
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

export async function createFakeClusterWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  cluster: FakeCluster,
  override: Partial<JobSetActivities> = {},
): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: { ...cluster.activities, ...override },
  });
}

/**
 * Runs `body` on a fresh time-skipping (or dev) server with a worker whose activities are the fake
 * cluster's, `override` replacing some; holds left by a failed test are released.
 */
export async function withFakeClusterWorker(
  taskQueue: string,
  cluster: FakeCluster,
  override: Partial<JobSetActivities>,
  body: (env: TestWorkflowEnvironment) => Promise<void>,
  server: TestServer = 'time-skipping',
): Promise<void> {
  const env = await createTestEnv(server);
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
