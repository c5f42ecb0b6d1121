// Starting a JobSet's workflow for `submit`: its search attributes, summary and details, and its
// admission verdict awaited in the same request when a worker is there to give it. Whether a
// worker polls a task queue is asked here, and by `list` before it queries runs.
import { WorkflowUpdateFailedError, WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

import { JobSetValidationError, ROOT_PATH, type FieldIssue } from '../api/errors.js';
import type { JobSet } from '../api/schema.js';
import { startDetails, startSummary } from '../core/summary.js';
import type { jobSetWorkflow } from '../../workflows/jobset.js';
import { admittedUpdate, InvalidJobSetFailure, JobSetNameKey, JobSetNamespaceKey, JobSetStateKey, workflowId, WorkflowType } from '../../workflows/contract.js';

/** Whether a worker polled the task queue for workflow tasks lately (the server remembers pollers for a few minutes). */
export async function hasWorkflowPoller(client: Client, taskQueue: string): Promise<boolean> {
  const response = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
  });
  return (response.pollers?.length ?? 0) > 0;
}

/**
 * Starts the JobSet's workflow and, when a worker is there to answer, waits for its admission
 * verdict in the same request (Update-with-start): a JobSet whose Jobs the API server refuses
 * in the workflow's dry run fails here with the field paths, and nothing is created. Without a
 * worker polling the task queue the run is only started; it is admitted (or refused, then
 * `get` shows it Failed) once a worker comes.
 */
export async function startJobSet(client: Client, taskQueue: string, jobSet: JobSet): Promise<string> {
  const namespace = jobSet.metadata.namespace as string;
  const name = jobSet.metadata.name as string;
  const options = {
    taskQueue,
    workflowId: workflowId(namespace, name),
    args: [{ jobSet }] as [{ jobSet: JobSet }],
    typedSearchAttributes: [
      { key: JobSetNamespaceKey, value: namespace },
      { key: JobSetNameKey, value: name },
      { key: JobSetStateKey, value: jobSet.spec.suspend ? 'Suspended' : 'Running' },
    ],
    staticSummary: startSummary(jobSet),
    staticDetails: startDetails(jobSet),
  };
  if (!(await hasWorkflowPoller(client, taskQueue))) {
    return (await client.workflow.start<typeof jobSetWorkflow>(WorkflowType.JobSet, options)).firstExecutionRunId;
  }
  const operation = new WithStartWorkflowOperation<typeof jobSetWorkflow>(WorkflowType.JobSet, { ...options, workflowIdConflictPolicy: 'FAIL' });
  try {
    const update = await client.workflow.startUpdateWithStart(admittedUpdate, { startWorkflowOperation: operation, waitForStage: 'ACCEPTED' });
    await update.result();
    if (update.workflowRunId) return update.workflowRunId;
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === InvalidJobSetFailure) {
      throw new JobSetValidationError((cause.details?.[0] as FieldIssue[] | undefined) ?? [{ path: ROOT_PATH, message: cause.message }]);
    }
    throw err;
  }
  return (await (await operation.workflowHandle()).describe()).runId;
}
