// Deleting a JobSet whose workflow has already finished: a short workflow started under the
// JobSet's own workflow ID (so it is the latest run under that ID, which is what marks the JobSet
// as deleted) that removes every child object and waits until no child Job is left.
// A running JobSet is deleted by cancelling its workflow instead; its own cleanup does the same.
import type { V1OwnerReference } from '@kubernetes/client-node';
import { proxyActivities } from '@temporalio/workflow';

import type { JobSetActivities } from '../activities/jobset.js';
import type { JobSet } from '../src/api/schema.js';
import { jobSetName, jobSetNamespace } from '../src/core/naming.js';

export interface JobSetCleanupInput {
  /** The JobSet as its workflow last ran it: name, UID and spec select its child objects. */
  jobSet: JobSet;
  owner?: V1OwnerReference;
}

// Kubernetes errors are retried for as long as it takes, as in the JobSet workflow.
const options = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s' },
} as const;
const { deleteChildren } = proxyActivities<JobSetActivities>(options);

export async function jobSetCleanupWorkflow(input: JobSetCleanupInput): Promise<void> {
  // The JobSet as the client read it: defaulted when its workflow ran it, raw from the workflow's
  // input when that workflow refused it. A JobSet that does not even parse was refused before
  // anything was created, so there is nothing to delete.
  const { jobSetSchema } = await import(/* webpackMode: "eager" */ '../src/api/schema.js');
  const parsed = jobSetSchema.safeParse(input.jobSet);
  if (!parsed.success || !parsed.data.metadata.name) return;
  const js = parsed.data;
  await deleteChildren.executeWithOptions({ ...options, summary: `JobSet ${jobSetNamespace(js)}/${jobSetName(js)} deleted: delete child objects` }, [
    input.owner ? { jobSet: js, owner: input.owner } : { jobSet: js },
  ]);
}
