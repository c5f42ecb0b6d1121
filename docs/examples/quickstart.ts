// Submit a JobSet from TypeScript, follow its progress, and delete it again.
//   npx tsx docs/examples/quickstart.ts
// Settings from the environment: TEMPORAL_ADDRESS (127.0.0.1:7233), JOBSET_TASK_QUEUE (jobset),
// JOBSET_NAMESPACE (default). A worker must be running (`npx jobset worker`).
import { readFileSync } from 'node:fs';

import { JobSetClient, JobSetFailedError } from 'jobset-temporal';

const namespace = process.env.JOBSET_NAMESPACE ?? 'default';
const jobsets = await JobSetClient.connect({
  address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
  taskQueue: process.env.JOBSET_TASK_QUEUE ?? 'jobset',
});
try {
  // Parsed, defaulted and validated locally: a bad file throws JobSetValidationError naming the field.
  const { jobSet, created } = await jobsets.submit(readFileSync('examples/simple/pytorch.yaml', 'utf8'), { namespace });
  const name = jobSet.metadata.name as string;
  console.log(`${name}: ${created ? 'created' : 'already submitted'}`);

  for await (const status of jobsets.watch(namespace, name)) {
    const jobs = status.replicatedJobsStatus.map((r) => `${r.name} ${r.succeeded} succeeded`).join(', ');
    console.log(`  ${status.terminalState || 'running'}: ${jobs || 'starting'}`);
  }
  const status = await jobsets.wait(namespace, name, { for: 'Completed', timeoutMs: 60_000 });
  console.log(`${name}: ${status.terminalState}, restarts ${status.restarts}`);

  // Like a Kubernetes object, a finished JobSet stays (with its Jobs) until it is deleted.
  await jobsets.delete(namespace, name);
} catch (err) {
  if (!(err instanceof JobSetFailedError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await jobsets.close();
}
