// The contract of the JobSet workflows, declared once: workflow types, the workflow ID, memo and
// search attribute keys, queries, Updates, the signal and the failure types. The workflows, the
// worker, every client (SDK, CLI, bridge) and the tests import it, so the sides cannot drift; the
// Python SDK reads the same values from clients/python/src/jobset_temporal/_contract.py, generated
// from this module (`npm run gen:contract`, checked by a unit test).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

import type { JobSet, JobSetStatus } from '../src/api/schema.js';
import type { ResumeRequest, SuspendRequest } from '../src/api/updates.js';

/**
 * What a finished run leaves in its history: the JobSet as it ran (spec after suspend/resume
 * changes) with its final status. The workflow returns it, and a failed JobSet's failure carries
 * it as its only detail, so clients read a finished JobSet from history without a worker.
 */
export type FinishedJobSet = JobSet & { status: JobSetStatus };

/** Workflow type names, as the worker registers them (workflows/index.ts). */
export const WorkflowType = {
  JobSet: 'jobSetWorkflow',
  Cleanup: 'jobSetCleanupWorkflow',
} as const;

/** Every JobSet workflow ID starts with this; the rest is `<namespace>/<name>`. */
export const WorkflowIdPrefix = 'jobset/';

/** The Temporal workflow ID of a JobSet: one live workflow per namespace/name. */
export function workflowId(namespace: string, name: string): string {
  return `${WorkflowIdPrefix}${namespace}/${name}`;
}

/**
 * The namespace and name of a JobSet workflow ID, or undefined for any other ID. Neither a
 * namespace nor a JobSet name may hold a `/`, so the first one after the prefix separates them.
 */
export function parseWorkflowId(id: string): { namespace: string; name: string } | undefined {
  if (!id.startsWith(WorkflowIdPrefix)) return undefined;
  const rest = id.slice(WorkflowIdPrefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1 || rest.indexOf('/', slash + 1) !== -1) return undefined;
  return { namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

/** Memo of a workflow the bridge started: the UID of its JobSet resource. */
export const ResourceUidMemo = 'jobset-temporal.io/resource-uid';

// Custom search attributes of JobSet workflows (registered by deploy/local/temporal.sh), so the
// Temporal UI and `temporal workflow list --query 'JobSetState="Failed"'` can find JobSets.
export const JobSetNamespaceKey = defineSearchAttributeKey('JobSetNamespace', SearchAttributeType.KEYWORD);
export const JobSetNameKey = defineSearchAttributeKey('JobSetName', SearchAttributeType.KEYWORD);
export const JobSetStateKey = defineSearchAttributeKey('JobSetState', SearchAttributeType.KEYWORD);
export const JobSetRestartsKey = defineSearchAttributeKey('JobSetRestarts', SearchAttributeType.INT);

/** The upstream JobSet status object. */
export const statusQuery = defineQuery<JobSetStatus>('status');
/** The JobSet as the workflow currently runs it (spec after suspend/resume changes). */
export const jobSetQuery = defineQuery<JobSet>('jobSet');
/**
 * Suspend the JobSet (argument `{}`; clients in other languages may omit it); returns the status once the child Jobs have been told to suspend. */
export const suspendUpdate = defineUpdate<JobSetStatus, [SuspendRequest]>('suspend');
/** Resume the JobSet, optionally changing pod-template scheduling fields; returns the status. */
export const resumeUpdate = defineUpdate<JobSetStatus, [ResumeRequest]>('resume');
/**
 * The workflow's admission verdict: returns the status once the JobSet passed admission (schema,
 * create validation and the API server's dry run of its Jobs), or fails with `InvalidJobSet`
 * (the field issues as its detail) when it did not. Clients send it with the start
 * (Update-with-start), so `submit` of a spec the cluster refuses fails at once and creates nothing.
 */
export const admittedUpdate = defineUpdate<JobSetStatus, []>('admitted');

/**
 * The JobSet's child Jobs or headless Service changed (sent by the workers' child caches,
 * worker/child-signals.ts): a run waiting for its children to change observes them again.
 */
export const childrenChangedSignal = defineSignal<[]>('childrenChanged');

/** Failure type of a run that refused its JobSet at admission; its only detail is the FieldIssue list. */
export const InvalidJobSetFailure = 'InvalidJobSet';
/** Failure type of a run whose JobSet failed; its only detail is the FinishedJobSet. */
export const JobSetFailedFailure = 'JobSetFailed';
/**
 * Failure type of a run that found its JobSet resource deleted (it was deleted while the bridge
 * was down): the run deletes the children it owns and ends, creating nothing more.
 */
export const OwnerDeletedFailure = 'JobSetResourceDeleted';
