// Cleanup: deleting what a JobSet created, when the JobSet is deleted or its TTL after finishing
// expires. Only the JobSet's own objects are deleted (shared.ts ownedBy): an orphaned Job, a
// user's Service or claim of the same name is never touched. Idempotent: NotFound (already gone)
// and Conflict (a namesake made since, which is not ours) are success, and a retry lists again.
import { Context } from '@temporalio/activity';
import type { V1Job } from '@kubernetes/client-node';

import { buildPVCs } from '../src/core/manifests.js';
import { jobSetNamespace, subdomain } from '../src/core/naming.js';
import { isConflict, isNotFound } from '../src/k8s/errors.js';
import { assertServed, childSelector, inBatches, ownedBy, toFailure, type ActivityEnv, type JobSetTarget } from './shared.js';

export function createCleanupActivities(env: ActivityEnv) {
  const { kube } = env;
  return {
    /**
     * Deletes every child object that is this JobSet's own (Jobs, the Service, PVCs whose policy
     * says Delete; see ownedBy) and waits until none of its Jobs is left. Used when the JobSet is
     * deleted and when its TTL expires. Objects it does not own are left alone: Jobs orphaned by
     * `kubectl delete --cascade=orphan`, a user's Service or claim of the same name.
     */
    async deleteChildren(input: JobSetTarget): Promise<void> {
      const js = input.jobSet;
      const namespace = jobSetNamespace(js);
      assertServed(env, namespace);
      const ctx = Context.current();
      const ownJobs = async (): Promise<V1Job[]> => {
        try {
          const list = await kube.batch.listNamespacedJob({ namespace, labelSelector: childSelector(js) });
          return list.items.filter((j) => ownedBy(js, input.owner, j.metadata));
        } catch (err) {
          throw toFailure('listing child Jobs', err);
        }
      };
      await inBatches(await ownJobs(), async (job) => {
        try {
          // The precondition deletes exactly the Job that was listed, never a namesake made since.
          // In the body, with the precondition: the API server then reads the options from the
          // body only, and a Job deleted without a propagation policy orphans its pods.
          await kube.batch.deleteNamespacedJob({
            name: job.metadata?.name ?? '',
            namespace,
            body: { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata?.uid } },
          });
        } catch (err) {
          if (!isNotFound(err) && !isConflict(err)) throw toFailure(`deleting job ${job.metadata?.name}`, err);
        }
      });
      if (js.spec.network.enableDNSHostnames) {
        try {
          const svc = await kube.core.readNamespacedService({ name: subdomain(js), namespace });
          if (ownedBy(js, input.owner, svc.metadata)) {
            await kube.core.deleteNamespacedService({ name: subdomain(js), namespace, body: { preconditions: { uid: svc.metadata?.uid } } });
          }
        } catch (err) {
          if (!isNotFound(err) && !isConflict(err)) throw toFailure('deleting the headless Service', err);
        }
      }
      for (const policy of js.spec.volumeClaimPolicies ?? []) {
        if (policy.retentionPolicy.whenDeleted !== 'Delete') continue;
        for (const pvc of buildPVCs({ ...js, spec: { ...js.spec, volumeClaimPolicies: [policy] } })) {
          const name = pvc.metadata?.name ?? '';
          try {
            const existing = await kube.core.readNamespacedPersistentVolumeClaim({ name, namespace });
            if (!ownedBy(js, input.owner, existing.metadata)) continue;
            await kube.core.deleteNamespacedPersistentVolumeClaim({ name, namespace, body: { preconditions: { uid: existing.metadata?.uid } } });
          } catch (err) {
            if (!isNotFound(err) && !isConflict(err)) throw toFailure(`deleting PVC ${name}`, err);
          }
        }
      }
      for (;;) {
        const left = await ownJobs();
        if (left.length === 0) return;
        ctx.heartbeat({ remaining: left.length });
        await ctx.sleep(500);
      }
    },
  };
}
