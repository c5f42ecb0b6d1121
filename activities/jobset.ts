// Every side effect of a JobSet on Kubernetes. Activities report facts and carry out actions the
// workflow decided; they decide no policy. Each one is idempotent: Temporal may run it again after
// a crash at any point, so "already exists" on create and "not found" on delete are success.
import { hostname } from 'node:os';

import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { V1Job, V1OwnerReference, V1PodTemplateSpec } from '@kubernetes/client-node';

import { API_VERSION, EventReason, GROUP, KIND, Label, PLURAL, VERSION } from '../src/api/constants.js';
import type { FieldIssue } from '../src/api/errors.js';
import { admitJobSet } from '../src/api/parse.js';
import type { JobSet, JobSetStatus, ReplicatedJob } from '../src/api/schema.js';
import { initialStatus, observationDigest } from '../src/core/decide.js';
import { advance, comparable } from '../src/core/resource-version.js';
import { buildJob, buildPVCs, buildService, mergeForResume } from '../src/core/manifests.js';
import {
  compactObservation,
  namesOf,
  refsOf,
  resumesOf,
  type CompactObservation,
  type JobNamesInput,
  type JobRefsInput,
  type ResumeJobsInput,
} from '../src/core/wire.js';
import { jobSetName, jobSetNamespace, subdomain } from '../src/core/naming.js';
import type { JobSetEvent, Observation, ObservedJob } from '../src/core/types.js';
import type { ChildCache, ChildChange } from '../src/k8s/child-cache.js';
import type { KubeClients } from '../src/k8s/client.js';
import { dryRunIssues } from '../src/k8s/dry-run.js';
import { OwnerDeletedFailure } from '../workflows/contract.js';
import { describeError, isAlreadyExists, isConflict, isNotFound, isPermanent } from '../src/k8s/errors.js';
import { toObservedJob } from '../src/k8s/observed.js';
import { PatchStrategy, setHeaderOptions } from '../src/k8s/kube.js';

/** Identifies the JobSet whose children an activity works on. */
export interface JobSetTarget {
  jobSet: JobSet;
  /** Owner reference to the JobSet custom resource, when the JobSet came through the bridge. */
  owner?: V1OwnerReference;
}

export interface ObserveInput extends JobSetTarget {
  /** Digest of the observation the workflow last decided on; return as soon as the cluster differs. */
  lastDigest?: string;
  /** Return the current observation after this long even when nothing changed (periodic re-list). */
  maxWaitMs: number;
  /**
   * The latest resourceVersion the workflow wrote or observed (src/core/resource-version.ts):
   * read from the worker's cache once it has seen this version. Absent: list from the API server.
   */
  minResourceVersion?: string;
}

export interface ObserveResult {
  /** The observation in its compact form (src/core/wire.ts); `observation` in runs recorded before it. */
  compact?: CompactObservation;
  observation?: Observation;
  digest: string;
  /** The version the observation reflects, when comparable: the next observe's minResourceVersion. */
  resourceVersion?: string;
  /**
   * Changes to these children signal the workflow (`childrenChanged`, worker/child-signals.ts):
   * the run may wait for that signal instead of an observe activity.
   */
  signalled?: true;
}

/** The admission verdict. */
export type Admission =
  /** Admitted, unless the API server's dry run `refused` it (the resource then shows why). */
  | { jobSet: JobSet; refused?: FieldIssue[] }
  /** Invalid by its schema or the validation rules. */
  | { invalid: FieldIssue[] };

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

/**
 * Where the activities report what they did, for the worker's Prometheus metrics. Called once per
 * successful emitEvents activity, after every event was written: the condition events are the
 * one place where a JobSet's completion, failure and restarts are announced (upstream counts in
 * the same place, when it sets the condition).
 */
export interface ActivityMetrics {
  jobSetEvents(namespace: string, events: readonly JobSetEvent[]): void;
}

export interface JobSetActivityOptions {
  metrics?: ActivityMetrics;
  /**
   * The Kubernetes namespaces this worker serves (JOBSET_NAMESPACES); undefined: all. Anyone who
   * can start a workflow on the task queue can ask for Jobs anywhere the worker's RBAC reaches:
   * the allow-list is enforced at admission and by every activity that writes, cleanup included.
   */
  namespaces?: readonly string[];
  /**
   * How long an observation waits for the cache to reach the run's version before it lists from
   * the API server instead (default 30 s): a cache that cannot list or watch (RBAC not yet
   * updated, an API server that refuses the watch) slows JobSets down, it never stalls them.
   */
  cacheWaitMs?: number;
}

/** Failure type of an activity asked to act in a namespace the worker does not serve. */
export const NamespaceNotServedFailure = 'NamespaceNotServed';

/** Field manager of the status the worker applies; the bridge applies its own conditions under another. */
export const WorkerFieldManager = 'jobset-temporal-worker';

/** Reads and writes of one Job that meet a Conflict before the activity gives up on it. */
const CONFLICT_ATTEMPTS = 5;
/** Upstream creates and deletes child Jobs 50 at a time (const.MaxParallelism). */
const PARALLELISM = 50;
// Well inside the workflows' heartbeat timeouts (15 s act, 30 s observe).
const HEARTBEAT_MS = 2_000;
/** An observation returns once its watch has been quiet this long after a change... */
const BATCH_QUIET_MS = 100;
/**
 * ...and at the latest this long after the first change: 500 ms, or 1 ms per child Job up to 5 s.
 * Every pass carries the whole observation into history, and 5,000 Jobs changing state over
 * minutes would otherwise make a pass (and ~100 KB of history) every half second.
 */
const batchMaxMs = (jobs: number): number => Math.min(5_000, Math.max(500, jobs));

/**
 * Runs `fn` over `items`, PARALLELISM at a time. Between batches it heartbeats, which is how a
 * cancelled workflow's request reaches the activity: a cancelled activity stops before its next
 * batch (the workflow waits for that before it deletes the children, so nothing it creates after
 * the cleanup's list is left behind).
 */
async function inBatches<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  const ctx = Context.current();
  for (let i = 0; i < items.length; i += PARALLELISM) {
    if (i > 0) {
      ctx.heartbeat({ done: i });
      if (ctx.cancellationSignal.aborted) throw new CancelledFailure('the workflow cancelled this activity');
    }
    await Promise.all(items.slice(i, i + PARALLELISM).map(fn));
  }
}

/** Child Jobs carry the JobSet's name and UID, so a JobSet re-created under the same name never adopts them. */
export function childSelector(js: JobSet): string {
  const uid = js.metadata.uid;
  return `${Label.JobSetName}=${jobSetName(js)}${uid ? `,${Label.JobSetUID}=${uid}` : ''}`;
}

/** Wraps a Kubernetes error so that Temporal retries what can succeed later and stops on what cannot. */
function toFailure(what: string, err: unknown): Error {
  const message = `${what}: ${describeError(err)}`;
  return isPermanent(err)
    ? ApplicationFailure.nonRetryable(message, 'KubernetesRequestRejected')
    : ApplicationFailure.retryable(message, 'KubernetesUnavailable');
}

/** The same failure (retryable or not) with `type` naming which step of an activity failed. */
function retyped(err: unknown, type: string): ApplicationFailure {
  const message = err instanceof Error ? err.message : String(err);
  return err instanceof ApplicationFailure && err.nonRetryable ? ApplicationFailure.nonRetryable(message, type) : ApplicationFailure.retryable(message, type);
}

export function createJobSetActivities(kube: KubeClients, children: ChildCache, options: JobSetActivityOptions = {}) {
  const reportingInstance = hostname();

  async function serviceExists(js: JobSet): Promise<boolean> {
    try {
      await kube.core.readNamespacedService({ name: subdomain(js), namespace: jobSetNamespace(js) });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw toFailure('reading the headless Service', err);
    }
  }

  async function listChildJobs(js: JobSet): Promise<ObservedJob[]> {
    try {
      return (await kube.batch.listNamespacedJob({ namespace: jobSetNamespace(js), labelSelector: childSelector(js) })).items.map(toObservedJob);
    } catch (err) {
      throw toFailure('listing child Jobs', err);
    }
  }

  async function emit(js: JobSet, events: readonly JobSetEvent[], owner?: V1OwnerReference): Promise<void> {
    const namespace = jobSetNamespace(js);
    const name = jobSetName(js);
    const now = new Date();
    await inBatches(events, async (e) => {
      try {
        await kube.core.createNamespacedEvent({
          namespace,
          body: {
            metadata: { generateName: `${name}.`, namespace },
            involvedObject: {
              apiVersion: API_VERSION,
              kind: KIND,
              name,
              namespace,
              ...((owner?.uid ?? js.metadata.uid) ? { uid: owner?.uid ?? js.metadata.uid } : {}),
            },
            type: e.type,
            reason: e.reason,
            message: e.message,
            firstTimestamp: now,
            lastTimestamp: now,
            count: 1,
            source: { component: 'jobset-temporal', host: reportingInstance },
            reportingComponent: 'jobset-temporal.io/worker',
            reportingInstance,
            action: 'Reconciling',
          },
        });
      } catch (err) {
        throw toFailure(`emitting event ${e.reason}`, err);
      }
    });
  }

  const served = (namespace: string): boolean => options.namespaces === undefined || options.namespaces.includes(namespace);
  const notServedMessage = (namespace: string) =>
    `namespace "${namespace}" is not served by this worker (JOBSET_NAMESPACES: ${(options.namespaces ?? []).join(', ')})`;
  function assertServed(namespace: string): void {
    if (!served(namespace)) throw ApplicationFailure.nonRetryable(notServedMessage(namespace), NamespaceNotServedFailure);
  }

  async function createService({ jobSet: js, owner }: JobSetTarget): Promise<void> {
    try {
      await kube.core.createNamespacedService({ namespace: jobSetNamespace(js), body: buildService(js, owner ? { ownerReference: owner } : {}) });
    } catch (err) {
      if (isAlreadyExists(err)) return;
      await emit(js, [{ type: 'Warning', reason: EventReason.HeadlessServiceCreationFailed, message: describeError(err) }], owner);
      throw toFailure('creating the headless Service', err);
    }
  }

  async function createPVCs({ jobSet: js, owner }: JobSetTarget): Promise<void> {
    for (const pvc of buildPVCs(js, owner ? { ownerReference: owner } : {})) {
      try {
        await kube.core.createNamespacedPersistentVolumeClaim({ namespace: jobSetNamespace(js), body: pvc });
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        await emit(js, [{ type: 'Warning', reason: EventReason.PVCCreationFailed, message: describeError(err) }], owner);
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

  /**
   * Whether a child object is this JobSet's own: it carries the ownerReference to the JobSet
   * resource (bridge), or else the JobSet UID label. An object orphaned by `kubectl delete
   * --cascade=orphan` (the garbage collector removed its ownerReference) or someone else's object
   * of the same name is not, and is never deleted.
   */
  function ownedBy(
    js: JobSet,
    owner: V1OwnerReference | undefined,
    meta: { ownerReferences?: V1OwnerReference[]; labels?: Record<string, string> } | undefined,
  ): boolean {
    if (owner) return (meta?.ownerReferences ?? []).some((r) => r.uid === owner.uid);
    const uid = js.metadata.uid;
    return uid !== undefined && meta?.labels?.[Label.JobSetUID] === uid;
  }

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
    if (!served(namespace)) return [{ path: 'metadata.namespace', message: `Forbidden: ${notServedMessage(namespace)}` }];
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
    /**
     * The child Jobs (and whether the Service exists); returns at once when that differs from
     * what the workflow last saw, else waits until a change, cancellation or `maxWaitMs`.
     *
     * With a comparable `minResourceVersion` (every run once it has written or observed through
     * the cache) it reads the worker's shared cache (src/k8s/child-cache.ts) once that has seen
     * the version, and sends no request for the Jobs. Without one (a run recorded before the
     * cache, an API server whose versions do not compare) it lists them, and lists again after
     * each change the cache announces. A retried attempt starts over, so no change is missed
     * across retries.
     */
    async observeChildren(input: ObserveInput): Promise<ObserveResult> {
      const js = input.jobSet;
      const namespace = jobSetNamespace(js);
      const name = jobSetName(js);
      const ctx = Context.current();
      const watched = children.covers(namespace);
      let fromCache = watched && comparable(input.minResourceVersion);
      let hasService = false;
      const checkService = async () => {
        hasService =
          watched && children.hasService(namespace, subdomain(js)) ? true : fromCache && !js.spec.network.enableDNSHostnames ? false : await serviceExists(js);
      };
      const read = async (): Promise<ObserveResult & { size: number }> => {
        // A listed observation carries no version: the run lists until its next write (see
        // src/core/resource-version.ts advance), as the cache may not have reached the list yet.
        let jobs: ObservedJob[];
        let resourceVersion: string | undefined;
        if (fromCache) ({ jobs, resourceVersion } = children.jobsOf(namespace, name, js.metadata.uid));
        else [jobs] = await Promise.all([listChildJobs(js), checkService()]);
        const observation: Observation = { jobs, serviceExists: hasService };
        return {
          compact: compactObservation(js, observation),
          digest: observationDigest(observation),
          ...(comparable(resourceVersion) ? { resourceVersion } : {}),
          ...(children.signalling(namespace) ? { signalled: true as const } : {}),
          size: jobs.length,
        };
      };
      const result = ({ size: _, ...r }: ObserveResult & { size: number }): ObserveResult => r;

      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      // Listening from the start: a change the cache hears while the first read is on its way
      // (a list takes a while) is acted on as soon as the wait begins.
      let onChange: ((change: ChildChange) => void) | undefined;
      const early = new Set<ChildChange>();
      const unsubscribe = watched ? children.subscribe(namespace, name, (change) => (onChange ? onChange(change) : early.add(change))) : undefined;
      try {
        if (fromCache) {
          let timer: NodeJS.Timeout | undefined;
          const behind = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), options.cacheWaitMs ?? 30_000)));
          fromCache = !(await Promise.race([children.whenAt(namespace, input.minResourceVersion!).then(() => false), behind, ctx.cancelled]));
          clearTimeout(timer);
          if (!fromCache)
            ctx.log.warn("the child cache has not reached the run's version; listing instead", { namespace, minResourceVersion: input.minResourceVersion });
          else await checkService();
        }
        const first = await read();
        if (first.digest !== input.lastDigest) return result(first);

        return await new Promise<ObserveResult>((resolve, reject) => {
          let settled = false;
          let firstChange: number | undefined;
          let quiet: NodeJS.Timeout | undefined;
          let size = first.size;
          let serviceChanged = false;
          const finish = (fn: () => void) => {
            if (settled) return;
            settled = true;
            clearTimeout(deadline);
            clearTimeout(quiet);
            fn();
          };
          // Ends the wait with p's outcome; p's rejection is handled here, so nothing floats.
          const settle = (p: Promise<ObserveResult | undefined>): void =>
            void p.then(
              (r) => r && finish(() => resolve(r)),
              (err: unknown) => finish(() => reject(err)),
            );
          // Periodic re-check of what the cache may not cover (a Service it does not label); a
          // listing read checks the Service itself.
          const deadline = setTimeout(() => settle((fromCache ? checkService() : Promise.resolve()).then(async () => result(await read()))), input.maxWaitMs);
          ctx.cancelled.catch((err: unknown) => finish(() => reject(err)));
          onChange = (change) => {
            if (settled) return;
            serviceChanged ||= change === 'service';
            // Hand a change over once the burst it belongs to is over (thousands of Jobs becoming
            // ready one event at a time make one pass, not thousands), but no later than
            // batchMaxMs after the first change.
            firstChange ??= Date.now();
            clearTimeout(quiet);
            const wait = Math.max(0, Math.min(BATCH_QUIET_MS, firstChange + batchMaxMs(size) - Date.now()));
            quiet = setTimeout(() => {
              const check = async () => {
                if (serviceChanged && fromCache) await checkService();
                serviceChanged = false;
                const now = await read();
                size = now.size;
                if (now.digest !== input.lastDigest) return result(now);
                firstChange = undefined;
                return undefined;
              };
              settle(check());
            }, wait);
          };
          for (const change of early) onChange(change);
        });
      } finally {
        clearInterval(beat);
        unsubscribe?.();
      }
    },

    /** Creates the headless Service unless it exists (upstream never updates or adopts one). */
    async ensureService(input: JobSetTarget): Promise<Written> {
      assertServed(jobSetNamespace(input.jobSet));
      await assertOwnerExists(input.jobSet, input.owner);
      await createService(input);
      return {};
    },

    /** Creates the PVCs of spec.volumeClaimPolicies that do not exist yet. */
    async ensurePVCs(input: JobSetTarget): Promise<Written> {
      assertServed(jobSetNamespace(input.jobSet));
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
      assertServed(namespace);
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
        await emit(js, [{ type: 'Warning', reason: EventReason.JobCreationFailed, message: errors.join('; ') }], input.owner);
        const message = `creating child Jobs failed: ${errors.join('; ')}`;
        throw permanent
          ? ApplicationFailure.nonRetryable(message, EventReason.JobCreationFailed)
          : ApplicationFailure.retryable(message, EventReason.JobCreationFailed);
      }
      return versions.written();
    },

    /** Deletes Jobs with foreground propagation: the Job object stays until its pods are gone. */
    async deleteJobs(input: JobNamesInput): Promise<Written> {
      assertServed(input.namespace);
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
      assertServed(input.namespace);
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
      assertServed(namespace);
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
        await emit(js, [{ type: 'Warning', reason: EventReason.JobResumptionFailed, message }], input.owner);
        throw permanent
          ? ApplicationFailure.nonRetryable(message, EventReason.JobResumptionFailed)
          : ApplicationFailure.retryable(message, EventReason.JobResumptionFailed);
      }
      return versions.written();
    },

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

    /**
     * Writes the status to the JobSet custom resource's status subresource (JobSets that came
     * through the bridge). A server-side apply of the whole status under the worker's field
     * manager: it never conflicts, and since status.conditions is a list-map keyed by type, the
     * conditions the bridge applies under its own manager (UpdateRejected) are kept. A resource
     * that is gone is not an error: the bridge cancels its workflow.
     */
    async writeStatus(input: JobSetTarget & { status: JobSetStatus }): Promise<void> {
      const js = input.jobSet;
      const namespace = jobSetNamespace(js);
      const name = jobSetName(js);
      try {
        // Only onto the resource this workflow belongs to: after a delete and re-create under the
        // same name, the old workflow (until the bridge has cancelled it) must not write onto the
        // new resource. Apply cannot carry a UID precondition, hence the read.
        if (input.owner) {
          const current = (await kube.custom.getNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace, plural: PLURAL, name })) as {
            metadata?: { uid?: string };
          };
          if (current.metadata?.uid !== input.owner.uid) return;
        }
        await kube.custom.patchNamespacedCustomObjectStatus(
          {
            group: GROUP,
            version: VERSION,
            namespace,
            plural: PLURAL,
            name,
            body: { apiVersion: API_VERSION, kind: KIND, metadata: { name, namespace }, status: input.status },
            fieldManager: WorkerFieldManager,
            force: true,
          },
          setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
        );
      } catch (err) {
        if (!isNotFound(err)) throw toFailure('writing the JobSet status', err);
      }
    },

    /** Emits Kubernetes Events about the JobSet (after the status they explain is published). */
    async emitEvents(input: JobSetTarget & { events: JobSetEvent[] }): Promise<void> {
      await emit(input.jobSet, input.events, input.owner);
      options.metrics?.jobSetEvents(jobSetNamespace(input.jobSet), input.events);
    },

    /**
     * Deletes every child object that is this JobSet's own (Jobs, the Service, PVCs whose policy
     * says Delete; see ownedBy) and waits until none of its Jobs is left. Used when the JobSet is
     * deleted and when its TTL expires. Objects it does not own are left alone: Jobs orphaned by
     * `kubectl delete --cascade=orphan`, a user's Service or claim of the same name.
     */
    async deleteChildren(input: JobSetTarget): Promise<void> {
      const js = input.jobSet;
      const namespace = jobSetNamespace(js);
      assertServed(namespace);
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

export type JobSetActivities = ReturnType<typeof createJobSetActivities>;
