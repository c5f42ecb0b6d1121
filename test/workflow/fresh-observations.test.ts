// Issue 13 item 3 on the workflow (time-skipping server, fake cluster): observations come from
// the worker's shared cache, which may lag behind the API server. The workflow hands every
// observe call the latest resourceVersion it wrote or observed, so the cache answers only once it
// has seen the run's own writes, across continue-as-new too; after an act activity that failed
// part way the version is unknown and the observation lists from the API server.
import { jest } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import type { JobSetActivities, ObserveInput, Written } from '../../activities/jobset.js';
import type { JobSet } from '../../src/api/schema.js';
import { jobSetWorkflow } from '../../workflows/jobset.js';
import { makeJobSet, makeReplicatedJob } from '../unit/core/builders.js';
import { FakeCluster } from './fake-cluster.js';
import { withFakeClusterWorker } from './temporal.js';
import { workflowId } from '../../workflows/contract.js';

const TASK_QUEUE = 'jobset-fresh-observations';
jest.setTimeout(90_000);
const jobSet = (): JobSet => makeJobSet('train', 'ns').uid('uid-1').replicatedJob(makeReplicatedJob('workers').replicas(2)).obj();

type Step = { kind: 'write'; version?: string } | { kind: 'failed' } | { kind: 'observe'; input: ObserveInput };

/** Every act activity's written version and every observe call's input, in call order. */
function recording(cluster: FakeCluster, fail: (activity: string) => boolean = () => false) {
  const steps: Step[] = [];
  const acts = ['createJobs', 'deleteJobs', 'suspendJobs', 'resumeJobs'] as const;
  const override: Partial<JobSetActivities> = {
    observeChildren: async (input) => {
      steps.push({ kind: 'observe', input });
      return cluster.activities.observeChildren(input);
    },
  };
  for (const name of acts) {
    (override as Record<string, (input: never) => Promise<Written>>)[name] = async (input: never) => {
      if (fail(name)) {
        steps.push({ kind: 'failed' });
        throw ApplicationFailure.retryable('the API server refused part of it', 'JobCreationFailed');
      }
      const written = await (cluster.activities[name] as (input: never) => Promise<Written>)(input);
      steps.push({ kind: 'write', ...(written.resourceVersion ? { version: written.resourceVersion } : {}) });
      return written;
    };
  }
  return { steps, override };
}

const start = (env: TestWorkflowEnvironment, extra: { maxPassesPerRun?: number } = {}) =>
  env.client.workflow.start(jobSetWorkflow, { taskQueue: TASK_QUEUE, workflowId: workflowId('ns', 'train'), args: [{ jobSet: jobSet(), ...extra }] });

describe('issue 13 item 3: observations are never older than what the run wrote', () => {
  test.each([
    ['in one run', {}],
    ['across continue-as-new after every pass', { maxPassesPerRun: 1 }],
  ])('%s, every observe carries at least the version of the last write before it', async (_, extra) => {
    const cluster = new FakeCluster();
    cluster.completeJobsAfter(2);
    const { steps, override } = recording(cluster);
    await withFakeClusterWorker(TASK_QUEUE, cluster, override, async (env) => {
      expect((await (await start(env, extra)).result()).status.terminalState).toBe('Completed');
    });
    let written = 0;
    const observes = steps.filter((s): s is Extract<Step, { kind: 'observe' }> => s.kind === 'observe');
    expect(observes.length).toBeGreaterThan(1);
    expect(steps.some((s) => s.kind === 'write' && s.version !== undefined)).toBe(true);
    for (const step of steps) {
      if (step.kind === 'write') written = Math.max(written, Number(step.version ?? 0));
      if (step.kind === 'observe') expect(Number(step.input.minResourceVersion)).toBeGreaterThanOrEqual(written);
    }
  });

  test('after an act activity failed, the next observation has no version (it lists); the next write brings one back', async () => {
    const cluster = new FakeCluster();
    cluster.completeJobsAfter(2);
    let failures = 3; // one round of the act activity's attempts: the workflow then retries the pass
    const { steps, override } = recording(cluster, (activity) => activity === 'createJobs' && failures-- > 0);
    await withFakeClusterWorker(TASK_QUEUE, cluster, override, async (env) => {
      expect((await (await start(env)).result()).status.terminalState).toBe('Completed');
    });
    const failed = steps.findIndex((s) => s.kind === 'failed');
    expect(failed).toBeGreaterThanOrEqual(0);
    const next = steps.slice(failed + 1);
    const firstObserve = next.find((s) => s.kind === 'observe');
    expect(firstObserve).toMatchObject({ kind: 'observe' });
    expect((firstObserve as Extract<Step, { kind: 'observe' }>).input.minResourceVersion).toBeUndefined();
    const write = next.findIndex((s) => s.kind === 'write');
    const afterWrite = next.slice(write + 1).find((s) => s.kind === 'observe') as Extract<Step, { kind: 'observe' }>;
    expect(afterWrite.input.minResourceVersion).toBe((next[write] as Extract<Step, { kind: 'write' }>).version);
  });
});
