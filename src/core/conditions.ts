// The upstream JobSet condition algebra (docs/design.md §1.4) and the event each condition
// change produces (§3.16). A pass collects its status changes and events in a StatusDraft; the
// workflow publishes the status once and only then emits the events, as upstream does.
import { ConditionType, Message, Reason, TerminalState } from '../api/constants.js';
import type { Condition, JobSetStatus } from '../api/schema.js';
import type { JobSetEvent } from './types.js';

/** A condition to set: the transition time is the algebra's business. */
export interface ConditionSpec {
  type: ConditionType;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface ConditionUpdate {
  conditions: Condition[];
  /** The event announcing the change; undefined when nothing changed. */
  event?: JobSetEvent;
}

const isExclusivePair = (a: string, b: string): boolean =>
  (a === ConditionType.StartupPolicyInProgress && b === ConditionType.StartupPolicyCompleted) ||
  (a === ConditionType.StartupPolicyCompleted && b === ConditionType.StartupPolicyInProgress);

const isTerminalType = (t: string): boolean => t === ConditionType.Completed || t === ConditionType.Failed;

/** Warning for Failed and RestartingJobSet=True; Normal for every other condition change. */
export function conditionEventType(c: Pick<ConditionSpec, 'type' | 'status'>): JobSetEvent['type'] {
  if (c.type === ConditionType.Failed) return 'Warning';
  if (c.type === ConditionType.RestartingJobSet && c.status === 'True') return 'Warning';
  return 'Normal';
}

/**
 * Set `spec` on `conditions` (a new array; the input is not mutated):
 * - same type and status, different reason/message: replaced, lastTransitionTime kept;
 * - same type, different status: replaced with lastTransitionTime = now;
 * - new type: appended only when True (so Suspended=False, RestartingJobSet=False only flip);
 * - StartupPolicyInProgress/Completed are exclusive: setting one True sets the other False;
 * - a True Completed/Failed never reverts.
 */
export function applyCondition(conditions: readonly Condition[], spec: ConditionSpec, now: string): ConditionUpdate {
  let changed = false;
  let found = false;
  const out = conditions.map((curr): Condition => {
    if (curr.type === spec.type) {
      found = true;
      if (curr.status !== spec.status) {
        if (isTerminalType(curr.type) && curr.status === 'True') return curr;
        changed = true;
        return { ...curr, ...spec, lastTransitionTime: now };
      }
      if (curr.reason !== spec.reason || curr.message !== spec.message) {
        changed = true;
        return { ...curr, reason: spec.reason, message: spec.message };
      }
      return curr;
    }
    if (isExclusivePair(curr.type, spec.type) && curr.status === 'True' && spec.status === 'True') {
      changed = true;
      // Upstream flips only the status; the time moves too because the status did.
      return { ...curr, status: 'False', lastTransitionTime: now };
    }
    return curr;
  });
  if (!found && spec.status === 'True') {
    out.push({ ...spec, lastTransitionTime: now });
    changed = true;
  }
  if (!changed) return { conditions: [...conditions] };
  return { conditions: out, event: { type: conditionEventType(spec), reason: spec.reason, message: spec.message } };
}

export function findCondition(status: Pick<JobSetStatus, 'conditions'>, type: ConditionType): Condition | undefined {
  return status.conditions.find((c) => c.type === type);
}

export function isConditionTrue(status: Pick<JobSetStatus, 'conditions'>, type: ConditionType): boolean {
  return findCondition(status, type)?.status === 'True';
}

/**
 * The status a pass is building, with the events its changes produce. The base status is
 * deep-copied: a decision never mutates its input.
 */
export class StatusDraft {
  readonly status: JobSetStatus;
  readonly events: JobSetEvent[] = [];

  constructor(
    base: JobSetStatus,
    readonly now: string,
  ) {
    this.status = JSON.parse(JSON.stringify(base)) as JobSetStatus;
  }

  /** Apply a condition; returns whether anything changed (and queues its event if so). */
  setCondition(spec: ConditionSpec): boolean {
    const { conditions, event } = applyCondition(this.status.conditions, spec, this.now);
    this.status.conditions = conditions;
    if (event === undefined) return false;
    this.events.push(event);
    return true;
  }

  /** Queue an event that is not a condition change (failure-policy actions, malformed child Jobs). */
  event(e: JobSetEvent): void {
    this.events.push(e);
  }
}

// -------------------------------------------------------------------------------------------
// The conditions upstream sets, by name (§1.4).

export const completedCondition = (): ConditionSpec => ({
  type: ConditionType.Completed,
  status: 'True',
  reason: Reason.AllJobsCompleted,
  message: Message.AllJobsCompleted,
});

export const failedCondition = (reason: string, message: string): ConditionSpec => ({
  type: ConditionType.Failed,
  status: 'True',
  reason,
  message,
});

export const suspendedCondition = (): ConditionSpec => ({
  type: ConditionType.Suspended,
  status: 'True',
  reason: Reason.SuspendedJobs,
  message: Message.Suspended,
});

export const resumedCondition = (): ConditionSpec => ({
  type: ConditionType.Suspended,
  status: 'False',
  reason: Reason.ResumeJobs,
  message: Message.Resumed,
});

export const startupInProgressCondition = (): ConditionSpec => ({
  type: ConditionType.StartupPolicyInProgress,
  status: 'True',
  reason: Reason.InOrderStartupPolicyInProgress,
  message: Message.InOrderInProgress,
});

export const startupCompletedCondition = (): ConditionSpec => ({
  type: ConditionType.StartupPolicyCompleted,
  status: 'True',
  reason: Reason.InOrderStartupPolicyCompleted,
  message: Message.InOrderCompleted,
});

export const restartingCondition = (reason: string, message: string): ConditionSpec => ({
  type: ConditionType.RestartingJobSet,
  status: 'True',
  reason,
  message,
});

export const notRestartingCondition = (
  reason: typeof Reason.JobsReady | typeof Reason.JobSetFailed | typeof Reason.JobSetCompleted | typeof Reason.JobSetSuspended,
): ConditionSpec => {
  const message = {
    [Reason.JobsReady]: Message.JobsReady,
    [Reason.JobSetFailed]: Message.JobSetFailed,
    [Reason.JobSetCompleted]: Message.JobSetCompleted,
    [Reason.JobSetSuspended]: Message.JobSetSuspended,
  }[reason];
  return { type: ConditionType.RestartingJobSet, status: 'False', reason, message };
};

/** Terminal success: Completed=True, terminalState Completed, RestartingJobSet=False (§3.9). */
export function markCompleted(draft: StatusDraft): void {
  draft.setCondition(completedCondition());
  draft.status.terminalState = TerminalState.Completed;
  draft.setCondition(notRestartingCondition(Reason.JobSetCompleted));
}

/** Terminal failure: Failed=True, terminalState Failed, RestartingJobSet=False (§3.7). */
export function markFailed(draft: StatusDraft, reason: string, message: string): void {
  draft.setCondition(failedCondition(reason, message));
  draft.status.terminalState = TerminalState.Failed;
  draft.setCondition(notRestartingCondition(Reason.JobSetFailed));
}

/** The JobSet is finished: a Completed or Failed condition is True (terminal state, §3.18). */
export function isTerminal(status: Pick<JobSetStatus, 'conditions'>): boolean {
  return isConditionTrue(status, ConditionType.Completed) || isConditionTrue(status, ConditionType.Failed);
}
