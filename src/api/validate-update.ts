// Update validation (docs/design.md §2.4): only immutability. Creation checks are not run
// again, as upstream. It takes the parsed, defaulted old and new objects.
import type { FieldIssue } from './errors.js';
import { ValidationMessage as M } from './messages.js';
import type { JobSet, JobSetSpec, ReplicatedJob } from './schema.js';
import { diffPaths, normalize, semanticEqual } from './semantic-equal.js';

/** Spec fields guarded by CEL `self == oldSelf`: enforced only when the field is in both objects. */
const celImmutable = ['network', 'successPolicy', 'failurePolicy', 'startupPolicy', 'volumeClaimPolicies'] as const satisfies readonly (keyof JobSetSpec)[];

/**
 * While suspended, the pod-template fields Kueue and schedulers adjust before admission may
 * change: they are copied from the old rjob of the same name before comparing.
 */
function withOldSchedulingFields(rj: ReplicatedJob, old: ReplicatedJob): ReplicatedJob {
  const pod = rj.template.spec.template;
  const oldPod = old.template.spec.template;
  return {
    ...rj,
    template: {
      ...rj.template,
      spec: {
        ...rj.template.spec,
        template: {
          ...pod,
          metadata: { ...pod.metadata, labels: oldPod.metadata?.labels, annotations: oldPod.metadata?.annotations },
          ...(pod.spec && {
            spec: {
              ...pod.spec,
              nodeSelector: oldPod.spec?.nodeSelector,
              tolerations: oldPod.spec?.tolerations,
              schedulingGates: oldPod.spec?.schedulingGates,
            },
          }),
        },
      },
    },
  };
}

/** Every change from `oldJs` to `newJs` that an update may not make; empty when allowed. */
export function validateUpdate(oldJs: JobSet, newJs: JobSet): FieldIssue[] {
  const issues: FieldIssue[] = [];

  // API server: an object's identity never changes (checked only where both sides know it).
  for (const field of ['name', 'namespace'] as const) {
    const before = oldJs.metadata[field];
    const after = newJs.metadata[field];
    if (before && after && before !== after) issues.push({ path: `metadata.${field}`, message: M.FieldImmutable });
  }

  const suspended = oldJs.spec.suspend === true || newJs.spec.suspend === true;
  const oldByName = new Map(oldJs.spec.replicatedJobs.map((rj) => [rj.name, rj]));
  const munged = newJs.spec.replicatedJobs.map((rj) => {
    const old = oldByName.get(rj.name);
    return suspended && old ? withOldSchedulingFields(rj, old) : rj;
  });
  // Upstream reports one `spec.replicatedJobs: field is immutable`; naming the fields that
  // changed tells the user what to undo.
  for (const path of diffPaths(normalize(oldJs.spec.replicatedJobs), normalize(munged), ['spec', 'replicatedJobs'])) {
    issues.push({ path, message: M.FieldImmutable });
  }

  if (oldJs.spec.managedBy !== newJs.spec.managedBy) issues.push({ path: 'spec.managedBy', message: M.FieldImmutable });

  for (const field of celImmutable) {
    const before = oldJs.spec[field];
    const after = newJs.spec[field];
    if (before !== undefined && after !== undefined && !semanticEqual(before, after)) {
      issues.push({ path: `spec.${field}`, message: M.ValueImmutable });
    }
  }
  return issues;
}
