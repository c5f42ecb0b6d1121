// Queries, Updates and the signal of the JobSet workflow, declared once and imported by the
// workflow and by every client (SDK, CLI, bridge, the worker's child signals) so the two sides
// cannot drift.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

import type { JobSet, JobSetStatus } from '../src/api/schema.js';
import type { ResumeRequest, SuspendRequest } from '../src/api/updates.js';

/**
 * What a finished run leaves in its history: the JobSet as it ran (spec after suspend/resume
 * changes) with its final status. The workflow returns it, and a failed JobSet's failure carries
 * it as its only detail, so clients read a finished JobSet from history without a worker.
 */
export type FinishedJobSet = JobSet & { status: JobSetStatus };

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
