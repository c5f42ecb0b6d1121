import { ConditionType, EventReason, Label, Message, Reason } from '../../../src/api/constants.js';
import type { Condition, JobSet, JobSetStatus } from '../../../src/api/schema.js';
import { decide, initialStatus, isTerminal, observationDigest } from '../../../src/core/decide.js';
import type { Action, ObservedJob, Observation } from '../../../src/core/types.js';
import { EARLIER, NOW, cond, makeJob, makeJobSet, makeReplicatedJob, makeStatus } from './builders.js';

const T = ConditionType;
const obs = (jobs: ObservedJob[], extra: Partial<Observation> = {}): Observation => ({ jobs, serviceExists: true, ...extra });
const create = (...refs: Array<[string, number]>): Action => ({
  type: 'CreateJobs',
  jobs: refs.map(([replicatedJob, jobIndex]) => ({ replicatedJob, jobIndex })),
});
const conditionOf = (s: JobSetStatus, type: string): Condition | undefined => s.conditions.find((c) => c.type === type);

// leader x1, workers x2.
const basic = () => makeJobSet().replicatedJob(makeReplicatedJob('leader')).replicatedJob(makeReplicatedJob('workers').replicas(2));
const allRunning = (attempt = 0) => [
  makeJob('leader', 0).restartAttempt(attempt).obj(),
  makeJob('workers', 0).restartAttempt(attempt).obj(),
  makeJob('workers', 1).restartAttempt(attempt).obj(),
];

interface Case {
  name: string;
  js: JobSet;
  status?: JobSetStatus;
  obs: Observation;
  actions: Action[];
  terminal?: boolean;
  /** Conditions expected (by type); `null` = absent. */
  conditions?: Record<string, Pick<Condition, 'status' | 'reason' | 'message'> | null>;
  counters?: Partial<Pick<JobSetStatus, 'restarts' | 'restartsCountTowardsMax' | 'terminalState'>>;
}

const cases: Case[] = [
  {
    name: 'fresh JobSet: Service, then every Job in spec order',
    js: basic().obj(),
    obs: obs([], { serviceExists: false }),
    actions: [{ type: 'EnsureService' }, create(['leader', 0], ['workers', 0], ['workers', 1])],
    conditions: { [T.Suspended]: null, [T.RestartingJobSet]: null },
  },
  {
    name: 'DNS hostnames disabled: no Service',
    js: basic().network({ enableDNSHostnames: false }).obj(),
    obs: obs([], { serviceExists: false }),
    actions: [create(['leader', 0], ['workers', 0], ['workers', 1])],
  },
  {
    name: 'volumeClaimPolicies: EnsurePVCs when not known to exist',
    js: basic()
      .volumeClaimPolicies([{ templates: [{ metadata: { name: 'd' }, spec: {} }] }])
      .obj(),
    obs: obs(allRunning()),
    actions: [{ type: 'EnsurePVCs' }],
  },
  {
    name: 'volumeClaimPolicies: nothing when the PVCs exist',
    js: basic()
      .volumeClaimPolicies([{ templates: [{ metadata: { name: 'd' }, spec: {} }] }])
      .obj(),
    obs: obs(allRunning(), { pvcsExist: true }),
    actions: [],
  },
  {
    name: 'steady state: nothing to do',
    js: basic().obj(),
    obs: obs(allRunning()),
    actions: [],
  },
  {
    name: 'a current-attempt Job being deleted still blocks its recreation',
    js: basic().obj(),
    obs: obs([makeJob('leader', 0).deleting().obj(), ...allRunning().slice(1)]),
    actions: [],
  },
  {
    name: 'a Job of an unknown rjob is ignored but its name still counts',
    js: basic().obj(),
    obs: obs([makeJob('x', 0).name('js-leader-0').label(Label.ReplicatedJobName, 'x').obj(), ...allRunning().slice(1)]),
    actions: [],
  },
  {
    name: 'already Completed: delete active current Jobs (not finished, not deleting, not old), nothing else',
    js: basic().obj(),
    status: makeStatus()
      .condition(cond(T.Completed, 'True', Reason.AllJobsCompleted, Message.AllJobsCompleted))
      .terminalState('Completed')
      .obj(),
    obs: obs(
      [
        makeJob('leader', 0).completed().obj(),
        makeJob('workers', 1).obj(),
        makeJob('workers', 0).deleting().obj(),
        makeJob('workers', 0).name('js-old').restartAttempt(-1).obj(),
      ],
      { serviceExists: false },
    ),
    actions: [{ type: 'DeleteJobs', names: ['js-workers-1'] }],
    terminal: true,
  },
  {
    name: 'already Failed with nothing active: no actions, terminal',
    js: basic().obj(),
    status: makeStatus()
      .condition(cond(T.Failed, 'True', Reason.FailedJobs, 'm'))
      .terminalState('Failed')
      .obj(),
    obs: obs([makeJob('leader', 0).failed().obj()]),
    actions: [],
    terminal: true,
  },
  {
    name: 'after a restart: old Jobs deleted; names still present are not recreated (Recreate)',
    js: basic().failurePolicy({ maxRestarts: 3 }).obj(),
    status: makeStatus().restarts(1).obj(),
    obs: obs([makeJob('leader', 0).restartAttempt(0).obj(), makeJob('workers', 0).restartAttempt(0).deleting().obj()]),
    actions: [{ type: 'DeleteJobs', names: ['js-leader-0'] }, create(['workers', 1])],
  },
  {
    name: 'BlockingRecreate: nothing is created while an old Job exists',
    js: basic().failurePolicy({ maxRestarts: 3, restartStrategy: 'BlockingRecreate' }).obj(),
    status: makeStatus().restarts(1).obj(),
    obs: obs([makeJob('workers', 0).restartAttempt(0).deleting().obj()]),
    actions: [],
  },
  {
    name: 'BlockingRecreate: all old Jobs gone => everything created',
    js: basic().failurePolicy({ maxRestarts: 3, restartStrategy: 'BlockingRecreate' }).obj(),
    status: makeStatus().restarts(1).obj(),
    obs: obs([]),
    actions: [create(['leader', 0], ['workers', 0], ['workers', 1])],
  },
  {
    name: 'RestartingJobSet=True flips to False/JobsReady once all Jobs are ready or succeeded',
    js: basic().obj(),
    status: makeStatus()
      .restarts(1)
      .condition(cond(T.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, 'm'))
      .obj(),
    obs: obs([
      makeJob('leader', 0).restartAttempt(1).readyJob().obj(),
      makeJob('workers', 0).restartAttempt(1).readyJob().obj(),
      makeJob('workers', 1).restartAttempt(1).completed().obj(),
    ]),
    actions: [],
    conditions: { [T.RestartingJobSet]: { status: 'False', reason: Reason.JobsReady, message: 'all jobs are ready' } },
  },
  {
    name: 'RestartingJobSet stays True while a Job is not ready',
    js: basic().obj(),
    status: makeStatus()
      .restarts(1)
      .condition(cond(T.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, 'm'))
      .obj(),
    obs: obs([
      makeJob('leader', 0).restartAttempt(1).readyJob().obj(),
      makeJob('workers', 0).restartAttempt(1).readyJob().obj(),
      makeJob('workers', 1).restartAttempt(1).obj(),
    ]),
    actions: [],
    conditions: { [T.RestartingJobSet]: { status: 'True', reason: Reason.DefaultFailurePolicy, message: 'm' } },
  },
  {
    name: 'all ready but no RestartingJobSet condition: none added',
    js: basic().obj(),
    obs: obs(allRunning().map((j) => ({ ...j, ready: 1 }))),
    actions: [],
    conditions: { [T.RestartingJobSet]: null },
  },
  {
    name: 'a failure ends the pass: old Jobs deleted, no Service, no creation',
    js: basic().obj(),
    status: makeStatus().restarts(1).obj(),
    obs: obs([makeJob('leader', 0).restartAttempt(0).obj(), makeJob('workers', 0).restartAttempt(1).failed().obj()], { serviceExists: false }),
    actions: [{ type: 'DeleteJobs', names: ['js-leader-0'] }],
    terminal: true,
    conditions: { [T.Failed]: { status: 'True', reason: Reason.FailedJobs, message: Message.FailedJobs('js-workers-0') } },
    counters: { terminalState: 'Failed', restarts: 1 },
  },
  {
    name: 'failure is checked before success in the same pass',
    js: basic().successPolicy({ operator: 'Any' }).failurePolicy({ maxRestarts: 2 }).obj(),
    obs: obs([makeJob('leader', 0).completed().obj(), makeJob('workers', 0).failed().obj(), makeJob('workers', 1).obj()]),
    actions: [],
    terminal: false,
    conditions: {
      [T.Completed]: null,
      [T.RestartingJobSet]: { status: 'True', reason: Reason.DefaultFailurePolicy, message: Message.Restarting('RestartJobSet', 'js-workers-0') },
    },
    counters: { restarts: 1, restartsCountTowardsMax: 1 },
  },
  {
    name: 'success ends the pass: Completed, terminal; still-active Jobs are left to the next pass',
    js: basic()
      .successPolicy({ operator: 'All', targetReplicatedJobs: ['workers'] })
      .obj(),
    obs: obs([makeJob('leader', 0).obj(), makeJob('workers', 0).completed().obj(), makeJob('workers', 1).completed().obj()], {
      serviceExists: false,
    }),
    actions: [],
    terminal: true,
    conditions: { [T.Completed]: { status: 'True', reason: Reason.AllJobsCompleted, message: 'jobset completed successfully' } },
    counters: { terminalState: 'Completed' },
  },
  {
    name: 'success policy not yet satisfied: the pass continues',
    js: basic().obj(),
    obs: obs([makeJob('leader', 0).completed().obj(), makeJob('workers', 0).obj()]),
    actions: [create(['workers', 1])],
    conditions: { [T.Completed]: null },
  },
  {
    name: 'zero replicas never complete',
    js: makeJobSet().replicatedJob(makeReplicatedJob('w').replicas(0)).obj(),
    obs: obs([]),
    actions: [],
    terminal: false,
    conditions: { [T.Completed]: null },
  },
  {
    name: 'InOrder: only the first unstarted rjob is created; InProgress',
    js: basic().startupPolicy('InOrder').obj(),
    obs: obs([]),
    actions: [create(['leader', 0])],
    conditions: {
      [T.StartupPolicyInProgress]: { status: 'True', reason: Reason.InOrderStartupPolicyInProgress, message: Message.InOrderInProgress },
      [T.StartupPolicyCompleted]: null,
    },
  },
  {
    name: 'InOrder: an active but unready first rjob holds the rest back',
    js: basic().startupPolicy('InOrder').obj(),
    obs: obs([makeJob('leader', 0).obj()]),
    actions: [],
    conditions: { [T.StartupPolicyInProgress]: { status: 'True', reason: Reason.InOrderStartupPolicyInProgress, message: Message.InOrderInProgress } },
  },
  {
    name: 'InOrder: an individually restarted index counts once its new attempt is ready',
    js: basic()
      .startupPolicy('InOrder')
      .failurePolicy({ maxRestarts: 0, rules: [{ name: 'x', action: 'RestartJobAndIgnoreMaxRestarts' }] })
      .obj(),
    status: makeStatus()
      .rjob('leader', { jobRestarts: [1] })
      .obj(),
    obs: obs([makeJob('leader', 0).jobRestartAttempt(1).readyJob().obj()]),
    actions: [create(['workers', 0], ['workers', 1])],
  },
  {
    name: 'InOrder: first rjob ready => the next is created',
    js: basic().startupPolicy('InOrder').obj(),
    obs: obs([makeJob('leader', 0).readyJob().obj()]),
    actions: [create(['workers', 0], ['workers', 1])],
  },
  {
    name: 'InOrder: all started => StartupPolicyCompleted, InProgress False',
    js: basic().startupPolicy('InOrder').obj(),
    status: makeStatus()
      .condition(cond(T.StartupPolicyInProgress, 'True', Reason.InOrderStartupPolicyInProgress, Message.InOrderInProgress))
      .obj(),
    obs: obs(allRunning().map((j) => ({ ...j, ready: 1 }))),
    actions: [],
    conditions: {
      [T.StartupPolicyInProgress]: { status: 'False', reason: Reason.InOrderStartupPolicyInProgress, message: Message.InOrderInProgress },
      [T.StartupPolicyCompleted]: { status: 'True', reason: Reason.InOrderStartupPolicyCompleted, message: Message.InOrderCompleted },
    },
  },
  {
    name: 'InOrder while suspended: every rjob is created (suspended by the manifest), no startup condition',
    js: basic().startupPolicy('InOrder').suspend(true).obj(),
    obs: obs([]),
    actions: [create(['leader', 0], ['workers', 0], ['workers', 1])],
    conditions: {
      [T.StartupPolicyInProgress]: null,
      [T.Suspended]: { status: 'True', reason: Reason.SuspendedJobs, message: Message.Suspended },
    },
  },
  {
    name: 'dependsOn: gated rjob waits, later independent rjob is created',
    js: makeJobSet()
      .replicatedJob(makeReplicatedJob('init'))
      .replicatedJob(makeReplicatedJob('main').replicas(2).dependsOn('init', 'Complete'))
      .replicatedJob(makeReplicatedJob('side'))
      .obj(),
    obs: obs([makeJob('init', 0).readyJob().obj()]),
    actions: [create(['side', 0])],
  },
  {
    name: 'dependsOn: satisfied => created',
    js: makeJobSet().replicatedJob(makeReplicatedJob('init')).replicatedJob(makeReplicatedJob('main').replicas(2).dependsOn('init', 'Complete')).obj(),
    obs: obs([makeJob('init', 0).completed().obj()]),
    actions: [create(['main', 0], ['main', 1])],
  },
  {
    // A failed dependency also satisfies Ready (depends-on tests), but in decide() a failed Job
    // always ends the pass in the failure policy first, so only readiness is visible here.
    name: 'dependsOn Ready: a ready dependency lets the dependent be created',
    js: makeJobSet().replicatedJob(makeReplicatedJob('init')).replicatedJob(makeReplicatedJob('main').dependsOn('init', 'Ready')).obj(),
    obs: obs([makeJob('init', 0).readyJob().obj()]),
    actions: [create(['main', 0])],
  },
  {
    name: 'suspend: missing Jobs created, running ones suspended, Suspended=True',
    js: basic().suspend(true).obj(),
    obs: obs([makeJob('leader', 0).obj(), makeJob('workers', 0).suspended().obj()]),
    actions: [create(['workers', 1]), { type: 'SuspendJobs', names: ['js-leader-0'] }],
    conditions: { [T.Suspended]: { status: 'True', reason: Reason.SuspendedJobs, message: 'jobset is suspended' } },
  },
  {
    name: 'suspended: RestartingJobSet=False/JobSetSuspended, not JobsReady',
    js: basic().suspend(true).obj(),
    status: makeStatus()
      .condition(cond(T.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, 'm'))
      .obj(),
    obs: obs(allRunning().map((j) => ({ ...j, suspended: true, active: 0 }))),
    actions: [],
    conditions: { [T.RestartingJobSet]: { status: 'False', reason: Reason.JobSetSuspended, message: Message.JobSetSuspended } },
  },
  {
    name: 'resume: suspended Jobs resumed in spec order, Suspended=False',
    js: basic().suspend(false).obj(),
    status: makeStatus()
      .condition(cond(T.Suspended, 'True', Reason.SuspendedJobs, Message.Suspended))
      .obj(),
    obs: obs(
      allRunning()
        .map((j) => ({ ...j, suspended: true, active: 0 }))
        .reverse(),
    ),
    actions: [
      {
        type: 'ResumeJobs',
        jobs: [
          { name: 'js-leader-0', replicatedJob: 'leader' },
          { name: 'js-workers-0', replicatedJob: 'workers' },
          { name: 'js-workers-1', replicatedJob: 'workers' },
        ],
      },
    ],
    conditions: { [T.Suspended]: { status: 'False', reason: Reason.ResumeJobs, message: 'jobset is resumed' } },
  },
];

describe('decide (§3.1)', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const status = c.status ?? initialStatus();
    const frozen = JSON.stringify(status);
    const d = decide(c.js, status, c.obs, NOW);
    expect(d.actions).toEqual(c.actions);
    expect(d.terminal).toBe(c.terminal ?? false);
    for (const [type, want] of Object.entries(c.conditions ?? {})) {
      const got = conditionOf(d.status, type);
      if (want === null) expect(got).toBeUndefined();
      else expect({ status: got?.status, reason: got?.reason, message: got?.message }).toEqual(want);
    }
    if (c.counters) expect(d.status).toMatchObject(c.counters);
    // The input status is never mutated.
    expect(JSON.stringify(status)).toBe(frozen);
  });
});

describe('decide: status and events', () => {
  test('replicatedJobsStatus is recomputed every pass', () => {
    const d = decide(basic().obj(), initialStatus(), obs([makeJob('leader', 0).readyJob().obj(), makeJob('workers', 0).completed().obj()]), NOW);
    expect(d.status.replicatedJobsStatus).toEqual([
      { name: 'leader', ready: 1, succeeded: 0, failed: 0, active: 1, suspended: 0 },
      { name: 'workers', ready: 0, succeeded: 1, failed: 0, active: 0, suspended: 0 },
    ]);
  });

  test('events are the condition changes of the pass, in order', () => {
    const js = basic().failurePolicy({ maxRestarts: 1 }).obj();
    const d = decide(js, initialStatus(), obs([makeJob('leader', 0).failed(EARLIER).obj()]), NOW);
    const message = Message.Restarting('RestartJobSet', 'js-leader-0');
    expect(d.events).toEqual([
      { type: 'Warning', reason: Reason.DefaultFailurePolicy, message },
      { type: 'Warning', reason: 'RestartJobSetFailurePolicyAction', message },
    ]);
    expect(conditionOf(d.status, T.RestartingJobSet)?.lastTransitionTime).toBe(NOW);
  });

  test('a full global restart cycle: fail -> delete old -> recreate -> ready', () => {
    const js = basic().failurePolicy({ maxRestarts: 1 }).obj();
    // Pass 1: workers-1 fails; restart.
    const p1 = decide(js, initialStatus(), obs([...allRunning().slice(0, 2), makeJob('workers', 1).failed().obj()]), NOW);
    expect(p1.status.restarts).toBe(1);
    // Pass 2: every Job is now from the previous attempt.
    const p2 = decide(js, p1.status, obs([...allRunning().slice(0, 2), makeJob('workers', 1).failed().obj()]), NOW);
    expect(p2.actions).toEqual([{ type: 'DeleteJobs', names: ['js-leader-0', 'js-workers-0', 'js-workers-1'] }]);
    expect(p2.status.replicatedJobsStatus.every((s) => s.failed === 0 && s.active === 0)).toBe(true);
    // Pass 3: gone; recreated.
    const p3 = decide(js, p2.status, obs([]), NOW);
    expect(p3.actions).toEqual([create(['leader', 0], ['workers', 0], ['workers', 1])]);
    // Pass 4: all ready; RestartingJobSet=False/JobsReady.
    const p4 = decide(js, p3.status, obs(allRunning(1).map((j) => ({ ...j, ready: 1 }))), NOW);
    expect(conditionOf(p4.status, T.RestartingJobSet)?.status).toBe('False');
    expect(conditionOf(p4.status, T.RestartingJobSet)?.reason).toBe(Reason.JobsReady);
    // Pass 5: a second failure exceeds maxRestarts 1.
    const p5 = decide(js, p4.status, obs([...allRunning(1).slice(1), makeJob('leader', 0).restartAttempt(1).failed().obj()]), NOW);
    expect(p5.terminal).toBe(true);
    expect(conditionOf(p5.status, T.Failed)?.reason).toBe(Reason.ReachedMaxRestarts);
    // Pass 6: terminal: active Jobs of the current attempt are deleted.
    const p6 = decide(js, p5.status, obs([...allRunning(1).slice(1), makeJob('leader', 0).restartAttempt(1).failed().obj()]), NOW);
    expect(p6.actions).toEqual([{ type: 'DeleteJobs', names: ['js-workers-0', 'js-workers-1'] }]);
  });

  test('RestartJob: only the failed index becomes previous and is recreated', () => {
    const js = basic()
      .failurePolicy({ maxRestarts: 2, rules: [{ name: 'one', action: 'RestartJob' }] })
      .obj();
    const failedJobs = [...allRunning().slice(0, 2), makeJob('workers', 1).failed().obj()];
    const p1 = decide(js, initialStatus(), obs(failedJobs), NOW);
    expect(p1.status.replicatedJobsStatus[1]?.jobRestarts).toEqual([0, 1]);
    expect(conditionOf(p1.status, T.RestartingJobSet)).toBeUndefined();
    const p2 = decide(js, p1.status, obs(failedJobs), NOW);
    expect(p2.actions).toEqual([{ type: 'DeleteJobs', names: ['js-workers-1'] }]);
    const p3 = decide(js, p2.status, obs(allRunning().slice(0, 2)), NOW);
    expect(p3.actions).toEqual([create(['workers', 1])]);
  });
});

describe('issue 12 item 3 (malformed child Jobs): decide ignores them with one Warning Event per Job', () => {
  const problem = (label: string, value: string, must: string) => `metadata.labels[${label}]: Invalid value: ${JSON.stringify(value)}: ${must}`;
  const notInteger = (label: string, value: string) => problem(label, value, 'must be an integer');
  const outOfRange = (value: string) => problem(Label.JobIndex, value, 'must be between 0 and 1, inclusive (replicatedJob "workers" has 2 replicas)');
  const warning = (job: string, why: string) => ({ type: 'Warning', reason: EventReason.InvalidChildJob, message: Message.InvalidChildJob(job, why) });
  const restartJob = () =>
    basic()
      .failurePolicy({ maxRestarts: 2, rules: [{ name: 'one', action: 'RestartJob' }] })
      .obj();
  const workers1 = () => makeJob('workers', 1);

  test.each<{ name: string; js: JobSet; bad: ObservedJob; why: string }>([
    { name: 'an unparsable restart-attempt', js: basic().obj(), bad: workers1().restartAttempt('x').obj(), why: notInteger(Label.RestartAttempt, 'x') },
    {
      name: 'an unparsable job-restart-attempt',
      js: basic().obj(),
      bad: workers1().label(Label.JobRestartAttempt, '1e3').obj(),
      why: notInteger(Label.JobRestartAttempt, '1e3'),
    },
    // Acted on, index 999999999 would size the per-index jobRestarts arrays to a billion entries.
    {
      name: 'a failed Job with job-index 999999999 under RestartJob',
      js: restartJob(),
      bad: workers1().label(Label.JobIndex, '999999999').failed().obj(),
      why: outOfRange('999999999'),
    },
    {
      name: 'a failed Job with job-index 2^32 under RestartJob',
      js: restartJob(),
      bad: workers1().label(Label.JobIndex, '4294967296').failed().obj(),
      why: outOfRange('4294967296'),
    },
    {
      name: 'a failed Job with an unparsable job-index and no failure policy',
      js: basic().obj(),
      bad: workers1().label(Label.JobIndex, 'one').failed().obj(),
      why: notInteger(Label.JobIndex, 'one'),
    },
  ])('$name: the pass goes on, the Job counts for nothing and its name stays taken', ({ js, bad, why }) => {
    const d = decide(js, initialStatus(), obs([...allRunning().slice(0, 2), bad]), NOW);
    expect(d.malformedJobs).toEqual(['js-workers-1']);
    expect(d.events).toEqual([warning('js-workers-1', why)]);
    // Not recreated (its name exists), not deleted, not restarted: no action at all.
    expect(d.actions).toEqual([]);
    expect(d.terminal).toBe(false);
    expect(d.status.restarts).toBe(0);
    expect(d.status.conditions).toEqual([]);
    expect(d.status.replicatedJobsStatus[1]).toEqual({ name: 'workers', ready: 0, succeeded: 0, failed: 0, active: 1, suspended: 0 });
  });

  test('the event goes out once per Job: reportedMalformedJobs carries what the previous pass reported', () => {
    const js = basic().obj();
    const badA = makeJob('workers', 0).restartAttempt('x').obj();
    const badB = makeJob('workers', 1).label(Label.JobIndex, '7').obj();
    const whyA = notInteger(Label.RestartAttempt, 'x');
    const whyB = outOfRange('7');
    const leader = makeJob('leader', 0).obj();

    const p1 = decide(js, initialStatus(), obs([leader, badA]), NOW);
    expect(p1.events).toEqual([warning('js-workers-0', whyA)]);
    // Without the previous set (a new run), every malformed Job is reported again.
    expect(decide(js, p1.status, obs([leader, badA]), NOW).events).toEqual([warning('js-workers-0', whyA)]);

    const p2 = decide(js, p1.status, obs([leader, badA]), NOW, { reportedMalformedJobs: p1.malformedJobs });
    expect(p2.events).toEqual([]);
    expect(p2.malformedJobs).toEqual(['js-workers-0']);

    const p3 = decide(js, p2.status, obs([badB, leader, badA]), NOW, { reportedMalformedJobs: p2.malformedJobs });
    expect(p3.events).toEqual([warning('js-workers-1', whyB)]);
    expect(p3.malformedJobs).toEqual(['js-workers-0', 'js-workers-1']);

    // Gone (deleted by someone), then back: reported again.
    const p4 = decide(js, p3.status, obs([leader, badB]), NOW, { reportedMalformedJobs: p3.malformedJobs });
    expect(p4.events).toEqual([]);
    expect(p4.malformedJobs).toEqual(['js-workers-1']);
    expect(p4.actions).toEqual([create(['workers', 0])]);
    const p5 = decide(js, p4.status, obs([leader, badB, badA]), NOW, { reportedMalformedJobs: p4.malformedJobs });
    expect(p5.events).toEqual([warning('js-workers-0', whyA)]);
  });
});

describe('initialStatus / isTerminal', () => {
  test('initialStatus is empty and not terminal', () => {
    expect(initialStatus()).toEqual({ conditions: [], restarts: 0, restartsCountTowardsMax: 0, replicatedJobsStatus: [] });
    expect(isTerminal(initialStatus())).toBe(false);
  });
  test('each call returns a fresh object', () => {
    const a = initialStatus();
    a.conditions.push(cond(T.Failed, 'True', 'r', 'm'));
    expect(initialStatus().conditions).toEqual([]);
  });
});

describe('observationDigest', () => {
  const base = obs(allRunning());
  const digest = (o: Observation) => observationDigest(o);
  const tweak = (i: number, f: (j: ObservedJob) => ObservedJob): Observation => ({
    ...base,
    jobs: base.jobs.map((j, k) => (k === i ? f(JSON.parse(JSON.stringify(j)) as ObservedJob) : j)),
  });

  test('16 hex characters, stable under Job order', () => {
    expect(digest(base)).toMatch(/^[0-9a-f]{16}$/);
    expect(digest({ ...base, jobs: [...base.jobs].reverse() })).toBe(digest(base));
  });

  test.each<[string, Observation]>([
    ['a Job appears', { ...base, jobs: [...base.jobs, makeJob('workers', 2).obj()] }],
    ['a Job disappears', { ...base, jobs: base.jobs.slice(1) }],
    ['a Job becomes ready', tweak(0, (j) => ({ ...j, ready: 1 }))],
    ['a Job loses its active pods', tweak(0, (j) => ({ ...j, active: 0 }))],
    ['a Job completes', tweak(0, (j) => ({ ...j, conditions: [{ type: 'Complete', status: 'True' }] }))],
    ['a Job fails', tweak(0, (j) => ({ ...j, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] }))],
    ['a Job starts deleting', tweak(0, (j) => ({ ...j, deleting: true }))],
    ['a Job is suspended', tweak(0, (j) => ({ ...j, suspended: true }))],
    ['a restart-attempt label changes', tweak(0, (j) => ({ ...j, labels: { ...j.labels, [Label.RestartAttempt]: '1' } }))],
    ['the Service disappears', { ...base, serviceExists: false }],
    ['PVC existence becomes known', { ...base, pvcsExist: true }],
  ])('changes when %s', (_, o) => {
    expect(digest(o)).not.toBe(digest(base));
  });

  test.each<[string, Observation]>([
    ['a start time appears', tweak(0, (j) => ({ ...j, startTime: EARLIER }))],
    ['a uid differs', tweak(0, (j) => ({ ...j, uid: 'u-2' }))],
    ['an unrelated label changes', tweak(0, (j) => ({ ...j, labels: { ...j.labels, team: 'x' } }))],
  ])('unchanged when %s', (_, o) => {
    expect(digest(o)).toBe(digest(base));
  });

  test('unchanged when pod counts move without crossing readiness', () => {
    const wide = tweak(1, (j) => ({ ...j, parallelism: 4, completions: 4, active: 1, ready: 0 }));
    const moved = tweak(1, (j) => ({ ...j, parallelism: 4, completions: 4, active: 3, ready: 2, failed: 1 }));
    expect(digest(moved)).toBe(digest(wide));
    const crossed = tweak(1, (j) => ({ ...j, parallelism: 4, completions: 4, active: 4, ready: 4 }));
    expect(digest(crossed)).not.toBe(digest(wide));
  });
});
