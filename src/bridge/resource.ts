// What the bridge decides about one JobSet custom resource, as pure functions: whether it is ours,
// the JobSet its workflow runs, and what a spec change means for the running workflow (suspend,
// resume with the new scheduling fields, nothing, or a refusal naming the fields).
import type { V1OwnerReference } from '@kubernetes/client-node';

import { API_VERSION, BridgeControllerName, ConditionType, KIND } from '../api/constants.js';
import type { FieldIssue } from '../api/errors.js';
import { safeParseJobSet } from '../api/parse.js';
import type { Condition, JobSet, JobSetStatus } from '../api/schema.js';
import { diffPaths, normalize } from '../api/semantic-equal.js';
import type { PodTemplatePatch, ResumeRequest } from '../api/updates.js';
import { validateUpdate } from '../api/validate-update.js';

/** A JobSet resource as the API server returns it (custom objects are plain JSON). */
export interface JobSetResource {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    finalizers?: string[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown> & { managedBy?: string; suspend?: boolean; ttlSecondsAfterFinished?: number };
  status?: Partial<JobSetStatus>;
}

/** Reasons and condition types the bridge itself writes (not upstream's: there is no upstream equivalent). */
export const BridgeReason = {
  /** Failed=True on a resource that create validation refuses; nothing is created for it. */
  ValidationFailed: 'ValidationFailed',
  /** A spec change that the running workflow cannot take (immutable field, or not changeable here). */
  UpdateRejected: 'UpdateRejected',
  WorkflowStarted: 'WorkflowStarted',
  /** The workflow ID is taken by a JobSet that was not started by the bridge. */
  WorkflowIDInUse: 'WorkflowIDInUse',
} as const;

/** Condition type of a refused spec change; the bridge owns it (the workflow owns every upstream type). */
export const UpdateRejectedCondition = 'UpdateRejected';

/** kubectl's copy of the whole applied object: large, and no concern of the workflow. */
const LastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/** Message of a change that is valid upstream but cannot reach a running workflow. */
export const NotChangeableMessage = 'cannot be changed while the JobSet runs (only spec.suspend and, while suspended, pod-template scheduling fields can)';

export const resourceKey = (r: Pick<JobSetResource, 'metadata'>): string => `${r.metadata.namespace ?? ''}/${r.metadata.name ?? ''}`;

/**
 * The bridge's resources: spec.managedBy names the bridge, or (with adoptUnmanaged, for clusters
 * without the upstream controller) is unset. A resource managed by anything else is never touched.
 */
export function isManagedByBridge(r: JobSetResource, adoptUnmanaged: boolean): boolean {
  const managedBy = r.spec?.managedBy;
  if (managedBy === BridgeControllerName) return true;
  return adoptUnmanaged && (managedBy === undefined || managedBy === '');
}

/** The ownerReference child Jobs, the Service and PVCs carry, so the garbage collector can clean up. */
export function ownerReference(r: JobSetResource): V1OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    name: r.metadata.name ?? '',
    uid: r.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** True once the resource's status says it is finished (by its workflow, or refused by the bridge). */
export function isFinished(r: JobSetResource): boolean {
  return r.status?.terminalState === 'Completed' || r.status?.terminalState === 'Failed';
}

export type AdmitResult = { ok: true; jobSet: JobSet } | { ok: false; issues: FieldIssue[] };

/**
 * The JobSet its workflow runs: the resource's identity (name, namespace, UID: a re-created
 * resource is a new JobSet), labels, annotations and spec, defaulted and validated by src/api
 * exactly as the CLI and the SDK do.
 */
export function admitResource(r: JobSetResource): AdmitResult {
  const { name, namespace, uid, labels } = r.metadata;
  const annotations = r.metadata.annotations ? { ...r.metadata.annotations } : undefined;
  if (annotations) delete annotations[LastApplied];
  const input = {
    apiVersion: r.apiVersion ?? API_VERSION,
    kind: r.kind ?? KIND,
    metadata: {
      name,
      namespace,
      uid,
      ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: r.spec ?? {},
  };
  const parsed = safeParseJobSet(input);
  return parsed.success ? { ok: true, jobSet: parsed.data } : { ok: false, issues: parsed.issues };
}

/** `path: message; path: message` for a condition or Event message. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/** What a spec change asks of the running workflow. */
export type SpecChange = { kind: 'none' } | { kind: 'suspend' } | { kind: 'resume'; request: ResumeRequest } | { kind: 'reject'; issues: FieldIssue[] };

/** The pod-template scheduling fields of every rjob, for the resume Update (empty = cleared). */
export function resumeRequest(desired: JobSet): ResumeRequest {
  const podTemplates: Record<string, PodTemplatePatch> = {};
  for (const rjob of desired.spec.replicatedJobs) {
    const pod = rjob.template.spec.template;
    podTemplates[rjob.name] = {
      labels: pod.metadata?.labels ?? {},
      annotations: pod.metadata?.annotations ?? {},
      nodeSelector: pod.spec?.nodeSelector ?? {},
      tolerations: (pod.spec?.tolerations ?? []) as PodTemplatePatch['tolerations'],
      schedulingGates: (pod.spec?.schedulingGates ?? []).map((g) => ({ name: g.name ?? '' })),
    };
  }
  return { podTemplates };
}

/**
 * Compares the JobSet the workflow runs with the resource's. Upstream's update validation decides
 * what may change (validateUpdate); of what it allows, the workflow takes spec.suspend (suspend and
 * resume Updates) and, with a resume, the scheduling fields. Other allowed changes
 * (ttlSecondsAfterFinished, coordinator, adding a policy) cannot reach a running workflow and are
 * refused as well, rather than shown in the resource but silently not in effect.
 * A refused change is refused whole: a suspend in the same edit is not applied either.
 */
export function planSpecChange(running: JobSet, desired: JobSet): SpecChange {
  const issues = validateUpdate(running, desired);
  const rest = (js: JobSet) => {
    const { suspend: _suspend, replicatedJobs: _rjobs, ...others } = js.spec;
    return normalize(others);
  };
  const covered = (path: string) => issues.some((i) => path === i.path || path.startsWith(`${i.path}.`) || path.startsWith(`${i.path}[`));
  for (const path of diffPaths(rest(running), rest(desired), ['spec'])) {
    if (!covered(path)) issues.push({ path, message: NotChangeableMessage });
  }
  if (issues.length > 0) return { kind: 'reject', issues };
  const wasSuspended = running.spec.suspend === true;
  const suspended = desired.spec.suspend === true;
  if (suspended && !wasSuspended) return { kind: 'suspend' };
  if (!suspended && wasSuspended) return { kind: 'resume', request: resumeRequest(desired) };
  // Both suspended: scheduling-field edits wait for the resume that carries them.
  return { kind: 'none' };
}

/** The condition of the given type on the resource, if any. */
export function conditionOf(r: JobSetResource, type: string): Condition | undefined {
  return r.status?.conditions?.find((c) => c.type === type);
}

/**
 * When the resource's TTL after finishing has run out (ms since the epoch), or undefined when it
 * has none or is not finished. Measured from the Completed/Failed condition, as upstream.
 */
export function ttlExpiry(r: JobSetResource): number | undefined {
  const ttl = r.spec?.ttlSecondsAfterFinished;
  if (typeof ttl !== 'number' || !isFinished(r)) return undefined;
  const finished = r.status?.conditions?.find((c) => (c.type === ConditionType.Completed || c.type === ConditionType.Failed) && c.status === 'True');
  const at = finished ? Date.parse(finished.lastTransitionTime) : NaN;
  return Number.isNaN(at) ? undefined : at + ttl * 1000;
}
