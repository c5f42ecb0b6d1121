// Issue 12 item 1: what a pass does with an action the API server did not carry out.
import { ConditionType, ReconcileFailingCondition } from '../../../src/api/constants.js';
import type { JobSetStatus } from '../../../src/api/schema.js';
import { ActionFailureReason, applyActionFailure, failureBackoffMs, MaxFailureMessage } from '../../../src/core/action-failure.js';
import { initialStatus } from '../../../src/core/decide.js';
import type { ActionType } from '../../../src/core/types.js';

const now = '2026-11-29T10:00:00Z';
const later = '2026-11-29T10:05:00Z';
const failing = (reason: string, message: string, at = now) => ({
  type: ReconcileFailingCondition,
  status: 'True' as const,
  reason,
  message,
  lastTransitionTime: at,
});
const withConditions = (...conditions: JobSetStatus['conditions']): JobSetStatus => ({ ...initialStatus(), conditions });

describe('issue 12 item 1: applyActionFailure', () => {
  test.each([
    ['no failure, no condition: the same object', withConditions(), undefined, []],
    ['no failure removes ReconcileFailing', withConditions(failing('JobCreationFailed', 'quota')), undefined, []],
    [
      'a healable failure sets ReconcileFailing with the reason and message',
      withConditions(),
      { reason: 'JobCreationFailed', message: 'exceeded quota', permanent: false },
      [failing('JobCreationFailed', 'exceeded quota', later)],
    ],
    [
      'the same failure again keeps its transition time',
      withConditions(failing('JobCreationFailed', 'exceeded quota')),
      { reason: 'JobCreationFailed', message: 'exceeded quota', permanent: false },
      [failing('JobCreationFailed', 'exceeded quota')],
    ],
    [
      'another cause replaces the message, keeps the time',
      withConditions(failing('JobCreationFailed', 'exceeded quota')),
      { reason: 'JobCreationFailed', message: 'denied by policy', permanent: false },
      [failing('JobCreationFailed', 'denied by policy')],
    ],
  ])('%s', (_, status, failure, conditions) => {
    const out = applyActionFailure(status, failure, later);
    expect(out.status.conditions).toEqual(conditions);
    expect(out.events).toEqual([]);
    if (failure === undefined && status.conditions.length === 0) expect(out.status).toBe(status);
  });

  test('a request the API server refuses as invalid fails the JobSet with that reason, instead of stranding it', () => {
    const out = applyActionFailure(
      withConditions(failing('JobCreationFailed', 'quota')),
      { reason: 'JobResumptionFailed', message: 'HTTP 422: invalid', permanent: true },
      later,
    );
    expect(out.status.terminalState).toBe('Failed');
    expect(out.status.conditions.find((c) => c.type === ConditionType.Failed)).toMatchObject({
      status: 'True',
      reason: 'JobResumptionFailed',
      message: 'HTTP 422: invalid',
    });
    expect(out.status.conditions.some((c) => c.type === ReconcileFailingCondition)).toBe(false);
    expect(out.events).toEqual([{ type: 'Warning', reason: 'JobResumptionFailed', message: 'HTTP 422: invalid' }]);
  });

  test('messages are clipped (5,000 failing Jobs must not make a 5 MB condition)', () => {
    const out = applyActionFailure(withConditions(), { reason: 'JobCreationFailed', message: 'x'.repeat(100_000), permanent: false }, now);
    expect(out.status.conditions[0]?.message.length).toBe(MaxFailureMessage);
  });

  test('every action type has its own reason', () => {
    const types: ActionType[] = ['EnsureService', 'EnsurePVCs', 'CreateJobs', 'DeleteJobs', 'SuspendJobs', 'ResumeJobs'];
    expect(new Set(types.map((t) => ActionFailureReason[t])).size).toBe(types.length);
  });
});

describe('issue 12 item 1: failureBackoffMs', () => {
  test.each([
    [1, 1_000],
    [2, 2_000],
    [5, 16_000],
    [6, 30_000],
    [1_000, 30_000],
  ])('after %i failures in a row: %i ms', (n, ms) => expect(failureBackoffMs(n)).toBe(ms));
});
