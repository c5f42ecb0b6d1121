// Failure policies on the real cluster: restart budgets, restart strategies and rules, each
// asserted on the status counters, the conditions and the child Jobs' restart-attempt labels.
import type { V1Job } from '@kubernetes/client-node';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { Label } from '../../src/api/constants.js';
import type { JobSetInput } from '../../src/api/schema.js';
import { childJobs, finalStatus, jobSetIn, jobSetSuite, podTemplate, startJobSet, statusEventually } from './helpers/jobset.js';
import { eventually, kube } from './helpers/kube.js';

const taskQueue = 'failure-policy';
let env: TestWorkflowEnvironment;
let namespace: string;
jobSetSuite('failpol', taskQueue, (ctx) => ({ env, namespace } = ctx));

const attempt = (j: V1Job) => Number(j.metadata?.labels?.[Label.RestartAttempt]);

/** Records every child Job event of one JobSet; `violations` collects moments where two attempts coexisted. */
async function watchAttempts(jobSet: string) {
  const live = new Map<string, number>();
  const seenAttempts = new Set<number>();
  const violations: string[] = [];
  const controller = await kube().watch.watch(
    `/apis/batch/v1/namespaces/${namespace}/jobs`,
    { labelSelector: `${Label.JobSetName}=${jobSet}` },
    (phase: string, job: V1Job) => {
      const name = job.metadata?.name ?? '';
      if (phase === 'DELETED') live.delete(name);
      else live.set(name, attempt(job));
      seenAttempts.add(attempt(job));
      const attempts = new Set(live.values());
      if (attempts.size > 1) violations.push(`${phase} ${name}: live attempts ${[...attempts].join(',')}`);
    },
    () => undefined,
  );
  return { stop: () => controller.abort(), seenAttempts, violations };
}

/** Two Jobs of two pods; completion index 1 always fails, so every attempt fails. */
function persistentlyFailing(name: string, restartStrategy: 'Recreate' | 'BlockingRecreate'): JobSetInput {
  return {
    metadata: { name },
    spec: {
      failurePolicy: { maxRestarts: 2, restartStrategy },
      replicatedJobs: [
        {
          name: 'w',
          replicas: 2,
          template: {
            spec: { completions: 2, parallelism: 2, backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '1s', 'kwok-sim/fail-indexes': '1' }) },
          },
        },
      ],
    },
  };
}

test.each(['Recreate', 'BlockingRecreate'] as const)(
  'maxRestarts 2 with a persistently failing index (%s): restarts 1, 2, then Failed/ReachedMaxRestarts',
  async (strategy) => {
    const name = strategy === 'Recreate' ? 'mr-re' : 'mr-block';
    const watcher = await watchAttempts(name);
    const status = await finalStatus(await startJobSet(env, taskQueue, jobSetIn(namespace, persistentlyFailing(name, strategy))));
    watcher.stop();

    expect(status.restarts).toBe(2);
    expect(status.restartsCountTowardsMax).toBe(2);
    expect(status.terminalState).toBe('Failed');
    const failed = status.conditions.find((c) => c.type === 'Failed');
    expect(failed?.reason).toBe('ReachedMaxRestarts');
    expect(failed?.message).toMatch(/^jobset failed due to reaching max number of restarts \(first failed job: mr-(re|block)-w-[01]\)$/);
    // Every attempt existed. Afterwards only attempt-2 Jobs are left: the failed one named in the
    // condition is kept, a sibling still active at the end is deleted (as upstream).
    expect([...watcher.seenAttempts].sort()).toEqual([0, 1, 2]);
    const firstFailed = /first failed job: (\S+)\)/.exec(failed!.message)![1]!;
    const left = await eventually('old and active Jobs to be gone', async () => {
      const jobs = await childJobs(namespace, name);
      return jobs.every((j) => !j.metadata?.deletionTimestamp) ? jobs : undefined;
    });
    expect(left.every((j) => attempt(j) === 2)).toBe(true);
    expect(left.map((j) => j.metadata?.name)).toContain(firstFailed);
    if (strategy === 'BlockingRecreate') expect(watcher.violations).toEqual([]);
  },
);

interface RuleCase {
  title: string;
  rules: NonNullable<NonNullable<JobSetInput['spec']['failurePolicy']>['rules']>;
  job: Record<string, unknown>;
  pod: Record<string, string>;
  reason: string;
  restarts: number;
}

test.each<RuleCase>([
  {
    title: 'FailJobSet on reason PodFailurePolicy (Job podFailurePolicy on exit code 42)',
    rules: [{ name: 'failFast', action: 'FailJobSet', onJobFailureReasons: ['PodFailurePolicy'] }],
    job: { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } },
    pod: { 'kwok-sim/fail': 'true', 'kwok-sim/exit-code': '42' },
    reason: 'FailJobSetFailurePolicyAction',
    restarts: 0,
  },
  {
    title: 'FailJobSet on a matching onJobFailureMessagePatterns',
    rules: [{ name: 'backoff', action: 'FailJobSet', onJobFailureMessagePatterns: ['backoff limit'] }],
    job: {},
    pod: { 'kwok-sim/fail': 'true' },
    reason: 'FailJobSetFailurePolicyAction',
    restarts: 0,
  },
  {
    title: 'a rule targeting another rjob does not match: the default RestartJobSet applies',
    rules: [{ name: 'leaderOnly', action: 'FailJobSet', targetReplicatedJobs: ['leader'] }],
    job: {},
    pod: { 'kwok-sim/fail': 'true' },
    reason: 'ReachedMaxRestarts',
    restarts: 1,
  },
])('$title', async ({ rules, job, pod, reason, restarts }) => {
  const name = `rule-${rules[0]!.name!.toLowerCase()}`;
  const js = jobSetIn(namespace, {
    metadata: { name },
    spec: {
      failurePolicy: { maxRestarts: 1, rules },
      replicatedJobs: [
        { name: 'leader', replicas: 1, template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '10m' }) } } },
        { name: 'w', replicas: 1, template: { spec: { backoffLimit: 0, ...job, template: podTemplate({ 'kwok-sim/run-duration': '1s', ...pod }) } } },
      ],
    },
  });
  const status = await finalStatus(await startJobSet(env, taskQueue, js));
  expect(status.terminalState).toBe('Failed');
  expect(status.conditions.find((c) => c.type === 'Failed')?.reason).toBe(reason);
  expect(status.restarts).toBe(restarts);
});

test('RestartJobSetAndIgnoreMaxRestarts restarts without consuming the budget', async () => {
  const js = jobSetIn(namespace, {
    metadata: { name: 'ignore-max' },
    spec: {
      failurePolicy: { maxRestarts: 1, rules: [{ name: 'flaky', action: 'RestartJobSetAndIgnoreMaxRestarts', targetReplicatedJobs: ['flaky'] }] },
      replicatedJobs: [
        {
          name: 'flaky',
          replicas: 1,
          template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/fail': 'true', 'kwok-sim/run-duration': '1s' }) } },
        },
      ],
    },
  });
  const handle = await startJobSet(env, taskQueue, js);
  // With maxRestarts 1 a counted restart policy would have failed the JobSet at the second failure.
  const status = await statusEventually(handle, '3 restarts', (s) => s.restarts >= 3);
  expect(status.restartsCountTowardsMax).toBe(0);
  expect(status.terminalState ?? '').toBe('');
  expect(status.conditions.find((c) => c.type === 'RestartingJobSet')).toMatchObject({ reason: 'FailurePolicy_flaky' });
  await handle.cancel();
});
