// A Temporal dev server per test file, from the CLI that deploy/local/temporal.sh installed
// (never downloaded at test time): `@temporalio/testing` with the `existing-path` executable.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';

export async function createTemporalEnv(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_CLI_PATH;
  if (!path) throw new Error('TEMPORAL_CLI_PATH is not set: run the integration tests through jest (global setup)');
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      ip: '127.0.0.1',
      extraArgs: [
        '--search-attribute', 'JobSetNamespace=Keyword',
        '--search-attribute', 'JobSetName=Keyword',
        '--search-attribute', 'JobSetState=Keyword',
        '--search-attribute', 'JobSetRestarts=Int',
      ],
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The project's workflows bundled once per test file (bundling takes seconds; workers reuse it). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../../../workflows/index.ts', import.meta.url)) });
  return bundle;
}
