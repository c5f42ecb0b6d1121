// One small JobSet run to the end before anything is timed: the worker's first workflow task
// loads the bundled workflow code into a fresh V8 isolate, and its first activities open their
// connections to the API server. Without this, the first figure measured pays for both.
import type { Client } from '@temporalio/client';

import { jobSetWorkflow } from '../workflows/jobset.js';
import { createNamespace, deleteNamespace, jobSet, podTemplate } from './lib.js';
import { workflowId } from '../workflows/contract.js';

export async function warmUp(client: Client, taskQueue: string): Promise<void> {
  const ns = await createNamespace('bench-warmup');
  try {
    const js = jobSet(ns, {
      metadata: { name: 'warmup' },
      spec: { replicatedJobs: [{ name: 'w', replicas: 2, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '1s' }) } } }] },
    });
    const handle = await client.workflow.start(jobSetWorkflow, { taskQueue, workflowId: workflowId(ns, 'warmup'), args: [{ jobSet: js }] });
    await handle.result();
  } finally {
    await deleteNamespace(ns);
  }
}
