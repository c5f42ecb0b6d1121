// Create-time checks on names: the JobSet's own metadata, and every name the controller will
// derive from it (Jobs, Pods, the headless Service, the group label), docs/design.md §2.3
// items 3–5. A name that is fine in the spec but produces an invalid child name would only fail
// later, at Job creation; the webhook refuses it up front and so do we.
import type { FieldIssue } from './errors.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isDomainPrefixedPath, simulateGeneratedName } from './k8s-validation.js';
import { ValidationMessage as M } from './messages.js';
import type { JobSet } from './schema.js';

const maxManagedByLength = 63;
const tooLongMarker = 'must be no more than 63 characters';

/**
 * The name to measure generated names against: `metadata.name`, or for `generateName` the name
 * the API server would generate. Undefined when the JobSet has neither (already an error).
 */
export function jobSetNameForValidation(js: JobSet): string | undefined {
  if (js.metadata.name) return js.metadata.name;
  if (js.metadata.generateName) return simulateGeneratedName(js.metadata.generateName);
  return undefined;
}

/** Upstream replaces apimachinery's generic too-long message with a JobSet-specific one. */
const dns1035With = (value: string, tooLongMessage: string): string[] => isDNS1035Label(value).map((e) => (e.includes(tooLongMarker) ? tooLongMessage : e));

/** API-server object-meta checks (they run before the webhook upstream). */
export function validateMetadata(js: JobSet): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { name, generateName, namespace } = js.metadata;
  if (!name && !generateName) issues.push({ path: 'metadata.name', message: M.NameRequired });
  if (name) for (const m of isDNS1123Subdomain(name)) issues.push({ path: 'metadata.name', message: m });
  if (!name && generateName) {
    for (const m of isDNS1123Subdomain(simulateGeneratedName(generateName))) {
      issues.push({ path: 'metadata.generateName', message: m });
    }
  }
  if (namespace) for (const m of isDNS1123Label(namespace)) issues.push({ path: 'metadata.namespace', message: m });
  return issues;
}

/** `spec.network.subdomain` names the headless Service: DNS-1123 subdomain and DNS-1035 label. */
export function validateSubdomain(js: JobSet): FieldIssue[] {
  const subdomain = js.spec.network.subdomain;
  if (!subdomain) return [];
  const path = 'spec.network.subdomain';
  return [
    ...isDNS1123Subdomain(subdomain).map((message) => ({ path, message })),
    ...dns1035With(subdomain, M.SubdomainTooLong).map((message) => ({ path, message })),
  ];
}

/** `spec.managedBy`: a domain-prefixed path of at most 63 characters. */
export function validateManagedBy(js: JobSet): FieldIssue[] {
  const managedBy = js.spec.managedBy;
  if (managedBy === undefined) return [];
  const path = 'spec.managedBy';
  const issues = isDomainPrefixedPath(managedBy).map((message) => ({ path, message }));
  if (new TextEncoder().encode(managedBy).length > maxManagedByLength) {
    issues.push({ path, message: M.TooLong(maxManagedByLength) });
  }
  return issues;
}

/**
 * Per replicatedJob: unique names, the replicas x parallelism bound, the group name, and the
 * longest Job name `<js>-<rjob>-<replicas-1>` and Pod name `<job>-<completions-1>-<5 chars>`.
 */
export function validateReplicatedJobNames(js: JobSet): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const jsName = jobSetNameForValidation(js);
  const seen = new Set<string>();
  js.spec.replicatedJobs.forEach((rj, i) => {
    const at = `spec.replicatedJobs[${i}]`;
    // The list is a map keyed by name in the CRD: the API server refuses a repeated key.
    if (seen.has(rj.name)) issues.push({ path: `${at}.name`, message: M.Duplicate(rj.name) });
    seen.add(rj.name);

    const jobSpec = rj.template.spec;
    const parallelism = jobSpec.parallelism ?? 1;
    // BigInt: the product of two int32 values can exceed 2^53.
    if (BigInt(parallelism) * BigInt(rj.replicas) > 2147483647n) {
      issues.push({ path: `${at}.replicas`, message: M.ReplicasTimesParallelism(rj.name) });
    }

    for (const m of dns1035With(rj.groupName, M.GroupNameTooLong)) issues.push({ path: `${at}.groupName`, message: m });

    // Without a name the API server refuses the object before the webhook runs, so upstream never
    // reports child names for it; neither do we (they would all be noise).
    if (jsName === undefined) return;
    const longestJobName = `${jsName}-${rj.name}-${rj.replicas - 1}`;
    for (const m of dns1035With(longestJobName, M.JobNameTooLong)) issues.push({ path: `${at}.name`, message: m });
    if (jobSpec.completionMode === 'Indexed' && jobSpec.completions !== undefined && jobSpec.completions !== null) {
      const longestPodName = `${longestJobName}-${jobSpec.completions - 1}-abcde`;
      for (const m of dns1035With(longestPodName, M.PodNameTooLong)) issues.push({ path: `${at}.name`, message: m });
    }
  });
  return issues;
}
