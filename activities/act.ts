// Acting on the cluster: creating, deleting, suspending and resuming child Jobs, and creating the
// headless Service and the PVCs, exactly as the workflow decided (the manifests come from
// src/core/manifests.ts). Each activity is idempotent, since Temporal may run it again after a
// crash at any point: AlreadyExists on create and NotFound on delete are success, and a Job that
// is already in the wanted state is left alone. Each reports the latest resourceVersion it wrote
// (Written), so the next observation waits for the worker's cache to have seen its own writes.
import { ApplicationFailure } from '@temporalio/common';
import type { V1OwnerReference, V1PodTemplateSpec } from '@kubernetes/client-node';

import { EventReason, GROUP, Label, PLURAL, VERSION } from '../src/api/constants.js';
import type { JobSet, JobSetStatus, ReplicatedJob } from '../src/api/schema.js';
import { advance } from '../src/core/resource-version.js';
import { buildJob, buildPVCs, buildService, mergeForResume } from '../src/core/manifests.js';
import { namesOf, refsOf, resumesOf, type JobNamesInput, type JobRefsInput, type ResumeJobsInput } from '../src/core/wire.js';
import { jobSetName, jobSetNamespace } from '../src/core/naming.js';
import { OwnerDeletedFailure } from '../workflows/contract.js';
import { describeError, isAlreadyExists, isConflict, isNotFound, isPermanent } from '../src/k8s/errors.js';
import { PatchStrategy, setHeaderOptions } from '../src/k8s/kube.js';
import { assertServed, inBatches, toFailure, type ActivityEnv, type JobSetTarget } from './shared.js';
import { emit } from './status.js';

/**
 * What an act activity wrote: the latest resourceVersion of the Jobs it created or changed (none
 * when it wrote nothing). The next observation waits for the cache to have seen it.
 */
export interface Written {
  resourceVersion?: string;
}

/** Collects the versions of the objects an activity wrote or read (src/core/resource-version.ts advance). */
class Versions {
  private latest: string | undefined;
  add(rv: string | undefined): void {
    this.latest = advance(this.latest, rv);
  }
  written(): Written {
    return this.latest !== undefined ? { resourceVersion: this.latest } : {};
  }
}

/** Reads and writes of one Job that meet a Conflict before the activity gives up on it. */
const CONFLICT_ATTEMPTS = 5;

/** The same failure (retryable or not) with `type` naming which step of an activity failed. */
function retyped(err: unknown, type: string): ApplicationFailure {
  const message = err instanceof Error ? err.message : String(err);
  return err instanceof ApplicationFailure && err.nonRetryable ? ApplicationFailure.nonRetryable(message, type) : ApplicationFailure.retryable(message, type);
}

export function createActActivities(env: ActivityEnv) {
  const { kube } = env;

  async function createService({ jobSet: js, owner }: JobSetTarget): Promise<void> {
    try {
      await kube.core.createNamespacedService({ namespace: jobSetNamespace(js), body: buildService(js, owner ? { ownerReference: owner } : {}) });
    } catch (err) {
      if (isAlreadyExists(err)) return;
      await emit(env, js, [{ type: 'Warning', reason: EventReason.HeadlessServiceCreationFailed, message: describeError(err) }], owner);
      throw toFailure('creating the headless Service', err);
    }
  }

  async function createPVCs({ jobSet: js, owner }: JobSetTarget): Promise<void> {
    for (const pvc of buildPVCs(js, owner ? { ownerReference: owner } : {})) {
      try {
        await kube.core.createNamespacedPersistentVolumeClaim({ namespace: jobSetNamespace(js), body: pvc });
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        await emit(env, js, [{ type: 'Warning', reason: EventReason.PVCCreationFailed, message: describeError(err) }], owner);
        throw toFailure(`creating PVC ${pvc.metadata?.name}`, err);
      }
    }
  }

  /**
   * Before anything is created for a JobSet that came through the bridge: its resource must still
   * exist with the same UID. A resource deleted while the bridge was down has had its children
   * garbage-collected; re-creating them would only feed the collector (create/delete churn).
   */
  async function assertOwnerExists(js: JobSet, owner: V1OwnerReference | undefined): Promise<void> {
    if (!owner) return;
    let uid: string | undefined;
    try {
      const current = (await kube.custom.getNamespacedCustomObjectStatus({
        group: GROUP,
        version: VERSION,
        namespace: jobSetNamespace(js),
        plural: PLURAL,
        name: owner.name,
      })) as { metadata?: { uid?: string } };
      uid = current.metadata?.uid;
    } catch (err) {
      if (!isNotFound(err)) throw toFailure('reading the JobSet resource', err);
    }
    if (uid !== owner.uid) {
      throw ApplicationFailure.nonRetryable(
        `the JobSet resource ${jobSetNamespace(js)}/${owner.name} (uid ${owner.uid}) was deleted; nothing is created for it`,
        OwnerDeletedFailure,
      );
    }
  }

  return {
    /** Creates the headless Service unless it exists (upstream never updates or adopts one). */
    async ensureService(input: JobSetTarget): Promise<Written> {
      assertServed(env, jobSetNamespace(input.jobSet));
      await assertOwnerExists(input.jobSet, input.owner);
      await createService(input);
      return {};
    },

    /** Creates the PVCs of spec.volumeClaimPolicies that do not exist yet. */
    async ensurePVCs(input: JobSetTarget): Promise<Written> {
      assertServed(env, jobSetNamespace(input.jobSet));
      await assertOwnerExists(input.jobSet, input.owner);
      await createPVCs(input);
      return {};
    },

    /**
     * Creates child Jobs for the current attempt. A Job that already exists with this JobSet's UID
     * was created by an earlier try of this activity (or is an old attempt the next pass deletes):
     * both are fine. A Job of the same name that belongs to something else is an error.
     * With `ensureService` / `ensurePVCs` it first does what ensureService / ensurePVCs do (one
     * activity instead of three, src/core/fold-creates.ts); their failures keep their own reason
     * as the failure type, which the workflow reports.
     */
    async createJobs(input: JobSetTarget & JobRefsInput & { status: JobSetStatus; ensureService?: boolean; ensurePVCs?: boolean }): Promise<Written> {
      const js = input.jobSet;
      const namespace = jobSetNamespace(js);
      assertServed(env, namespace);
      await assertOwnerExists(js, input.owner);
      if (input.ensureService) await createService(input).catch((err: unknown) => Promise.reject(retyped(err, EventReason.HeadlessServiceCreationFailed)));
      if (input.ensurePVCs) await createPVCs(input).catch((err: unknown) => Promise.reject(retyped(err, EventReason.PVCCreationFailed)));
      const errors: string[] = [];
      let permanent = false;
      const versions = new Versions();
      await inBatches(refsOf(input), async (ref) => {
        const body = buildJob(js, ref.replicatedJob, ref.jobIndex, input.status, input.owner ? { ownerReference: input.owner } : {});
        try {
          versions.add((await kube.batch.createNamespacedJob({ namespace, body })).metadata?.resourceVersion);
        } catch (err) {
          if (isAlreadyExists(err)) {
            const existing = await kube.batch.readNamespacedJob({ name: body.metadata.name, namespace }).catch(() => undefined);
            versions.add(existing?.metadata?.resourceVersion);
            const ours = existing?.metadata?.labels?.[Label.JobSetUID] === body.metadata.labels[Label.JobSetUID];
            if (existing === undefined || ours) return;
            errors.push(`job ${body.metadata.name} already exists and does not belong to this JobSet`);
            return;
          }
          permanent ||= isPermanent(err);
          errors.push(`job ${body.metadata.name}: ${describeError(err)}`);
        }
      });
      if (errors.length > 0) {
        await emit(env, js, [{ type: 'Warning', reason: EventReason.JobCreationFailed, message: errors.join('; ') }], input.owner);
        const message = `creating child Jobs failed: ${errors.join('; ')}`;
        throw permanent
          ? ApplicationFailure.nonRetryable(message, EventReason.JobCreationFailed)
          : ApplicationFailure.retryable(message, EventReason.JobCreationFailed);
      }
      return versions.written();
    },

    /** Deletes Jobs with foreground propagation: the Job object stays until its pods are gone. */
    async deleteJobs(input: JobNamesInput): Promise<Written> {
      assertServed(env, input.namespace);
      const versions = new Versions();
      await inBatches(namesOf(input), async (name) => {
        try {
          // The answer is the Job marked for deletion (typed as a Status, whose metadata also carries the version).
          versions.add((await kube.batch.deleteNamespacedJob({ name, namespace: input.namespace, propagationPolicy: 'Foreground' })).metadata?.resourceVersion);
        } catch (err) {
          if (!isNotFound(err)) throw toFailure(`deleting job ${name}`, err);
        }
      });
      return versions.written();
    },

    /** Sets spec.suspend=true; the Job controller then deletes the pods. */
    async suspendJobs(input: JobNamesInput): Promise<Written> {
      assertServed(env, input.namespace);
      const versions = new Versions();
      await inBatches(namesOf(input), async (name) => {
        try {
          const patched = await kube.batch.patchNamespacedJob(
            { name, namespace: input.namespace, body: { spec: { suspend: true } } },
            setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
          );
          versions.add(patched.metadata?.resourceVersion);
        } catch (err) {
          if (!isNotFound(err)) throw toFailure(`suspending job ${name}`, err);
        }
      });
      return versions.written();
    },

    /**
     * Resumes suspended Jobs as upstream's resumeJobsIfNecessary/resumeJob do (the Kueue
     * contract): a Job that is no longer suspended (an earlier try of this activity resumed it, or
     * the workflow decided on an older observation) or has finished is left alone; for a suspended
     * one, status.startTime is cleared with a status update first (the pod template of a Job that
     * has started is immutable, and the API server refuses to clear startTime once the Job runs),
     * then the current rjob's pod-template scheduling fields are merged into the Job's and
     * suspend=false is written. A Conflict (the Job changed between read and write) is retried
     * with a fresh read, here a few times and then by a retry of the activity, which is harmless.
     */
    async resumeJobs(input: JobSetTarget & ResumeJobsInput): Promise<Written> {
      const js = input.jobSet;
      const namespace = jobSetNamespace(js);
      assertServed(env, namespace);
      const rjobs = new Map<string, ReplicatedJob>(js.spec.replicatedJobs.map((r) => [r.name, r]));
      const failures: string[] = [];
      let permanent = false;
      const versions = new Versions();
      const resume = async (name: string, replicatedJob: string | undefined): Promise<void> => {
        let job = await kube.batch.readNamespacedJob({ name, namespace });
        versions.add(job.metadata?.resourceVersion);
        const finished = (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
        if (job.spec?.suspend !== true || finished) return;
        if (job.status?.startTime) {
          job.status.startTime = undefined;
          job = await kube.batch.replaceNamespacedJobStatus({ name, namespace, body: job });
        }
        const rjob = replicatedJob !== undefined ? rjobs.get(replicatedJob) : rjobs.get(job.metadata?.labels?.[Label.ReplicatedJobName] ?? '');
        if (rjob && job.spec) {
          job.spec.template = mergeForResume(job.spec.template, rjob.template.spec.template as V1PodTemplateSpec);
        }
        if (job.spec) job.spec.suspend = false;
        versions.add((await kube.batch.replaceNamespacedJob({ name, namespace, body: job })).metadata?.resourceVersion);
      };
      await inBatches(resumesOf(jobSetName(js), input), async ({ name, replicatedJob }) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await resume(name, replicatedJob);
          } catch (err) {
            if (isNotFound(err)) return;
            // The Job controller writes the Job right after its startTime is cleared: read again.
            if (isConflict(err) && attempt < CONFLICT_ATTEMPTS) continue;
            permanent ||= isPermanent(err) && !isConflict(err);
            failures.push(`job ${name}: ${describeError(err)}`);
            return;
          }
        }
      });
      if (failures.length > 0) {
        const message = `resuming child Jobs failed: ${failures.join('; ')}`;
        await emit(env, js, [{ type: 'Warning', reason: EventReason.JobResumptionFailed, message }], input.owner);
        throw permanent
          ? ApplicationFailure.nonRetryable(message, EventReason.JobResumptionFailed)
          : ApplicationFailure.retryable(message, EventReason.JobResumptionFailed);
      }
      return versions.written();
    },
  };
}
