// The stack check's workflow, registered by test/integration/stack.test.ts only (not by the worker).
import { proxyActivities } from '@temporalio/workflow';

import type { createStackCheckActivities, ProbeJobInput, ProbeJobResult } from './activities.js';

const { runProbeJob } = proxyActivities<ReturnType<typeof createStackCheckActivities>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
});

/** Proves the whole stack: Temporal schedules an activity that drives the real Job controller. */
export async function stackCheckWorkflow(input: ProbeJobInput): Promise<ProbeJobResult> {
  return runProbeJob(input);
}
