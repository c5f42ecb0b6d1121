// Create-time checks on the policies that refer to replicatedJobs by name or index:
// dependsOn / startupPolicy, successPolicy, failurePolicy and coordinator
// (docs/design.md §2.2 CEL rules and §2.3 items 1, 2, 5–8).
import { Label, MaxReplicasWithRestartJob, FailurePolicyAction, JobFailureReason } from './constants.js';
import type { FieldIssue } from './errors.js';
import { isValidLabelValue } from './k8s-validation.js';
import { compileMessagePattern } from './message-pattern.js';
import { ValidationMessage as M } from './messages.js';
import type { JobSet } from './schema.js';
import { jobSetNameForValidation } from './validate-names.js';

const ruleNameRe = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const validReasons: readonly string[] = Object.values(JobFailureReason);
const restartJobActions: readonly string[] = [FailurePolicyAction.RestartJob, FailurePolicyAction.RestartJobAndIgnoreMaxRestarts];

/**
 * dependsOn may only name an earlier replicatedJob (so the start order is a DAG in spec order),
 * the first replicatedJob may not have it, names are unique per list, and it excludes InOrder.
 */
export function validateDependsOn(js: JobSet): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const rjobs = js.spec.replicatedJobs;
  const first = rjobs[0];
  // Upstream tests presence (a Go nil check), so `dependsOn: []` on the first rjob is refused too.
  if (first && first.dependsOn !== undefined) {
    issues.push({ path: 'spec.replicatedJobs[0].dependsOn', message: M.DependsOnFirstReplicatedJob });
  }
  const earlier = new Set<string>();
  rjobs.forEach((rj, i) => {
    const seen = new Set<string>();
    (rj.dependsOn ?? []).forEach((dep, j) => {
      const path = `spec.replicatedJobs[${i}].dependsOn[${j}].name`;
      if (seen.has(dep.name)) issues.push({ path, message: M.Duplicate(dep.name) });
      seen.add(dep.name);
      // Upstream adds the rjob itself to the known names before this check, so a self-dependency
      // passes there and then waits forever; we refuse it (docs/api-differences.md).
      if (i > 0 && !earlier.has(dep.name)) issues.push({ path, message: M.CannotDependOn(rj.name, dep.name) });
    });
    earlier.add(rj.name);
  });
  if (js.spec.startupPolicy.startupPolicyOrder === 'InOrder' && rjobs.some((rj) => rj.dependsOn !== undefined)) {
    issues.push({ path: 'spec.startupPolicy', message: M.StartupPolicyDependsOnExclusive });
  }
  return issues;
}

export function validateSuccessPolicy(js: JobSet): FieldIssue[] {
  const names = new Set(js.spec.replicatedJobs.map((rj) => rj.name));
  const issues: FieldIssue[] = [];
  (js.spec.successPolicy.targetReplicatedJobs ?? []).forEach((target, j) => {
    if (!names.has(target)) {
      issues.push({ path: `spec.successPolicy.targetReplicatedJobs[${j}]`, message: M.SuccessPolicyTarget(target) });
    }
  });
  return issues;
}

export function validateFailurePolicy(js: JobSet): FieldIssue[] {
  const fp = js.spec.failurePolicy;
  if (!fp) return [];
  const issues: FieldIssue[] = [];
  const names = new Set(js.spec.replicatedJobs.map((rj) => rj.name));

  // Deliberate difference: upstream accepts InPlaceRestart behind a feature gate; we have no
  // in-place restart agent, so the strategy is refused rather than silently ignored.
  if (fp.restartStrategy === 'InPlaceRestart') {
    issues.push({ path: 'spec.failurePolicy.restartStrategy', message: M.InPlaceRestartUnsupported });
  }

  // Deliberate difference: upstream needs the RestartJob gate; we always allow the actions and
  // keep the bound that comes from the 1024-item per-index status arrays.
  if (fp.rules.some((r) => restartJobActions.includes(r.action))) {
    js.spec.replicatedJobs.forEach((rj, i) => {
      if (rj.replicas > MaxReplicasWithRestartJob) {
        issues.push({ path: `spec.replicatedJobs[${i}].replicas`, message: M.RestartJobReplicas });
      }
    });
  }

  const indicesByName = new Map<string, number[]>();
  fp.rules.forEach((rule, i) => {
    const at = `spec.failurePolicy.rules[${i}]`;
    const length = new TextEncoder().encode(rule.name).length;
    if (length < 1 || length > 128) issues.push({ path: `${at}.name`, message: M.RuleNameLength(length) });
    if (!ruleNameRe.test(rule.name)) issues.push({ path: `${at}.name`, message: M.RuleNameFormat(rule.name) });
    indicesByName.set(rule.name, [...(indicesByName.get(rule.name) ?? []), i]);

    (rule.targetReplicatedJobs ?? []).forEach((target, j) => {
      if (!names.has(target)) {
        issues.push({ path: `${at}.targetReplicatedJobs[${j}]`, message: M.FailurePolicyTarget(target) });
      }
    });
    // The schema already restricts reasons for parsed input; this guards objects built in code.
    (rule.onJobFailureReasons ?? []).forEach((reason, j) => {
      if (!validReasons.includes(reason)) {
        issues.push({ path: `${at}.onJobFailureReasons[${j}]`, message: M.FailureReason(reason) });
      }
    });
    // Deliberate difference: upstream logs and skips a pattern that does not compile, so the rule
    // quietly never matches; we refuse it.
    (rule.onJobFailureMessagePatterns ?? []).forEach((pattern, j) => {
      try {
        compileMessagePattern(pattern);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        issues.push({ path: `${at}.onJobFailureMessagePatterns[${j}]`, message: M.InvalidMessagePattern(pattern, reason) });
      }
    });
  });
  for (const [name, indices] of indicesByName) {
    const second = indices[1];
    if (second !== undefined) {
      issues.push({ path: `spec.failurePolicy.rules[${second}].name`, message: M.RuleNamesNotUnique(indices, name) });
    }
  }
  return issues;
}

/** The stable endpoint published in the coordinator label (upstream `CoordinatorEndpoint`). */
export function coordinatorEndpoint(jobSetName: string, js: JobSet): string | undefined {
  const c = js.spec.coordinator;
  if (!c) return undefined;
  const subdomain = js.spec.network.subdomain || jobSetName;
  return `${jobSetName}-${c.replicatedJob}-${c.jobIndex}-${c.podIndex}.${subdomain}`;
}

/**
 * Upstream reports only the first coordinator problem (the later checks read fields of the rjob
 * the earlier ones establish), plus the label-value check of the published endpoint.
 */
export function validateCoordinator(js: JobSet): FieldIssue[] {
  const c = js.spec.coordinator;
  if (!c) return [];
  const issues: FieldIssue[] = [];
  const first = firstCoordinatorIssue(js);
  if (first) issues.push(first);
  const jsName = jobSetNameForValidation(js);
  if (jsName !== undefined) {
    const endpoint = coordinatorEndpoint(jsName, js) as string;
    const errs = isValidLabelValue(endpoint);
    if (errs.length > 0) {
      issues.push({ path: 'spec.coordinator', message: M.CoordinatorLabelValue(endpoint, Label.Coordinator, errs) });
    }
  }
  return issues;
}

function firstCoordinatorIssue(js: JobSet): FieldIssue | undefined {
  const c = js.spec.coordinator;
  if (!c) return undefined;
  const rj = js.spec.replicatedJobs.find((r) => r.name === c.replicatedJob);
  if (!rj) return { path: 'spec.coordinator.replicatedJob', message: M.CoordinatorRjobMissing(c.replicatedJob) };
  if (c.jobIndex < 0 || c.jobIndex >= rj.replicas) {
    return { path: 'spec.coordinator.jobIndex', message: M.CoordinatorJobIndex(c.jobIndex, rj.name) };
  }
  const completions = rj.template.spec.completions;
  if (rj.template.spec.completionMode !== 'Indexed' || completions === undefined || completions === null) {
    return { path: 'spec.coordinator.replicatedJob', message: M.CoordinatorIndexed };
  }
  if (c.podIndex < 0 || c.podIndex >= completions) {
    return { path: 'spec.coordinator.podIndex', message: M.CoordinatorPodIndex(c.podIndex, c.replicatedJob, c.jobIndex) };
  }
  return undefined;
}

/** Status lists are list-maps in the CRD (conditions by type, replicatedJobsStatus by name). */
export function validateStatusKeys(js: JobSet): FieldIssue[] {
  const status = js.status;
  if (!status) return [];
  const issues: FieldIssue[] = [];
  const dup = <T>(items: readonly T[], key: (t: T) => string, path: (i: number) => string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) issues.push({ path: path(i), message: M.Duplicate(k) });
      seen.add(k);
    });
  };
  dup(
    status.conditions,
    (c) => c.type,
    (i) => `status.conditions[${i}].type`,
  );
  dup(
    status.replicatedJobsStatus,
    (r) => r.name,
    (i) => `status.replicatedJobsStatus[${i}].name`,
  );
  return issues;
}
