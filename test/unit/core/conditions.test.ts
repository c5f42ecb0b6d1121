import { ConditionType, Message, Reason } from '../../../src/api/constants.js';
import type { Condition } from '../../../src/api/schema.js';
import {
  StatusDraft,
  applyCondition,
  completedCondition,
  conditionEventType,
  failedCondition,
  isTerminal,
  markCompleted,
  markFailed,
  notRestartingCondition,
  restartingCondition,
  resumedCondition,
  startupCompletedCondition,
  startupInProgressCondition,
  suspendedCondition,
  type ConditionSpec,
} from '../../../src/core/conditions.js';
import { EARLIER, NOW, cond, makeStatus } from './builders.js';

const T = ConditionType;

describe('applyCondition (§1.4)', () => {
  test.each<[string, Condition[], ConditionSpec, Condition[], boolean]>([
    ['new True type is appended with now', [], suspendedCondition(), [cond(T.Suspended, 'True', Reason.SuspendedJobs, Message.Suspended, NOW)], true],
    ['new False type is not added (Suspended=False)', [], resumedCondition(), [], false],
    ['new False type is not added (RestartingJobSet=False)', [], notRestartingCondition(Reason.JobsReady), [], false],
    [
      'identical condition: no change, time kept',
      [cond(T.Suspended, 'True', Reason.SuspendedJobs, Message.Suspended)],
      suspendedCondition(),
      [cond(T.Suspended, 'True', Reason.SuspendedJobs, Message.Suspended)],
      false,
    ],
    [
      'status change replaces with a new time',
      [cond(T.Suspended, 'True', Reason.SuspendedJobs, Message.Suspended)],
      resumedCondition(),
      [cond(T.Suspended, 'False', Reason.ResumeJobs, Message.Resumed, NOW)],
      true,
    ],
    [
      'same status, different reason/message: replaced, time kept',
      [cond(T.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, 'old')],
      restartingCondition('FailurePolicy_r1', 'new'),
      [cond(T.RestartingJobSet, 'True', 'FailurePolicy_r1', 'new')],
      true,
    ],
    [
      'RestartingJobSet=True flips to False/JobsReady',
      [cond(T.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, 'm')],
      notRestartingCondition(Reason.JobsReady),
      [cond(T.RestartingJobSet, 'False', Reason.JobsReady, Message.JobsReady, NOW)],
      true,
    ],
    [
      'InProgress True sets Completed False (and is appended)',
      [cond(T.StartupPolicyCompleted, 'True', Reason.InOrderStartupPolicyCompleted, Message.InOrderCompleted)],
      startupInProgressCondition(),
      [
        cond(T.StartupPolicyCompleted, 'False', Reason.InOrderStartupPolicyCompleted, Message.InOrderCompleted, NOW),
        cond(T.StartupPolicyInProgress, 'True', Reason.InOrderStartupPolicyInProgress, Message.InOrderInProgress, NOW),
      ],
      true,
    ],
    [
      'Completed True sets InProgress False (flip of an existing condition)',
      [
        cond(T.StartupPolicyInProgress, 'True', Reason.InOrderStartupPolicyInProgress, Message.InOrderInProgress),
        cond(T.StartupPolicyCompleted, 'False', Reason.InOrderStartupPolicyCompleted, Message.InOrderCompleted),
      ],
      startupCompletedCondition(),
      [
        cond(T.StartupPolicyInProgress, 'False', Reason.InOrderStartupPolicyInProgress, Message.InOrderInProgress, NOW),
        cond(T.StartupPolicyCompleted, 'True', Reason.InOrderStartupPolicyCompleted, Message.InOrderCompleted, NOW),
      ],
      true,
    ],
    [
      'exclusive partner already False is left alone',
      [cond(T.StartupPolicyCompleted, 'False', Reason.InOrderStartupPolicyCompleted, Message.InOrderCompleted)],
      startupInProgressCondition(),
      [
        cond(T.StartupPolicyCompleted, 'False', Reason.InOrderStartupPolicyCompleted, Message.InOrderCompleted),
        cond(T.StartupPolicyInProgress, 'True', Reason.InOrderStartupPolicyInProgress, Message.InOrderInProgress, NOW),
      ],
      true,
    ],
    [
      'Completed=True never reverts',
      [cond(T.Completed, 'True', Reason.AllJobsCompleted, Message.AllJobsCompleted)],
      { type: T.Completed, status: 'False', reason: 'x', message: 'y' },
      [cond(T.Completed, 'True', Reason.AllJobsCompleted, Message.AllJobsCompleted)],
      false,
    ],
    [
      'Failed=True never reverts',
      [cond(T.Failed, 'True', Reason.FailedJobs, 'm')],
      { type: T.Failed, status: 'False', reason: 'x', message: 'y' },
      [cond(T.Failed, 'True', Reason.FailedJobs, 'm')],
      false,
    ],
  ])('%s', (_, before, spec, after, changed) => {
    const frozen = JSON.stringify(before);
    const got = applyCondition(before, spec, NOW);
    expect(got.conditions).toEqual(after);
    expect(got.event !== undefined).toBe(changed);
    if (changed) expect(got.event).toEqual({ type: conditionEventType(spec), reason: spec.reason, message: spec.message });
    expect(JSON.stringify(before)).toBe(frozen);
  });
});

describe('conditionEventType (§3.16)', () => {
  test.each<[ConditionSpec, 'Normal' | 'Warning']>([
    [completedCondition(), 'Normal'],
    [failedCondition(Reason.FailedJobs, 'm'), 'Warning'],
    [suspendedCondition(), 'Normal'],
    [resumedCondition(), 'Normal'],
    [startupInProgressCondition(), 'Normal'],
    [startupCompletedCondition(), 'Normal'],
    [restartingCondition(Reason.DefaultFailurePolicy, 'm'), 'Warning'],
    [notRestartingCondition(Reason.JobsReady), 'Normal'],
  ])('%o => %s', (spec, want) => {
    expect(conditionEventType(spec)).toBe(want);
  });
});

describe('notRestartingCondition messages', () => {
  test.each([
    [Reason.JobsReady, 'all jobs are ready'],
    [Reason.JobSetFailed, 'jobset failed'],
    [Reason.JobSetCompleted, 'jobset completed successfully'],
    [Reason.JobSetSuspended, 'jobset is suspended'],
  ] as const)('%s', (reason, message) => {
    expect(notRestartingCondition(reason)).toEqual({ type: T.RestartingJobSet, status: 'False', reason, message });
  });
});

describe('StatusDraft', () => {
  test('copies its base and queues one event per change', () => {
    const base = makeStatus()
      .condition(cond(T.RestartingJobSet, 'True', Reason.DefaultFailurePolicy, 'm'))
      .obj();
    const frozen = JSON.stringify(base);
    const d = new StatusDraft(base, NOW);
    expect(d.setCondition(suspendedCondition())).toBe(true);
    expect(d.setCondition(suspendedCondition())).toBe(false);
    d.event({ type: 'Warning', reason: 'R', message: 'M' });
    expect(d.events).toEqual([
      { type: 'Normal', reason: Reason.SuspendedJobs, message: Message.Suspended },
      { type: 'Warning', reason: 'R', message: 'M' },
    ]);
    expect(JSON.stringify(base)).toBe(frozen);
  });

  test('markCompleted: Completed, terminalState, RestartingJobSet=False/JobSetCompleted', () => {
    const d = new StatusDraft(
      makeStatus()
        .condition(cond(T.RestartingJobSet, 'True', 'r', 'm'))
        .obj(),
      NOW,
    );
    markCompleted(d);
    expect(d.status.terminalState).toBe('Completed');
    expect(d.status.conditions).toEqual([
      cond(T.RestartingJobSet, 'False', Reason.JobSetCompleted, Message.JobSetCompleted, NOW),
      cond(T.Completed, 'True', Reason.AllJobsCompleted, Message.AllJobsCompleted, NOW),
    ]);
    expect(d.events.map((e) => [e.type, e.reason])).toEqual([
      ['Normal', Reason.AllJobsCompleted],
      ['Normal', Reason.JobSetCompleted],
    ]);
  });

  test('markFailed: Failed, terminalState; no RestartingJobSet to flip', () => {
    const d = new StatusDraft(makeStatus().obj(), NOW);
    markFailed(d, Reason.FailedJobs, Message.FailedJobs('js-w-0'));
    expect(d.status.terminalState).toBe('Failed');
    expect(d.status.conditions).toEqual([cond(T.Failed, 'True', Reason.FailedJobs, Message.FailedJobs('js-w-0'), NOW)]);
    expect(d.events).toEqual([{ type: 'Warning', reason: Reason.FailedJobs, message: Message.FailedJobs('js-w-0') }]);
  });
});

describe('isTerminal', () => {
  test.each([
    ['no conditions', makeStatus().obj(), false],
    [
      'Completed True',
      makeStatus()
        .condition(cond(T.Completed, 'True', 'r', 'm'))
        .obj(),
      true,
    ],
    [
      'Failed True',
      makeStatus()
        .condition(cond(T.Failed, 'True', 'r', 'm'))
        .obj(),
      true,
    ],
    [
      'Completed False',
      makeStatus()
        .condition(cond(T.Completed, 'False', 'r', 'm'))
        .obj(),
      false,
    ],
    [
      'Suspended True',
      makeStatus()
        .condition(cond(T.Suspended, 'True', 'r', 'm', EARLIER))
        .obj(),
      false,
    ],
  ])('%s', (_, status, want) => {
    expect(isTerminal(status)).toBe(want);
  });
});
