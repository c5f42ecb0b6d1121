// What every JobSet activity module shares (no activity is defined here): the clients and options
// they run over, the namespace allow-list, batching with heartbeats (how cancellation reaches an
// activity), the mapping of Kubernetes errors to Temporal failures, and which child objects are a
// JobSet's own. The promise of the activities (activities/jobset.ts) rests on these: requests are
// classified here so that a retry is only asked for where it can succeed.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { V1OwnerReference } from '@kubernetes/client-node';

import { Label } from '../src/api/constants.js';
import type { JobSet } from '../src/api/schema.js';
import { jobSetName } from '../src/core/naming.js';
import type { JobSetEvent } from '../src/core/types.js';
import type { ChildCache } from '../src/k8s/child-cache.js';
import type { KubeClients } from '../src/k8s/client.js';
import { describeError, isPermanent } from '../src/k8s/errors.js';

/** Identifies the JobSet whose children an activity works on. */
export interface JobSetTarget {
  jobSet: JobSet;
  /** Owner reference to the JobSet custom resource, when the JobSet came through the bridge. */
  owner?: V1OwnerReference;
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

/** What the activity modules are built over: one per worker (activities/jobset.ts createJobSetActivities). */
export interface ActivityEnv {
  kube: KubeClients;
  /** The worker's cache of child Jobs and Services, started and stopped by its owner. */
  children: ChildCache;
  options: JobSetActivityOptions;
  /** This worker's host name: the reporting instance of the Events it records. */
  reportingInstance: string;
}

/** Failure type of an activity asked to act in a namespace the worker does not serve. */
export const NamespaceNotServedFailure = 'NamespaceNotServed';

/** Upstream creates and deletes child Jobs 50 at a time (const.MaxParallelism). */
const PARALLELISM = 50;

/**
 * Runs `fn` over `items`, PARALLELISM at a time. Between batches it heartbeats, which is how a
 * cancelled workflow's request reaches the activity: a cancelled activity stops before its next
 * batch (the workflow waits for that before it deletes the children, so nothing it creates after
 * the cleanup's list is left behind).
 */
export async function inBatches<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
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
export function toFailure(what: string, err: unknown): Error {
  const message = `${what}: ${describeError(err)}`;
  return isPermanent(err)
    ? ApplicationFailure.nonRetryable(message, 'KubernetesRequestRejected')
    : ApplicationFailure.retryable(message, 'KubernetesUnavailable');
}

export const served = (env: ActivityEnv, namespace: string): boolean => env.options.namespaces === undefined || env.options.namespaces.includes(namespace);
export const notServedMessage = (env: ActivityEnv, namespace: string) =>
  `namespace "${namespace}" is not served by this worker (JOBSET_NAMESPACES: ${(env.options.namespaces ?? []).join(', ')})`;
export function assertServed(env: ActivityEnv, namespace: string): void {
  if (!served(env, namespace)) throw ApplicationFailure.nonRetryable(notServedMessage(env, namespace), NamespaceNotServedFailure);
}

/**
 * Whether a child object is this JobSet's own: it carries the ownerReference to the JobSet
 * resource (bridge), or else the JobSet UID label. An object orphaned by `kubectl delete
 * --cascade=orphan` (the garbage collector removed its ownerReference) or someone else's object
 * of the same name is not, and is never deleted.
 */
export function ownedBy(
  js: JobSet,
  owner: V1OwnerReference | undefined,
  meta: { ownerReferences?: V1OwnerReference[]; labels?: Record<string, string> } | undefined,
): boolean {
  if (owner) return (meta?.ownerReferences ?? []).some((r) => r.uid === owner.uid);
  const uid = js.metadata.uid;
  return uid !== undefined && meta?.labels?.[Label.JobSetUID] === uid;
}
