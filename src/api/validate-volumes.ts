// Create-time checks on volumeClaimPolicies (docs/design.md §2.2 CEL, §2.3 item 9).
//
// Each template becomes one shared PVC `<template>-<jobset>` that the controller adds as a volume
// to every pod that mounts it, so the template must be mounted somewhere and must not collide
// with a volume the pod template already declares. Upstream also compares a PVC that already
// exists in the cluster with the template; that needs the cluster and is not done here
// (docs/api-differences.md).
import type { FieldIssue } from './errors.js';
import { isDNS1123Subdomain } from './k8s-validation.js';
import { ValidationMessage as M } from './messages.js';
import type { JobSet, ReplicatedJob } from './schema.js';
import { jobSetNameForValidation } from './validate-names.js';

const maxVolumeClaimLength = 63;

/** The shared PVC name upstream generates for a template. */
export const volumeClaimName = (jobSetName: string, templateName: string): string => `${templateName}-${jobSetName}`;

const mounts = (rj: ReplicatedJob, claim: string): boolean => {
  const pod = rj.template.spec.template.spec;
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].some((c) => (c.volumeMounts ?? []).some((m) => m.name === claim));
};

export function validateVolumeClaimPolicies(js: JobSet): FieldIssue[] {
  const policies = js.spec.volumeClaimPolicies ?? [];
  const issues: FieldIssue[] = [];
  const jsName = jobSetNameForValidation(js);
  const claimNames = new Set<string>();
  policies.forEach((policy, p) => {
    policy.templates.forEach((tmpl, t) => {
      const at = `spec.volumeClaimPolicies[${p}].templates[${t}].metadata`;
      const name = tmpl.metadata.name;
      // Unique across all policies: they share one PVC namespace.
      if (claimNames.has(name)) issues.push({ path: `${at}.name`, message: M.VolumeClaimNameNotUnique });
      claimNames.add(name);
      for (const m of isDNS1123Subdomain(name)) issues.push({ path: `${at}.name`, message: m });
      if (jsName !== undefined && volumeClaimName(jsName, name).length > maxVolumeClaimLength) {
        issues.push({ path: `${at}.name`, message: M.VolumeClaimNameTooLong });
      }
      if (!js.spec.replicatedJobs.some((rj) => mounts(rj, name))) {
        issues.push({ path: `${at}.name`, message: M.VolumeClaimNotMounted(name) });
      }
      js.spec.replicatedJobs.forEach((rj, i) => {
        (rj.template.spec.template.spec?.volumes ?? []).forEach((vol, v) => {
          if (vol.name === name) {
            issues.push({
              path: `spec.replicatedJobs[${i}].template.spec.template.spec.volumes[${v}].name`,
              message: M.VolumeNameConflict(name),
            });
          }
        });
      });
      // CEL: `!has(t.metadata.namespace) || size(t.metadata.namespace) == 0`.
      if (tmpl.metadata.namespace) issues.push({ path: `${at}.namespace`, message: M.VolumeClaimNamespace });
    });
  });
  return issues;
}
