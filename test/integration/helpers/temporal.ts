// A Temporal dev server per test file, from the CLI that deploy/local/temporal.sh installed
// (never downloaded at test time): `@temporalio/testing` with the `existing-path` executable.
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';

// Worker and bundler log at WARN: INFO lines of every worker state change drown the test output.
// The runtime is per process, and jest runs each test file in the same process (--runInBand).
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed by an earlier test file in this process.
}

export async function createTemporalEnv(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_CLI_PATH;
  if (!path) throw new Error('TEMPORAL_CLI_PATH is not set: run the integration tests through jest (global setup)');
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      ip: '127.0.0.1',
      extraArgs: [
        '--search-attribute',
        'JobSetNamespace=Keyword',
        '--search-attribute',
        'JobSetName=Keyword',
        '--search-attribute',
        'JobSetState=Keyword',
        '--search-attribute',
        'JobSetRestarts=Int',
      ],
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The project's workflows bundled once per test file (bundling takes seconds; workers reuse it). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../../../workflows/index.ts', import.meta.url)),
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

/**
 * Replays a run's history on the current workflow code: a run of a real worker (real timings,
 * queries while local activities run) must replay, as it will when its worker is replaced.
 */
export async function replayHistory(handle: WorkflowHandle): Promise<void> {
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory());
}
