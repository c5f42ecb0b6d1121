// Admission of a JobSet run, the parts that need no state of the run: the refusal a client reads
// (the `admitted` Update and the run's failure), the server-side dry run of the child Jobs, the
// Failed status and Event of a JobSet the dry run refused, and the UID a JobSet without one gets.
// Deterministic code only: bundled into the workflow sandbox with workflows/jobset.ts.
import type { V1OwnerReference } from '@kubernetes/client-node';
import { ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';

import { EventReason } from '../src/api/constants.js';
import { formatIssue, type FieldIssue } from '../src/api/errors.js';
import type { JobSet, JobSetStatus } from '../src/api/schema.js';
import { markFailed, StatusDraft } from '../src/core/conditions.js';
import { InvalidJobSetFailure } from './contract.js';
import { CHILD_UID_PATCH } from './patches.js';
import { act, actionFailure } from './proxies.js';

/** The workflow's refusal of a JobSet at admission: the field issues as the failure's detail. */
export function refusal(issues: readonly FieldIssue[]): ApplicationFailure {
  const lines = issues.length > 0 ? issues.map(formatIssue) : ['metadata.name: Required value'];
  return ApplicationFailure.create({ type: InvalidJobSetFailure, message: `invalid JobSet:\n${lines.join('\n')}`, nonRetryable: true, details: [issues] });
}

/**
 * Admission's server-side dry run of one Job per replicated job: a spec the API server refuses
 * (a pod template it finds invalid) fails the JobSet with its field paths before anything is
 * created. Only the first run of a JobSet does it: later runs continue one that passed.
 */
export async function dryRun(target: { jobSet: JobSet; owner?: V1OwnerReference }): Promise<FieldIssue[]> {
  try {
    return await act.dryRunJobs.executeWithOptions({ summary: 'admission: dry run of the child Jobs' }, [target]);
  } catch (err) {
    actionFailure(err, 'DryRunFailed');
    // The API server could not answer: not the spec's fault; creation retries as usual.
    return [];
  }
}

/** The status and the Event of a JobSet the API server's dry run refused: Failed, ValidationFailed. */
export function refusedAtDryRun(
  status: JobSetStatus,
  issues: readonly FieldIssue[],
  now: string,
): { status: JobSetStatus; event: { type: 'Warning'; reason: string; message: string } } {
  const draft = new StatusDraft(status, now);
  markFailed(draft, EventReason.ValidationFailed, `invalid JobSet: ${issues.map(formatIssue).join('; ')}`);
  const message = `invalid JobSet: ${issues.map(formatIssue).join('; ')}`.slice(0, 1024);
  return { status: draft.status, event: { type: 'Warning', reason: EventReason.ValidationFailed, message } };
}

/**
 * Child Jobs are selected by name and UID, so a JobSet started without one (e.g. by `temporal
 * workflow start`) gets its run's ID: it never adopts a namesake's Jobs. Runs started before
 * CHILD_UID_PATCH replay without it.
 */
export function withUid(js: JobSet): JobSet {
  if (!js.metadata.uid && patched(CHILD_UID_PATCH)) return { ...js, metadata: { ...js.metadata, uid: workflowInfo().firstExecutionRunId } };
  return js;
}
