// Failure policy (upstream-jobset.md §3.7): run when at least one current-attempt Job has
// Failed=True. Exactly one action per pass; the caller returns right after.
import { EventReason, FailurePolicyAction, Label, Message, Reason, failurePolicyRuleReason } from '../api/constants.js';
import { compileMessagePattern } from '../api/message-pattern.js';
import type { FailurePolicy, FailurePolicyRule, JobSet } from '../api/schema.js';
import { markFailed, restartingCondition, type StatusDraft } from './conditions.js';
import { InvalidJobLabelError, type ClassifiedJob } from './observe.js';
import type { ObservedJobCondition } from './types.js';

/** The Job's first Failed=True condition. */
export function failureCondition(c: ClassifiedJob): ObservedJobCondition | undefined {
  return c.job.conditions.find((x) => x.type === 'Failed' && x.status === 'True');
}

// A missing or unparsable time sorts first, as Go's zero time does upstream.
const failureTime = (c: ClassifiedJob): number => {
  const t = failureCondition(c)?.lastTransitionTime;
  const ms = t === undefined ? NaN : Date.parse(t);
  return Number.isNaN(ms) ? -Infinity : ms;
};

/**
 * The earliest-failed Job (by Failed lastTransitionTime). Ties go to the smaller name, so the
 * answer does not depend on the order in which the cluster listed the Jobs.
 */
export function firstFailedJob(failed: readonly ClassifiedJob[]): ClassifiedJob | undefined {
  let best: ClassifiedJob | undefined;
  for (const c of failed) {
    if (failureCondition(c) === undefined) continue;
    if (best === undefined) {
      best = c;
      continue;
    }
    const d = failureTime(c) - failureTime(best);
    if (d < 0 || (d === 0 && c.job.name < best.job.name)) best = c;
  }
  return best;
}

/**
 * Unanchored match, compiled exactly as the validator compiles it. A pattern that does not
 * compile matches nothing (upstream logs and skips it); admission normally refuses such
 * patterns, but a JobSet admitted by an older validator must still be reconciled.
 */
function matchesPattern(pattern: string, message: string): boolean {
  let re: RegExp;
  try {
    re = compileMessagePattern(pattern);
  } catch {
    return false;
  }
  return re.test(message);
}

/** Whether `rule` applies to the failed Job: reasons, message patterns and targets, each any-of (empty = any). */
export function ruleApplies(rule: FailurePolicyRule, c: ClassifiedJob): boolean {
  const cond = failureCondition(c);
  if (cond === undefined) return false;
  const reasons: readonly string[] = rule.onJobFailureReasons ?? [];
  if (reasons.length > 0 && !reasons.includes(cond.reason ?? '')) return false;
  const patterns = rule.onJobFailureMessagePatterns ?? [];
  if (patterns.length > 0 && !patterns.some((p) => matchesPattern(p, cond.message ?? ''))) return false;
  // A Job without a parent replicated job never matches.
  if (c.replicatedJob === undefined) return false;
  const targets = rule.targetReplicatedJobs ?? [];
  return targets.length === 0 || targets.includes(c.replicatedJob);
}

export interface MatchedRule {
  /** Undefined when no rule matched and the default action applies. */
  rule: FailurePolicyRule | undefined;
  action: FailurePolicyAction;
  job: ClassifiedJob;
}

/** The first rule (in order) matching some failed Job, with its earliest-failed match; else the default. */
export function matchRule(policy: FailurePolicy, failed: readonly ClassifiedJob[]): MatchedRule | undefined {
  for (const rule of policy.rules) {
    const job = firstFailedJob(failed.filter((c) => ruleApplies(rule, c)));
    if (job !== undefined) return { rule, action: rule.action, job };
  }
  const job = firstFailedJob(failed);
  return job === undefined ? undefined : { rule: undefined, action: FailurePolicyAction.RestartJobSet, job };
}

interface ApplyContext {
  js: JobSet;
  policy: FailurePolicy;
  draft: StatusDraft;
  match: MatchedRule;
}

/** Restarts that count against maxRestarts: global ones plus every per-index one. */
export function restartsTowardsMax(draft: StatusDraft): number {
  let n = draft.status.restartsCountTowardsMax;
  for (const s of draft.status.replicatedJobsStatus) for (const x of s.jobRestartsCountTowardsMax ?? []) n += x;
  return n;
}

const restartingReason = (m: MatchedRule): string =>
  m.rule === undefined ? Reason.DefaultFailurePolicy : failurePolicyRuleReason(m.rule.name);

function failReachedMax(ctx: ApplyContext): void {
  markFailed(ctx.draft, Reason.ReachedMaxRestarts, Message.ReachedMaxRestarts(ctx.match.job.job.name));
}

function restartJobSet(ctx: ApplyContext, countsTowardsMax: boolean, eventReason: string): void {
  const { draft, match } = ctx;
  draft.status.restarts += 1;
  if (countsTowardsMax) draft.status.restartsCountTowardsMax += 1;
  const message = Message.Restarting(match.action, match.job.job.name);
  draft.setCondition(restartingCondition(restartingReason(match), message));
  draft.event({ type: 'Warning', reason: eventReason, message });
}

function restartJob(ctx: ApplyContext, countsTowardsMax: boolean, eventReason: string): void {
  const { js, draft, match } = ctx;
  const c = match.job;
  if (c.jobIndex === undefined) throw new InvalidJobLabelError(c.job.name, Label.JobIndex, c.job.labels[Label.JobIndex]);
  const name = c.replicatedJob ?? '';
  const replicas = js.spec.replicatedJobs.find((r) => r.name === name)?.replicas ?? 0;
  let s = draft.status.replicatedJobsStatus.find((x) => x.name === name);
  if (s === undefined) {
    // decide() fills one entry per replicated job first; this keeps the applier total anyway.
    s = { name, ready: 0, succeeded: 0, failed: 0, active: 0, suspended: 0 };
    draft.status.replicatedJobsStatus.push(s);
  }
  // The arrays are sized lazily, to replicas, on first use.
  const index = c.jobIndex;
  const sized = (a: number[] | undefined) => Array.from({ length: Math.max(replicas, index + 1) }, (_, i) => a?.[i] ?? 0);
  s.jobRestarts = sized(s.jobRestarts);
  s.jobRestarts[index] = s.jobRestarts[index]! + 1;
  if (countsTowardsMax) {
    s.jobRestartsCountTowardsMax = sized(s.jobRestartsCountTowardsMax);
    s.jobRestartsCountTowardsMax[index] = s.jobRestartsCountTowardsMax[index]! + 1;
  }
  draft.event({ type: 'Warning', reason: eventReason, message: Message.Restarting(match.action, c.job.name) });
}

const appliers: Record<FailurePolicyAction, (ctx: ApplyContext) => void> = {
  [FailurePolicyAction.FailJobSet]: (ctx) =>
    markFailed(ctx.draft, Reason.FailJobSetFailurePolicyAction, Message.FailJobSetAction(ctx.match.job.job.name)),
  [FailurePolicyAction.RestartJobSet]: (ctx) => {
    if (restartsTowardsMax(ctx.draft) >= ctx.policy.maxRestarts) failReachedMax(ctx);
    else restartJobSet(ctx, true, EventReason.RestartJobSetAction);
  },
  [FailurePolicyAction.RestartJobSetAndIgnoreMaxRestarts]: (ctx) =>
    restartJobSet(ctx, false, EventReason.RestartJobSetAndIgnoreMaxRestartsAction),
  [FailurePolicyAction.RestartJob]: (ctx) => {
    if (restartsTowardsMax(ctx.draft) >= ctx.policy.maxRestarts) failReachedMax(ctx);
    else restartJob(ctx, true, EventReason.RestartJobAction);
  },
  [FailurePolicyAction.RestartJobAndIgnoreMaxRestarts]: (ctx) =>
    restartJob(ctx, false, EventReason.RestartJobAndIgnoreMaxRestartsAction),
};

/**
 * Apply the failure policy to this pass' failed Jobs, recording the outcome in `draft`
 * (conditions, counters, events). Without a failurePolicy the JobSet fails (FailedJobs; the
 * result then reports action FailJobSet with no rule). Returns the rule, action and Job acted
 * on, or undefined when `failed` holds no Failed=True Job.
 */
export function executeFailurePolicy(
  js: JobSet,
  failed: readonly ClassifiedJob[],
  draft: StatusDraft,
): MatchedRule | undefined {
  const policy = js.spec.failurePolicy;
  if (policy === undefined) {
    const first = firstFailedJob(failed);
    if (first === undefined) return undefined;
    markFailed(draft, Reason.FailedJobs, Message.FailedJobs(first.job.name));
    return { rule: undefined, action: FailurePolicyAction.FailJobSet, job: first };
  }
  const match = matchRule(policy, failed);
  if (match === undefined) return undefined;
  appliers[match.action]({ js, policy, draft, match });
  return match;
}
