// Failure policy (docs/design.md §3.7): run when at least one current-attempt Job has
// Failed=True. Exactly one action per pass; the caller returns right after.
import { FailurePolicyAction, Message, Reason, RestartActionEvent, failurePolicyRuleReason } from '../api/constants.js';
import type { MessagePattern } from '../api/message-pattern.js';
import type { FailurePolicy, FailurePolicyRule, JobSet } from '../api/schema.js';
import { markFailed, restartingCondition, type StatusDraft } from './conditions.js';
import type { CurrentJob } from './observe.js';
import type { ObservedJobCondition } from './types.js';

/**
 * Compiles an `onJobFailureMessagePatterns` entry: src/api/message-pattern.ts compileMessagePattern,
 * passed in rather than imported, so the workflow loads the RE2 engine (~200 KiB per cached
 * workflow) only for JobSets that have patterns.
 */
export type PatternCompiler = (pattern: string) => MessagePattern;

/** JobSets whose failure policy matches messages need a PatternCompiler. */
export function usesMessagePatterns(js: JobSet): boolean {
  return (js.spec.failurePolicy?.rules ?? []).some((r) => (r.onJobFailureMessagePatterns ?? []).length > 0);
}

/** The Job's first Failed=True condition. */
export function failureCondition(c: CurrentJob): ObservedJobCondition | undefined {
  return c.job.conditions.find((x) => x.type === 'Failed' && x.status === 'True');
}

// A missing or unparsable time sorts first, as Go's zero time does upstream.
const failureTime = (c: CurrentJob): number => {
  const t = failureCondition(c)?.lastTransitionTime;
  const ms = t === undefined ? NaN : Date.parse(t);
  return Number.isNaN(ms) ? -Infinity : ms;
};

/**
 * The earliest-failed Job (by Failed lastTransitionTime). Ties go to the smaller name, so the
 * answer does not depend on the order in which the cluster listed the Jobs.
 */
export function firstFailedJob(failed: readonly CurrentJob[]): CurrentJob | undefined {
  let best: CurrentJob | undefined;
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
 * A rule's message patterns, compiled once per pass (not once per failed Job), exactly as the
 * validator compiles them. A pattern that does not compile matches nothing (upstream logs and
 * skips it); admission refuses such patterns, but a JobSet admitted by an older validator must
 * still be reconciled.
 */
function compilePatterns(rule: FailurePolicyRule, compile: PatternCompiler | undefined): MessagePattern[] {
  const given = rule.onJobFailureMessagePatterns ?? [];
  if (given.length > 0 && compile === undefined) throw new Error('onJobFailureMessagePatterns need a pattern compiler (DecideOptions.compilePattern)');
  return given.flatMap((p) => {
    try {
      return [compile!(p)];
    } catch {
      return [];
    }
  });
}

/**
 * Whether `rule` applies to the failed Job: reasons, message patterns (unanchored, as Go's
 * MatchString) and targets, each any-of (empty = any). `patterns` are the rule's, compiled.
 */
function ruleApplies(rule: FailurePolicyRule, patterns: readonly MessagePattern[], c: CurrentJob): boolean {
  const cond = failureCondition(c);
  if (cond === undefined) return false;
  const reasons: readonly string[] = rule.onJobFailureReasons ?? [];
  if (reasons.length > 0 && !reasons.includes(cond.reason ?? '')) return false;
  const patternsGiven = (rule.onJobFailureMessagePatterns ?? []).length > 0;
  if (patternsGiven && !patterns.some((p) => p.test(cond.message ?? ''))) return false;
  const targets = rule.targetReplicatedJobs ?? [];
  return targets.length === 0 || targets.includes(c.replicatedJob);
}

export interface MatchedRule {
  /** Undefined when no rule matched and the default action applies. */
  rule: FailurePolicyRule | undefined;
  action: FailurePolicyAction;
  job: CurrentJob;
}

/** The first rule (in order) matching some failed Job, with its earliest-failed match; else the default. */
export function matchRule(policy: FailurePolicy, failed: readonly CurrentJob[], compile?: PatternCompiler): MatchedRule | undefined {
  for (const rule of policy.rules) {
    const patterns = compilePatterns(rule, compile);
    const job = firstFailedJob(failed.filter((c) => ruleApplies(rule, patterns, c)));
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

const restartingReason = (m: MatchedRule): string => (m.rule === undefined ? Reason.DefaultFailurePolicy : failurePolicyRuleReason(m.rule.name));

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
  const name = c.replicatedJob;
  const replicas = js.spec.replicatedJobs.find((r) => r.name === name)?.replicas ?? 0;
  let s = draft.status.replicatedJobsStatus.find((x) => x.name === name);
  if (s === undefined) {
    // decide() fills one entry per replicated job first; this keeps the applier total anyway.
    s = { name, ready: 0, succeeded: 0, failed: 0, active: 0, suspended: 0 };
    draft.status.replicatedJobsStatus.push(s);
  }
  // The arrays are sized lazily, to replicas, on first use: never by the index, which comes from a
  // label (classifyJobs keeps it within 0..replicas-1).
  const index = c.jobIndex;
  const sized = (a: number[] | undefined) => Array.from({ length: replicas }, (_, i) => a?.[i] ?? 0);
  s.jobRestarts = sized(s.jobRestarts);
  s.jobRestarts[index] = s.jobRestarts[index]! + 1;
  if (countsTowardsMax) {
    s.jobRestartsCountTowardsMax = sized(s.jobRestartsCountTowardsMax);
    s.jobRestartsCountTowardsMax[index] = s.jobRestartsCountTowardsMax[index]! + 1;
  }
  draft.event({ type: 'Warning', reason: eventReason, message: Message.Restarting(match.action, c.job.name) });
}

const appliers: Record<FailurePolicyAction, (ctx: ApplyContext) => void> = {
  [FailurePolicyAction.FailJobSet]: (ctx) => markFailed(ctx.draft, Reason.FailJobSetFailurePolicyAction, Message.FailJobSetAction(ctx.match.job.job.name)),
  [FailurePolicyAction.RestartJobSet]: (ctx) => {
    if (restartsTowardsMax(ctx.draft) >= ctx.policy.maxRestarts) failReachedMax(ctx);
    else restartJobSet(ctx, true, RestartActionEvent.RestartJobSet);
  },
  [FailurePolicyAction.RestartJobSetAndIgnoreMaxRestarts]: (ctx) => restartJobSet(ctx, false, RestartActionEvent.RestartJobSetAndIgnoreMaxRestarts),
  [FailurePolicyAction.RestartJob]: (ctx) => {
    if (restartsTowardsMax(ctx.draft) >= ctx.policy.maxRestarts) failReachedMax(ctx);
    else restartJob(ctx, true, RestartActionEvent.RestartJob);
  },
  [FailurePolicyAction.RestartJobAndIgnoreMaxRestarts]: (ctx) => restartJob(ctx, false, RestartActionEvent.RestartJobAndIgnoreMaxRestarts),
};

/**
 * Apply the failure policy to this pass' failed Jobs, recording the outcome in `draft`
 * (conditions, counters, events). Without a failurePolicy the JobSet fails (FailedJobs; the
 * result then reports action FailJobSet with no rule). Returns the rule, action and Job acted
 * on, or undefined when `failed` holds no Failed=True Job.
 */
export function executeFailurePolicy(js: JobSet, failed: readonly CurrentJob[], draft: StatusDraft, compile?: PatternCompiler): MatchedRule | undefined {
  const policy = js.spec.failurePolicy;
  if (policy === undefined) {
    const first = firstFailedJob(failed);
    if (first === undefined) return undefined;
    markFailed(draft, Reason.FailedJobs, Message.FailedJobs(first.job.name));
    return { rule: undefined, action: FailurePolicyAction.FailJobSet, job: first };
  }
  const match = matchRule(policy, failed, compile);
  if (match === undefined) return undefined;
  appliers[match.action]({ js, policy, draft, match });
  return match;
}
