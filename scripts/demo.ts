// The demo behind `npm run demo` (run by scripts/demo.sh once the local environment is up):
// starts a worker in this process, submits the PyTorch-style example and follows it until it
// completes, then one whose leader keeps failing (RestartJobSet, maxRestarts 2) until it fails,
// and prints both final states. Exit status 0 only when both end as expected.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { inspect } from 'node:util';

import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';

import type { JobSetStatus } from '../src/api/schema.js';
import { JobSetClient, JobSetNotFoundError } from '../src/client/index.js';
import { finalLine, progressLines } from '../src/cli/render.js';
import { loadKubeConfig, makeKubeClients } from '../src/k8s/client.js';
import { isAlreadyExists, isNotFound } from '../src/k8s/errors.js';
import { loadWorkerConfig } from '../worker/config.js';
import { createWorker } from '../worker/worker.js';

const NAMESPACE = process.env.JOBSET_DEMO_NAMESPACE ?? 'jobset-demo';
const TASK_QUEUE = process.env.JOBSET_DEMO_TASK_QUEUE ?? 'jobset-demo';
const UI = 'http://127.0.0.1:8233';

interface Scenario {
  title: string;
  file: string;
  expect: { terminalState: 'Completed' | 'Failed'; reason: string; restarts: number };
}

const scenarios: Scenario[] = [
  {
    title: 'PyTorch-style training: a leader and 3 workers that reach it through the headless Service',
    file: 'examples/simple/pytorch.yaml',
    expect: { terminalState: 'Completed', reason: 'AllJobsCompleted', restarts: 0 },
  },
  {
    title: 'A leader that fails in every attempt: RestartJobSet twice (maxRestarts 2), then Failed',
    file: 'examples/failure-policy/restartjobset-action.yaml',
    expect: { terminalState: 'Failed', reason: 'ReachedMaxRestarts', restarts: 2 },
  },
];

const root = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates the demo namespace unless it exists, and waits until pods can be created in it. */
async function ensureNamespace(name: string): Promise<void> {
  const kube = makeKubeClients(loadKubeConfig(process.env.KUBECONFIG));
  try {
    await kube.core.createNamespace({ body: { metadata: { name } } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  for (let i = 0; ; i++) {
    try {
      await kube.core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      return;
    } catch (err) {
      if (!isNotFound(err) || i > 300) throw err;
      await sleep(200);
    }
  }
}

/** Submits one example, prints progress until it finishes, and says whether it ended as expected. */
async function play(client: JobSetClient, scenario: Scenario): Promise<{ ok: boolean; line: string; workflowId: string }> {
  console.log(`\n== ${scenario.title}\n   jobset submit -f ${scenario.file} -n ${NAMESPACE}`);
  const submitted = await client.submit(readFileSync(`${root}/${scenario.file}`, 'utf8'), { namespace: NAMESPACE });
  const name = submitted.jobSet.metadata.name as string;
  let previous: JobSetStatus | undefined;
  for await (const status of client.watch(NAMESPACE, name, { intervalMs: 500 })) {
    const { jobSet } = await client.get(NAMESPACE, name);
    for (const line of progressLines(jobSet, status, previous)) console.log(line);
    previous = status;
  }
  const final = previous as JobSetStatus;
  const reason = final.conditions.find((c) => c.type === final.terminalState && c.status === 'True')?.reason;
  const ok = final.terminalState === scenario.expect.terminalState && reason === scenario.expect.reason && final.restarts === scenario.expect.restarts;
  const line = finalLine(submitted.jobSet, final);
  const expected = `expected ${scenario.expect.terminalState} (${scenario.expect.reason}), restarts ${scenario.expect.restarts}`;
  console.log(`${ok ? 'OK  ' : 'FAIL'} ${line}${ok ? '' : `; ${expected}`}`);
  return { ok, line, workflowId: submitted.workflowId };
}

/**
 * Worker log lines at WARN and above, except "Workflow failed" for a JobSet that failed: that is
 * the outcome the second scenario shows, not a problem (the workflow fails with JobSetFailed).
 */
function demoLog(entry: LogEntry): void {
  // The failure crosses a thread boundary as a plain Error: recognise it by its message.
  const error = entry.meta?.error as Error | undefined;
  if (entry.message === 'Workflow failed' && entry.meta?.workflowType === 'jobSetWorkflow' && /^JobSet \S+ failed: /.test(error?.message ?? '')) return;
  const meta = entry.meta && Object.keys(entry.meta).length > 0 ? ` ${inspect(entry.meta, { depth: 3 })}` : '';
  console.error(`[${entry.level}] ${entry.message}${meta}`);
}

async function main(): Promise<number> {
  Runtime.install({ logger: new DefaultLogger('WARN', demoLog) });
  const config = loadWorkerConfig({ ...process.env, JOBSET_TASK_QUEUE: TASK_QUEUE });
  console.log(`worker: task queue ${TASK_QUEUE} on ${config.TEMPORAL_ADDRESS}; JobSets in Kubernetes namespace ${NAMESPACE}`);
  const { worker, run } = await createWorker(config);
  let finished = false;
  const running = run().then(() => {
    // Ctrl-C: the SDK stops the worker on SIGINT; nothing can progress without it.
    if (!finished) {
      console.error('worker stopped: demo interrupted');
      process.exit(130);
    }
  });

  const client = await JobSetClient.connect({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE, taskQueue: TASK_QUEUE });
  try {
    await ensureNamespace(NAMESPACE);
    // Re-runs start from scratch: the JobSets of an earlier run are deleted with their Jobs.
    for (const s of scenarios) {
      const name = (readFileSync(`${root}/${s.file}`, 'utf8').match(/^\s*name:\s*(\S+)/m) ?? [])[1];
      if (!name) continue;
      try {
        await client.delete(NAMESPACE, name);
        console.log(`deleted jobset ${NAMESPACE}/${name} of an earlier run`);
      } catch (err) {
        if (!(err instanceof JobSetNotFoundError)) throw err;
      }
    }

    const results = [];
    for (const s of scenarios) results.push(await play(client, s));

    console.log('\n== final states');
    for (const r of results) {
      console.log(`${r.ok ? 'OK  ' : 'FAIL'} ${r.line}`);
      console.log(`     ${UI}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(r.workflowId)}`);
    }
    console.log(`\nTemporal Web UI: ${UI}   (try: node bin/jobset.js get -n ${NAMESPACE} --task-queue ${TASK_QUEUE} while a worker runs)`);
    return results.every((r) => r.ok) ? 0 : 1;
  } finally {
    finished = true;
    await client.close();
    worker.shutdown();
    await running;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
