// A mix of JobSets with known outcomes, for the fault tests: some are running when the fault
// hits, one is in the middle of a restart, one is still being created. Each entry says what the
// final state must be whatever fails in between.
import type { Client, WorkflowHandle } from '@temporalio/client';

import { Label } from '../../src/api/constants.js';
import type { JobSet, JobSetStatus } from '../../src/api/schema.js';
import { jobSetWorkflow } from '../../workflows/jobset.js';
import { childJobs, finalStatus, jobSetIn, podTemplate } from '../integration/helpers/jobset.js';
import { eventually } from '../integration/helpers/kube.js';
import { workflowId } from '../../workflows/contract.js';

export interface Expected {
  terminalState: 'Completed' | 'Failed';
  restarts: number;
  /** Reason of the Failed condition, for Failed JobSets. */
  reason?: string;
}

export interface MixEntry {
  jobSet: JobSet;
  expected: Expected;
}

export type Handle = WorkflowHandle<typeof jobSetWorkflow>;

/** JobSets that are running (pods of several seconds) or restarting when a fault is injected. */
export function inFlightMix(namespace: string): MixEntry[] {
  return [
    {
      // Two replicated Jobs, pods of 8 s and 12 s: running through the fault.
      jobSet: jobSetIn(namespace, {
        metadata: { name: 'steady' },
        spec: {
          replicatedJobs: [
            { name: 'a', replicas: 2, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '8s' }) } } },
            { name: 'b', replicas: 1, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '12s' }) } } },
          ],
        },
      }),
      expected: { terminalState: 'Completed', restarts: 0 },
    },
    ...(['Recreate', 'BlockingRecreate'] as const).map((restartStrategy) => ({
      // Job 0 fails in attempt 0 only: one restart, then the JobSet completes.
      jobSet: jobSetIn(namespace, {
        metadata: { name: restartStrategy === 'Recreate' ? 'flaky' : 'flaky-block' },
        spec: {
          failurePolicy: { maxRestarts: 3, restartStrategy },
          replicatedJobs: [
            {
              name: 'w',
              replicas: 3,
              template: {
                spec: {
                  backoffLimit: 0,
                  template: podTemplate({
                    'kwok-sim/run-duration': '6s',
                    'kwok-sim/fail-job-indexes': '0',
                    'kwok-sim/fail-restart-attempts': '0',
                  }),
                },
              },
            },
          ],
        },
      }),
      expected: { terminalState: 'Completed' as const, restarts: 1 },
    })),
    {
      // Every attempt fails: two restarts, then Failed/ReachedMaxRestarts.
      jobSet: jobSetIn(namespace, {
        metadata: { name: 'doomed' },
        spec: {
          failurePolicy: { maxRestarts: 2 },
          replicatedJobs: [
            {
              name: 'w',
              replicas: 2,
              template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '4s', 'kwok-sim/fail-job-indexes': '1' }) } },
            },
          ],
        },
      }),
      expected: { terminalState: 'Failed', restarts: 2, reason: 'ReachedMaxRestarts' },
    },
  ];
}

/**
 * One Job of one pod (running `runFor`, else the pod template's default); a flaky one fails in
 * restart attempt 0 only, so it completes after one restart.
 */
export function oneJobEntry(namespace: string, name: string, flaky: boolean, runFor?: string): MixEntry {
  return {
    jobSet: jobSetIn(namespace, {
      metadata: { name },
      spec: {
        failurePolicy: { maxRestarts: 2 },
        replicatedJobs: [
          {
            name: 'w',
            replicas: 1,
            template: {
              spec: {
                backoffLimit: 0,
                template: podTemplate({
                  ...(runFor ? { 'kwok-sim/run-duration': runFor } : {}),
                  ...(flaky ? { 'kwok-sim/fail': 'true', 'kwok-sim/fail-restart-attempts': '0' } : {}),
                }),
              },
            },
          },
        ],
      },
    }),
    expected: { terminalState: 'Completed', restarts: flaky ? 1 : 0 },
  };
}

/** A JobSet submitted just before the fault, so that its Jobs are being created when it hits. */
export function creatingEntry(namespace: string): MixEntry {
  return {
    jobSet: jobSetIn(namespace, {
      metadata: { name: 'late' },
      spec: {
        replicatedJobs: [
          { name: 'x', replicas: 4, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '5s' }) } } },
          { name: 'y', replicas: 2, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '3s' }) } } },
        ],
      },
    }),
    expected: { terminalState: 'Completed', restarts: 0 },
  };
}

export async function startEntry(client: Client, taskQueue: string, entry: MixEntry): Promise<Handle> {
  const { namespace, name } = entry.jobSet.metadata;
  return client.workflow.start(jobSetWorkflow, {
    taskQueue,
    workflowId: workflowId(namespace!, name!),
    args: [{ jobSet: entry.jobSet }],
  });
}

/**
 * The final status of a JobSet, retried while Temporal is unreachable: the workflow result when
 * it completed, the failure's detail when it failed with JobSetFailed.
 */
export async function settledStatus(client: Client, entry: MixEntry, timeoutMs = 240_000): Promise<JobSetStatus> {
  const handle: Handle = client.workflow.getHandle(workflowId(entry.jobSet.metadata.namespace!, entry.jobSet.metadata.name!));
  return eventually(
    `JobSet ${entry.jobSet.metadata.name} to finish`,
    async () => {
      const desc = await handle.describe();
      if (desc.status.name === 'RUNNING' || desc.status.name === 'CONTINUED_AS_NEW') return undefined;
      return finalStatus(handle);
    },
    timeoutMs,
  );
}

/** What the test compares: the outcome of the JobSet and the restart attempts of the Jobs left. */
export async function outcome(entry: MixEntry, status: JobSetStatus) {
  const { namespace, name } = entry.jobSet.metadata;
  const jobs = await eventually(`deletions of old Jobs of ${name} to finish`, async () => {
    const list = await childJobs(namespace!, name!);
    return list.every((j) => !j.metadata?.deletionTimestamp) ? list : undefined;
  });
  return {
    name,
    terminalState: status.terminalState,
    restarts: status.restarts,
    ...(status.terminalState === 'Failed' ? { reason: status.conditions.find((c) => c.type === 'Failed')?.reason } : {}),
    jobsLeftFromOtherAttempts: jobs
      .filter((j) => Number(j.metadata?.labels?.[Label.RestartAttempt]) !== status.restarts)
      .map((j) => `${j.metadata?.name}@${j.metadata?.labels?.[Label.RestartAttempt]}`),
  };
}

/** The outcome a correct run must produce for `entry`. */
export function expectedOutcome(entry: MixEntry) {
  return {
    name: entry.jobSet.metadata.name,
    terminalState: entry.expected.terminalState,
    restarts: entry.expected.restarts,
    ...(entry.expected.reason ? { reason: entry.expected.reason } : {}),
    jobsLeftFromOtherAttempts: [],
  };
}
