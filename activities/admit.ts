// Admission of a new JobSet: parse, default and validate it as at every boundary
// (src/api/parse.ts), then show what it would create to the API server in a server-side dry run
// (pod template validation, the cluster's admission webhooks and quota) before anything exists.
// These activities report a verdict and the issues behind it; the workflow decides what to do
// with them (refuse the JobSet, or run it). They create nothing, so a retry is always safe.
import { Context } from '@temporalio/activity';
import type { V1OwnerReference } from '@kubernetes/client-node';

import type { FieldIssue } from '../src/api/errors.js';
import { admitJobSet } from '../src/api/parse.js';
import type { JobSet } from '../src/api/schema.js';
import { initialStatus } from '../src/core/decide.js';
import { buildJob, buildPVCs } from '../src/core/manifests.js';
import { jobSetNamespace } from '../src/core/naming.js';
import { dryRunIssues } from '../src/k8s/dry-run.js';
import { describeError, isAlreadyExists, isNotFound, isPermanent } from '../src/k8s/errors.js';
import { notServedMessage, ownedBy, served, type ActivityEnv, type JobSetTarget } from './shared.js';

/** The admission verdict. */
export type Admission =
  /** Admitted, unless the API server's dry run `refused` it (the resource then shows why). */
  | { jobSet: JobSet; refused?: FieldIssue[] }
  /** Invalid by its schema or the validation rules. */
  | { invalid: FieldIssue[] };

export function createAdmitActivities(env: ActivityEnv) {
  const { kube } = env;

  /**
   * Admission's server-side dry run: creates one Job of each replicated job with dryRun=All, so
   * the API server (its validation of the pod template, and the cluster's admission webhooks
   * and quota) looks at what the JobSet would create before anything exists. Returns the field
   * issues of a refused spec (400/422: the request itself is wrong, no later try can pass);
   * a refusal that can heal (403 from a quota or a policy webhook) or an outage is not the
   * spec's fault and returns no issue: creation then retries with backoff as usual.
   */
  async function dryRun(input: JobSetTarget): Promise<FieldIssue[]> {
    const js = input.jobSet;
    const namespace = jobSetNamespace(js);
    if (!served(env, namespace)) return [{ path: 'metadata.namespace', message: `Forbidden: ${notServedMessage(env, namespace)}` }];
    const issues: FieldIssue[] = [];
    // A claim of the same name that is not this JobSet's: upstream's webhook lets a JobSet use
    // an existing claim only with retentionPolicy Retain (a Delete policy would delete it).
    for (const [p, policy] of (js.spec.volumeClaimPolicies ?? []).entries()) {
      if (policy.retentionPolicy.whenDeleted === 'Retain') continue;
      for (const [t, pvc] of buildPVCs({ ...js, spec: { ...js.spec, volumeClaimPolicies: [policy] } }).entries()) {
        const pvcName = pvc.metadata?.name ?? '';
        try {
          const existing = await kube.core.readNamespacedPersistentVolumeClaim({ name: pvcName, namespace });
          if (!ownedBy(js, input.owner, existing.metadata)) {
            issues.push({
              path: `spec.volumeClaimPolicies[${p}].templates[${t}]`,
              message: `Invalid value: "${pvcName}": a PersistentVolumeClaim of this name already exists and is not this JobSet's; only retentionPolicy.whenDeleted: Retain may use an existing claim`,
            });
          }
        } catch (err) {
          if (!isNotFound(err)) Context.current().log.info('admission PVC check inconclusive', { pvc: pvcName, error: describeError(err) });
        }
      }
    }
    for (const [index, rjob] of js.spec.replicatedJobs.entries()) {
      if (rjob.replicas < 1) continue;
      const body = buildJob(js, rjob.name, 0, initialStatus(), input.owner ? { ownerReference: input.owner } : {});
      try {
        await kube.batch.createNamespacedJob({ namespace, body, dryRun: 'All' });
      } catch (err) {
        if (isPermanent(err)) issues.push(...dryRunIssues(err, index));
        else if (!isAlreadyExists(err)) Context.current().log.info('admission dry run inconclusive', { job: body.metadata.name, error: describeError(err) });
      }
    }
    return issues;
  }

  return {
    /** Admission's dry run alone (runs started before admitJobSet; see dryRun). */
    async dryRunJobs(input: JobSetTarget): Promise<FieldIssue[]> {
      return dryRun(input);
    },

    /**
     * Admission of a new JobSet in one activity, so the workflow bundle holds no schema (issue 13
     * item 3): the JobSet is parsed and defaulted and validated as at every boundary
     * (src/api/parse.ts), given `uid` when it came without one, then dry-run as dryRunJobs does.
     * The workflow refuses it with the issues, or runs the admitted JobSet.
     */
    async admitJobSet(input: { jobSet: unknown; owner?: V1OwnerReference; uid: string }): Promise<Admission> {
      const verdict = admitJobSet(input.jobSet);
      if ('issues' in verdict) return { invalid: verdict.issues };
      const js = verdict.jobSet.metadata.uid ? verdict.jobSet : { ...verdict.jobSet, metadata: { ...verdict.jobSet.metadata, uid: input.uid } };
      const issues = await dryRun(input.owner ? { jobSet: js, owner: input.owner } : { jobSet: js });
      return issues.length > 0 ? { jobSet: js, refused: issues } : { jobSet: js };
    },
  };
}
