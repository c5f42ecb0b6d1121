import { ConditionType, EventReason, Label, Message, Reason } from '../../../src/api/constants.js';
import { compileMessagePattern } from '../../../src/api/message-pattern.js';
import type { JobSet, JobSetStatus } from '../../../src/api/schema.js';
import { StatusDraft } from '../../../src/core/conditions.js';
import { executeFailurePolicy, firstFailedJob, restartsTowardsMax } from '../../../src/core/failure-policy.js';
import { classifyJobs, computeReplicatedJobsStatus } from '../../../src/core/observe.js';
import type { ObservedJob } from '../../../src/core/types.js';
import { EARLIER, NOW, cond, makeJob, makeJobSet, makeReplicatedJob, makeStatus } from './builders.js';

const T1 = '2024-05-01T10:00:00Z';
const T2 = '2024-05-01T10:05:00Z';
const T3 = '2024-05-01T10:10:00Z';

type PolicyInput = Parameters<ReturnType<typeof makeJobSet>['failurePolicy']>[0];
const jobSet = (policy?: PolicyInput): JobSet => {
  const b = makeJobSet().replicatedJob(makeReplicatedJob('leader')).replicatedJob(makeReplicatedJob('workers').replicas(3));
  if (policy) b.failurePolicy(policy);
  return b.obj();
};

function run(js: JobSet, status: JobSetStatus, jobs: ObservedJob[]) {
  const draft = new StatusDraft(status, NOW);
  const children = classifyJobs(js, draft.status, jobs);
  draft.status.replicatedJobsStatus = computeReplicatedJobsStatus(js, draft.status, children);
  const outcome = executeFailurePolicy(js, children.failed, draft, compileMessagePattern);
  const byType = (t: string) => draft.status.conditions.find((c) => c.type === t);
  return { draft, outcome, failed: byType(ConditionType.Failed), restarting: byType(ConditionType.RestartingJobSet) };
}

const leaderFailed = (at = T2, reason?: string, message?: string) => makeJob('leader', 0).failed(at, reason, message).obj();
const workerFailed = (i: number, at = T1, reason?: string, message?: string) => makeJob('workers', i).failed(at, reason, message).obj();

describe('firstFailedJob', () => {
  const js = jobSet();
  const pick = (jobs: ObservedJob[]) => firstFailedJob(classifyJobs(js, makeStatus().obj(), jobs).failed)?.job.name;
  test.each([
    ['earliest Failed lastTransitionTime', [workerFailed(1, T3), leaderFailed(T2), workerFailed(2, T3)], 'js-leader-0'],
    ['tie goes to the smaller name', [workerFailed(2, T1), workerFailed(1, T1)], 'js-workers-1'],
    ['different offsets compare as instants', [workerFailed(1, '2024-05-01T12:00:00+02:00'), workerFailed(2, '2024-05-01T10:30:00Z')], 'js-workers-1'],
    ['missing time sorts first', [workerFailed(1, T1), makeJob('workers', 2).condition({ type: 'Failed', status: 'True' }).obj()], 'js-workers-2'],
  ])('%s', (_, jobs, want) => {
    expect(pick(jobs)).toBe(want);
  });
});

describe('no failurePolicy', () => {
  test('Failed/FailedJobs naming the earliest failed Job', () => {
    const { draft, failed, outcome } = run(jobSet(), makeStatus().obj(), [leaderFailed(T2), workerFailed(1, T1)]);
    expect(failed).toEqual(cond(ConditionType.Failed, 'True', Reason.FailedJobs, Message.FailedJobs('js-workers-1'), NOW));
    expect(failed?.message).toBe('jobset failed due to one or more job failures (first failed job: js-workers-1)');
    expect(draft.status.terminalState).toBe('Failed');
    expect(draft.status.restarts).toBe(0);
    expect(draft.events).toEqual([{ type: 'Warning', reason: Reason.FailedJobs, message: Message.FailedJobs('js-workers-1') }]);
    expect(outcome?.job.job.name).toBe('js-workers-1');
  });
});

describe('rule matching', () => {
  test.each<[string, PolicyInput, ObservedJob[], { action: string; job: string; rule?: string }]>([
    [
      'first rule with a match wins, even if a later rule matches an earlier failure',
      {
        maxRestarts: 5,
        rules: [
          { name: 'leader', action: 'FailJobSet', targetReplicatedJobs: ['leader'] },
          { name: 'any', action: 'RestartJobSetAndIgnoreMaxRestarts' },
        ],
      },
      [workerFailed(1, T1), leaderFailed(T2)],
      { action: 'FailJobSet', job: 'js-leader-0', rule: 'leader' },
    ],
    [
      'within a rule the earliest matching Job is chosen',
      { rules: [{ name: 'w', action: 'FailJobSet', targetReplicatedJobs: ['workers'] }] },
      [workerFailed(2, T3), leaderFailed(T1), workerFailed(1, T2)],
      { action: 'FailJobSet', job: 'js-workers-1', rule: 'w' },
    ],
    [
      'onJobFailureReasons: any-of',
      { rules: [{ name: 'r', action: 'FailJobSet', onJobFailureReasons: ['DeadlineExceeded', 'PodFailurePolicy'] }] },
      [workerFailed(1, T1, 'BackoffLimitExceeded'), workerFailed(2, T2, 'PodFailurePolicy')],
      { action: 'FailJobSet', job: 'js-workers-2', rule: 'r' },
    ],
    [
      'onJobFailureReasons: no match falls to the default RestartJobSet with the earliest failure',
      { maxRestarts: 1, rules: [{ name: 'r', action: 'FailJobSet', onJobFailureReasons: ['DeadlineExceeded'] }] },
      [workerFailed(2, T2), workerFailed(1, T1)],
      { action: 'RestartJobSet', job: 'js-workers-1' },
    ],
    [
      'message pattern: unanchored match',
      { rules: [{ name: 'p', action: 'FailJobSet', onJobFailureMessagePatterns: ['exit code [0-9]+'] }] },
      [workerFailed(1, T1, 'PodFailurePolicy', 'Container main failed with exit code 42 in pod x')],
      { action: 'FailJobSet', job: 'js-workers-1', rule: 'p' },
    ],
    [
      'message pattern: any-of, an invalid pattern matches nothing but the others still count',
      { rules: [{ name: 'p', action: 'FailJobSet', onJobFailureMessagePatterns: ['(unclosed', 'OOM'] }] },
      [workerFailed(1, T1, 'PodFailurePolicy', 'OOMKilled')],
      { action: 'FailJobSet', job: 'js-workers-1', rule: 'p' },
    ],
    [
      'message pattern: only an invalid pattern => no match => default',
      { maxRestarts: 1, rules: [{ name: 'p', action: 'FailJobSet', onJobFailureMessagePatterns: ['(unclosed'] }] },
      [workerFailed(1, T1, 'PodFailurePolicy', '(unclosed')],
      { action: 'RestartJobSet', job: 'js-workers-1' },
    ],
    [
      'reasons and patterns must both match',
      {
        maxRestarts: 1,
        rules: [{ name: 'b', action: 'FailJobSet', onJobFailureReasons: ['PodFailurePolicy'], onJobFailureMessagePatterns: ['OOM'] }],
      },
      [workerFailed(1, T1, 'BackoffLimitExceeded', 'OOMKilled')],
      { action: 'RestartJobSet', job: 'js-workers-1' },
    ],
    [
      'targetReplicatedJobs excludes other rjobs',
      { maxRestarts: 1, rules: [{ name: 't', action: 'FailJobSet', targetReplicatedJobs: ['leader'] }] },
      [workerFailed(1, T1)],
      { action: 'RestartJobSet', job: 'js-workers-1' },
    ],
  ])('%s', (_, policy, jobs, want) => {
    const { outcome } = run(jobSet(policy), makeStatus().obj(), jobs);
    expect({ action: outcome?.action, job: outcome?.job.job.name, rule: outcome?.rule?.name }).toEqual(want);
  });
});

describe('FailJobSet', () => {
  test('Failed/FailJobSetFailurePolicyAction', () => {
    const { draft, failed } = run(
      jobSet({ maxRestarts: 3, rules: [{ name: 'f', action: 'FailJobSet' }] }),
      makeStatus()
        .condition(cond(ConditionType.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, 'm'))
        .obj(),
      [leaderFailed(T1)],
    );
    expect(failed).toEqual(
      cond(
        ConditionType.Failed,
        'True',
        Reason.FailJobSetFailurePolicyAction,
        'applying FailJobSet failure policy action (first failed job: js-leader-0)',
        NOW,
      ),
    );
    expect(draft.status.terminalState).toBe('Failed');
    expect(draft.status.conditions.find((c) => c.type === ConditionType.RestartingJobSet)).toEqual(
      cond(ConditionType.RestartingJobSet, 'False', Reason.JobSetFailed, Message.JobSetFailed, NOW),
    );
    expect(draft.events.map((e) => [e.type, e.reason])).toEqual([
      ['Warning', Reason.FailJobSetFailurePolicyAction],
      ['Normal', Reason.JobSetFailed],
    ]);
  });
});

describe('RestartJobSet and budgets', () => {
  test.each<[string, PolicyInput, JobSetStatus, { restarts: number; towardsMax: number; failedReason?: string; restartingReason?: string }]>([
    [
      'default rule under budget restarts',
      { maxRestarts: 2 },
      makeStatus().restarts(1, 1).obj(),
      { restarts: 2, towardsMax: 2, restartingReason: Reason.DefaultFailurePolicy },
    ],
    [
      'default rule at budget fails',
      { maxRestarts: 2 },
      makeStatus().restarts(2, 2).obj(),
      { restarts: 2, towardsMax: 2, failedReason: Reason.ReachedMaxRestarts },
    ],
    ['maxRestarts 0 fails on the first failure', {}, makeStatus().obj(), { restarts: 0, towardsMax: 0, failedReason: Reason.ReachedMaxRestarts }],
    [
      'only restarts counting towards max are compared',
      { maxRestarts: 2 },
      makeStatus().restarts(5, 1).obj(),
      { restarts: 6, towardsMax: 2, restartingReason: Reason.DefaultFailurePolicy },
    ],
    [
      'per-index restarts count towards the budget',
      { maxRestarts: 3 },
      makeStatus()
        .restarts(1, 1)
        .rjob('workers', { jobRestarts: [1, 0, 1], jobRestartsCountTowardsMax: [1, 0, 1] })
        .obj(),
      { restarts: 1, towardsMax: 1, failedReason: Reason.ReachedMaxRestarts },
    ],
    [
      'named rule reason FailurePolicy_<name>',
      { maxRestarts: 1, rules: [{ name: 'onWorkers', action: 'RestartJobSet' }] },
      makeStatus().obj(),
      { restarts: 1, towardsMax: 1, restartingReason: 'FailurePolicy_onWorkers' },
    ],
    [
      'IgnoreMaxRestarts restarts past the budget and does not count',
      { maxRestarts: 0, rules: [{ name: 'free', action: 'RestartJobSetAndIgnoreMaxRestarts' }] },
      makeStatus().restarts(7, 0).obj(),
      { restarts: 8, towardsMax: 0, restartingReason: 'FailurePolicy_free' },
    ],
  ])('%s', (_, policy, status, want) => {
    // The failed Job belongs to the current attempt.
    const job = makeJob('workers', 1).restartAttempt(status.restarts).failed(T1).obj();
    const { draft, failed, restarting } = run(jobSet(policy), status, [job]);
    expect(draft.status.restarts).toBe(want.restarts);
    expect(draft.status.restartsCountTowardsMax).toBe(want.towardsMax);
    if (want.failedReason) {
      expect(failed).toEqual(cond(ConditionType.Failed, 'True', want.failedReason, Message.ReachedMaxRestarts('js-workers-1'), NOW));
      expect(failed?.message).toBe('jobset failed due to reaching max number of restarts (first failed job: js-workers-1)');
      expect(draft.status.terminalState).toBe('Failed');
      expect(restarting).toBeUndefined();
    } else {
      expect(failed).toBeUndefined();
      expect(draft.status.terminalState).toBeUndefined();
      expect(restarting?.status).toBe('True');
      expect(restarting?.reason).toBe(want.restartingReason);
    }
  });

  test('RestartJobSet: condition and event messages', () => {
    const { draft, restarting } = run(jobSet({ maxRestarts: 1 }), makeStatus().obj(), [workerFailed(1, T1)]);
    const message = 'applying RestartJobSet failure policy action (first failed job: js-workers-1)';
    expect(restarting).toEqual(cond(ConditionType.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, message, NOW));
    expect(draft.events).toEqual([
      { type: 'Warning', reason: Reason.DefaultFailurePolicy, message },
      { type: 'Warning', reason: EventReason.RestartJobSetAction, message },
    ]);
  });

  test('RestartJobSetAndIgnoreMaxRestarts: event reason and message', () => {
    const { draft } = run(jobSet({ rules: [{ name: 'x', action: 'RestartJobSetAndIgnoreMaxRestarts' }] }), makeStatus().obj(), [workerFailed(1, T1)]);
    const message = 'applying RestartJobSetAndIgnoreMaxRestarts failure policy action (first failed job: js-workers-1)';
    expect(draft.events).toEqual([
      { type: 'Warning', reason: 'FailurePolicy_x', message },
      { type: 'Warning', reason: EventReason.RestartJobSetAndIgnoreMaxRestartsAction, message },
    ]);
  });

  test('an existing RestartingJobSet=True is replaced keeping its transition time', () => {
    const { restarting } = run(
      jobSet({ maxRestarts: 3 }),
      makeStatus()
        .restarts(1)
        .condition(cond(ConditionType.RestartingJobSet, 'True', 'FailurePolicy_old', 'old', EARLIER))
        .obj(),
      [makeJob('workers', 1).restartAttempt(1).failed(T1).obj()],
    );
    expect(restarting).toEqual(
      cond(ConditionType.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, Message.Restarting('RestartJobSet', 'js-workers-1'), EARLIER),
    );
  });
});

describe('RestartJob', () => {
  const policy = (action: 'RestartJob' | 'RestartJobAndIgnoreMaxRestarts', maxRestarts = 2): PolicyInput => ({
    maxRestarts,
    rules: [{ name: 'one', action, targetReplicatedJobs: ['workers'] }],
  });
  const workers = (s: JobSetStatus) => s.replicatedJobsStatus.find((x) => x.name === 'workers');

  test('lazily sizes the arrays to replicas and bumps the failed index', () => {
    const { draft, restarting, failed } = run(jobSet(policy('RestartJob')), makeStatus().obj(), [workerFailed(1, T1)]);
    expect(workers(draft.status)?.jobRestarts).toEqual([0, 1, 0]);
    expect(workers(draft.status)?.jobRestartsCountTowardsMax).toEqual([0, 1, 0]);
    expect(draft.status.restarts).toBe(0);
    expect(restarting).toBeUndefined();
    expect(failed).toBeUndefined();
    expect(draft.events).toEqual([
      {
        type: 'Warning',
        reason: EventReason.RestartJobAction,
        message: 'applying RestartJob failure policy action (first failed job: js-workers-1)',
      },
    ]);
  });

  test('increments existing arrays', () => {
    const status = makeStatus()
      .rjob('workers', { jobRestarts: [0, 0, 1], jobRestartsCountTowardsMax: [0, 0, 1] })
      .obj();
    const job = makeJob('workers', 2).jobRestartAttempt(1).failed(T1).obj();
    const { draft } = run(jobSet(policy('RestartJob', 5)), status, [job]);
    expect(workers(draft.status)?.jobRestarts).toEqual([0, 0, 2]);
    expect(workers(draft.status)?.jobRestartsCountTowardsMax).toEqual([0, 0, 2]);
  });

  test('budget exhausted (global + per-index) fails with ReachedMaxRestarts', () => {
    const status = makeStatus()
      .restarts(1, 1)
      .rjob('workers', { jobRestarts: [1], jobRestartsCountTowardsMax: [1] })
      .obj();
    const { draft, failed } = run(jobSet(policy('RestartJob', 2)), status, [makeJob('workers', 1).restartAttempt(1).failed(T1).obj()]);
    expect(failed?.reason).toBe(Reason.ReachedMaxRestarts);
    expect(workers(draft.status)?.jobRestarts).toEqual([1]);
    expect(restartsTowardsMax(draft)).toBe(2);
  });

  test('AndIgnoreMaxRestarts bumps only jobRestarts, past the budget', () => {
    const status = makeStatus().restarts(3, 3).obj();
    const { draft, failed } = run(jobSet(policy('RestartJobAndIgnoreMaxRestarts', 0)), status, [makeJob('workers', 0).restartAttempt(3).failed(T1).obj()]);
    expect(failed).toBeUndefined();
    expect(workers(draft.status)?.jobRestarts).toEqual([1, 0, 0]);
    expect(workers(draft.status)?.jobRestartsCountTowardsMax).toBeUndefined();
    expect(draft.events.map((e) => e.reason)).toEqual([EventReason.RestartJobAndIgnoreMaxRestartsAction]);
  });
});

describe('issue 12 item 3 (malformed child Jobs): the failure policy never sees them', () => {
  const restartJob: PolicyInput = { maxRestarts: 2, rules: [{ name: 'one', action: 'RestartJob' }] };
  test.each<[string, string | undefined]>([
    ['without job-index', undefined],
    ['with job-index 999999999', '999999999'],
  ])('a failed Job %s under RestartJob: no action, no per-index array', (_, index) => {
    const job = makeJob('workers', 0).jobRestartAttempt(undefined).label(Label.JobIndex, index).failed(T1).obj();
    const { draft, outcome, failed, restarting } = run(jobSet(restartJob), makeStatus().obj(), [job]);
    expect(outcome).toBeUndefined();
    expect({ failed, restarting, events: draft.events }).toEqual({ failed: undefined, restarting: undefined, events: [] });
    expect(draft.status.replicatedJobsStatus.find((x) => x.name === 'workers')?.jobRestarts).toBeUndefined();
  });
});

describe('issue 12 item 3 (RE2 message patterns): rules match with RE2 syntax, as upstream', () => {
  test.each<[string, string, string, boolean]>([
    ['a Unicode class', '^\\pL+ failed', 'Größe failed', true],
    ['a POSIX class', 'exit code [[:digit:]]+\\z', 'Container main failed with exit code 42', true],
    ['a case-insensitive group', 'container (?i:OOMKILLED)', 'container oomkilled', true],
    ['RE2 \\s is ASCII only', 'exit\\scode', 'exit\u00a0code', false],
  ])('%s', (_, pattern, message, matches) => {
    const js = jobSet({ maxRestarts: 1, rules: [{ name: 'p', action: 'FailJobSet', onJobFailureMessagePatterns: [pattern] }] });
    const { outcome } = run(js, makeStatus().obj(), [workerFailed(1, T1, 'PodFailurePolicy', message)]);
    expect(outcome?.action).toBe(matches ? 'FailJobSet' : 'RestartJobSet');
  });
});

describe('the pattern compiler is passed in (the workflow loads RE2 only for JobSets with patterns)', () => {
  test('a rule with message patterns and no compiler is a programming error, not a silent non-match', () => {
    const js = jobSet({ maxRestarts: 1, rules: [{ name: 'r', action: 'FailJobSet', onJobFailureMessagePatterns: ['boom'] }] });
    const draft = new StatusDraft(makeStatus().obj(), NOW);
    const children = classifyJobs(js, draft.status, [leaderFailed(T2, 'BackoffLimitExceeded', 'boom')]);
    expect(() => executeFailurePolicy(js, children.failed, draft)).toThrow(/pattern compiler/);
  });

  test('rules without patterns need none', () => {
    const js = jobSet({ maxRestarts: 1, rules: [{ name: 'r', action: 'FailJobSet', onJobFailureReasons: ['BackoffLimitExceeded'] }] });
    const draft = new StatusDraft(makeStatus().obj(), NOW);
    const children = classifyJobs(js, draft.status, [leaderFailed(T2, 'BackoffLimitExceeded', 'boom')]);
    expect(executeFailurePolicy(js, children.failed, draft)?.action).toBe('FailJobSet');
  });
});
