// Issue 12 under hostile conditions, through kubectl and the bridge: a ResourceQuota that refuses
// Jobs (retried, never the end of the JobSet), a workflow terminated from Temporal (the resource
// still ends Failed with no child running, and is never started again once the run is gone), a
// delete with --cascade=orphan (the Jobs keep running), a delete while the bridge is down (no
// create/delete churn), and a claim that exists before the JobSet (never deleted).
import type { V1Job } from '@kubernetes/client-node';

import { Label } from '../../src/api/constants.js';
import type { JobSetBridge } from '../../src/bridge/bridge.js';
import { childJobs, recordJobEvents } from '../integration/helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube, sleep } from '../integration/helpers/kube.js';
import {
  applyJobSet,
  deleteAllJobSets,
  installCrd,
  jobSetEvents,
  jsonpath,
  kubectl,
  kubectlOk,
  smallJobSet,
  startBridge,
  startWorkerStack,
  type TestStack,
} from '../e2e/helpers/bridge.js';
import { uniqueTaskQueue } from '../e2e/helpers/cli.js';
import { workflowId } from '../../workflows/contract.js';

const taskQueue = uniqueTaskQueue('resilience-never-stuck');
let stack: TestStack;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  await installCrd();
  stack = await startWorkerStack(taskQueue);
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await stack?.stop();
});

/** A fresh namespace with a bridge that re-checks every resource each second. */
async function scene(prefix: string): Promise<{ ns: string; bridge: () => JobSetBridge; restartBridge: () => Promise<void>; stopBridge: () => Promise<void> }> {
  const ns = await createTestNamespace(prefix);
  let bridge: JobSetBridge | undefined = await startBridge(stack.client, taskQueue, ns, { resyncMs: 1_000 });
  cleanups.push(async () => {
    if (!bridge) bridge = await startBridge(stack.client, taskQueue, ns, { resyncMs: 1_000 });
    await deleteAllJobSets(stack.client, ns);
    await bridge.stop();
    await kubectl(['delete', 'jobs', '--all', '-n', ns, '--wait=false']);
    await deleteTestNamespace(ns);
  });
  return {
    ns,
    bridge: () => bridge as JobSetBridge,
    stopBridge: async () => {
      await bridge?.stop();
      bridge = undefined;
    },
    restartBridge: async () => {
      bridge = await startBridge(stack.client, taskQueue, ns, { resyncMs: 1_000 });
    },
  };
}

const wait = (ns: string, what: string, name: string, timeout = '180s') =>
  kubectl(['wait', '-n', ns, `--for=${what}`, `--timeout=${timeout}`, `jobset/${name}`]);
const running = (jobs: V1Job[]) =>
  jobs.filter(
    (j) => !j.metadata?.deletionTimestamp && !(j.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True'),
  );

/** Every run under the workflow ID, newest first. */
async function runsOf(id: string) {
  const runs = [];
  for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(run);
  return runs;
}

test('issue 12 item 1: a ResourceQuota that refuses the 3rd Job is retried with JobCreationFailed events, and the JobSet completes once it is raised', async () => {
  const { ns } = await scene('quota');
  await kube().core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'jobs' }, spec: { hard: { 'count/jobs.batch': '2' } } } });
  // Admission refuses every create until the quota controller has counted (status.used).
  await eventually('the quota to be counted', async () => {
    const q = await kube().core.readNamespacedResourceQuota({ name: 'jobs', namespace: ns });
    return q.status?.used?.['count/jobs.batch'] !== undefined ? q : undefined;
  });
  await applyJobSet(ns, smallJobSet('quota', { replicas: 4, duration: '2s' }));

  await eventually(
    'JobCreationFailed events and the ReconcileFailing condition',
    async () => {
      const events = await jobSetEvents(ns, 'quota');
      const reason = await jsonpath(ns, 'quota', '{.status.conditions[?(@.type=="ReconcileFailing")].reason}');
      return events.some((e) => e.type === 'Warning' && e.reason === 'JobCreationFailed' && e.message.includes('exceeded quota')) &&
        reason === 'JobCreationFailed'
        ? true
        : undefined;
    },
    60_000,
  );
  expect(await jsonpath(ns, 'quota', '{.status.conditions[?(@.type=="ReconcileFailing")].message}')).toContain('exceeded quota');
  expect((await childJobs(ns, 'quota')).length).toBe(2);
  // Still running, not ended: the workflow waits and retries.
  const described = await stack.client.workflow.getHandle(workflowId(ns, 'quota')).describe();
  expect(described.status.name).toBe('RUNNING');
  expect(await jsonpath(ns, 'quota', '{.status.terminalState}')).toBe('');

  await kube().core.patchNamespacedResourceQuota({ name: 'jobs', namespace: ns, body: [{ op: 'replace', path: '/spec/hard/count~1jobs.batch', value: '10' }] });
  const done = await wait(ns, 'condition=Completed', 'quota');
  expect(done.code).toBe(0);
  expect(await jsonpath(ns, 'quota', '{.status.replicatedJobsStatus[0].succeeded}')).toBe('4');
  expect(await jsonpath(ns, 'quota', '{.status.conditions[?(@.type=="ReconcileFailing")].type}')).toBe('');
});

test('issue 12 item 1: a terminated workflow leaves the resource Failed with no child running, and it never starts again once its runs are gone', async () => {
  const { ns } = await scene('terminated');
  await applyJobSet(ns, smallJobSet('term', { replicas: 2, duration: '600s' }));
  await eventually('2 running Jobs', async () => (running(await childJobs(ns, 'term')).length === 2 ? true : undefined));
  const id = workflowId(ns, 'term');
  await stack.client.workflow.getHandle(id).terminate('an operator ended it by hand');

  const failed = await wait(ns, 'condition=Failed', 'term', '60s');
  expect(failed.code).toBe(0);
  expect(await jsonpath(ns, 'term', '{.status.conditions[?(@.type=="Failed")].reason}')).toBe('WorkflowTerminated');
  expect(await jsonpath(ns, 'term', '{.status.conditions[?(@.type=="Failed")].message}')).toContain('an operator ended it by hand');
  expect(await jsonpath(ns, 'term', '{.status.terminalState}')).toBe('Failed');
  await eventually('no child Job left running', async () => (running(await childJobs(ns, 'term')).length === 0 ? true : undefined), 60_000);
  await eventually('the finishing run to end', async () => ((await runsOf(id)).every((r) => r.status.name !== 'RUNNING') ? true : undefined));

  // Temporal's retention deletes the runs: the resource's terminal status is what remembers it.
  const recorder = await recordJobEvents(ns, 'term');
  const before = new Set((await childJobs(ns, 'term')).map((j) => j.metadata?.uid));
  try {
    for (const run of await runsOf(id)) {
      await stack.client.workflowService.deleteWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: id, runId: run.runId } });
    }
    await eventually('the runs to be gone', async () => ((await runsOf(id)).length === 0 ? true : undefined), 60_000);
    await sleep(5_000); // five resyncs of the bridge
    expect(await runsOf(id)).toEqual([]);
    expect(recorder.events.filter((e) => e.phase === 'ADDED' && !before.has(e.job.metadata?.uid)).map((e) => e.job.metadata?.name)).toEqual([]);
    expect(running(await childJobs(ns, 'term'))).toEqual([]);
    expect(await jsonpath(ns, 'term', '{.status.terminalState}')).toBe('Failed');
  } finally {
    recorder.stop();
  }
});

test('issue 12 item 5: kubectl delete --cascade=orphan leaves the child Jobs running and ends the workflow', async () => {
  const { ns } = await scene('orphan');
  await applyJobSet(ns, smallJobSet('orph', { replicas: 2, duration: '600s' }));
  await eventually('2 running Jobs', async () => (running(await childJobs(ns, 'orph')).length === 2 ? true : undefined));
  const uids = (await childJobs(ns, 'orph')).map((j) => j.metadata?.uid).sort();

  await kubectlOk(['delete', 'jobset', 'orph', '-n', ns, '--cascade=orphan', '--wait=true']);
  await eventually('the workflow to end', async () => {
    const d = await stack.client.workflow.getHandle(workflowId(ns, 'orph')).describe();
    return d.status.name === 'RUNNING' ? undefined : d;
  });
  await sleep(2_000);
  const jobs = await childJobs(ns, 'orph');
  expect(jobs.map((j) => j.metadata?.uid).sort()).toEqual(uids);
  expect(running(jobs).length).toBe(2);
  for (const job of jobs) expect(job.metadata?.ownerReferences ?? []).toEqual([]);
});

test('issue 12 item 5: a resource deleted while the bridge is down ends its workflow without re-creating the Jobs the garbage collector removed', async () => {
  const { ns, stopBridge, restartBridge } = await scene('gone');
  await applyJobSet(ns, smallJobSet('gone', { replicas: 2, duration: '600s' }));
  await eventually('2 running Jobs', async () => (running(await childJobs(ns, 'gone')).length === 2 ? true : undefined));
  const id = workflowId(ns, 'gone');

  await stopBridge();
  const recorder = await recordJobEvents(ns, 'gone');
  const before = new Set((await childJobs(ns, 'gone')).map((j) => j.metadata?.uid));
  try {
    await kubectlOk(['delete', 'jobset', 'gone', '-n', ns, '--wait=true']);
    const ended = await eventually(
      'the workflow to end by itself',
      async () => {
        const d = await stack.client.workflow.getHandle(id).describe();
        return d.status.name === 'RUNNING' ? undefined : d;
      },
      120_000,
    );
    expect(ended.status.name).toBe('FAILED');
    await eventually('no child Job left', async () => ((await childJobs(ns, 'gone')).length === 0 ? true : undefined), 60_000);
    // The garbage collector deleted the 2 Jobs; nothing was created after the delete.
    expect(recorder.events.filter((e) => e.phase === 'ADDED' && !before.has(e.job.metadata?.uid)).map((e) => e.job.metadata?.name)).toEqual([]);
  } finally {
    recorder.stop();
  }
  await restartBridge();
});

test('issue 12 item 5: a claim that exists before the JobSet is refused for a Delete policy, used under Retain, and survives both', async () => {
  const { ns } = await scene('pvc');
  const claim = {
    metadata: { name: 'data-pvcjs', labels: { owner: 'someone-else' } },
    spec: { storageClassName: '', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } },
  };
  await kube().core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: claim });
  const pvcJobSet = (name: string, whenDeleted: 'Delete' | 'Retain') => {
    const js = smallJobSet(name, { replicas: 1, duration: '1s' });
    js.spec.volumeClaimPolicies = [{ templates: [{ metadata: { name: 'data' }, spec: claim.spec }], retentionPolicy: { whenDeleted } }];
    js.spec.replicatedJobs[0].template.spec.template.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }];
    return js;
  };

  // Same PVC name `data-pvcjs`: a Delete policy would delete the user's claim with the JobSet.
  await applyJobSet(ns, pvcJobSet('pvcjs', 'Delete'));
  expect((await wait(ns, 'condition=Failed', 'pvcjs', '60s')).code).toBe(0);
  expect(await jsonpath(ns, 'pvcjs', '{.status.conditions[?(@.type=="Failed")].message}')).toContain(
    'spec.volumeClaimPolicies[0].templates[0]: Invalid value: "data-pvcjs"',
  );
  expect(await childJobs(ns, 'pvcjs')).toEqual([]);
  await kubectlOk(['delete', 'jobset', 'pvcjs', '-n', ns, '--wait=true']);
  await eventually('the workflow to be done', async () =>
    (await runsOf(workflowId(ns, 'pvcjs'))).every((r) => r.status.name !== 'RUNNING') ? true : undefined,
  );

  // Retain may use the existing claim; deleting the JobSet leaves it.
  await applyJobSet(ns, pvcJobSet('pvcjs', 'Retain'));
  await eventually('the Job using the claim', async () => ((await childJobs(ns, 'pvcjs')).length === 1 ? true : undefined));
  await kubectlOk(['delete', 'jobset', 'pvcjs', '-n', ns, '--wait=true']);
  await eventually('the JobSet workflow to end', async () =>
    (await runsOf(workflowId(ns, 'pvcjs'))).every((r) => r.status.name !== 'RUNNING') ? true : undefined,
  );
  await eventually('no child Job left', async () => ((await childJobs(ns, 'pvcjs')).length === 0 ? true : undefined), 60_000);
  const survivor = await kube().core.readNamespacedPersistentVolumeClaim({ name: 'data-pvcjs', namespace: ns });
  expect(survivor.metadata?.deletionTimestamp).toBeUndefined();
  expect(survivor.metadata?.labels).toEqual({ owner: 'someone-else' });
  expect(survivor.metadata?.labels?.[Label.JobSetUID]).toBeUndefined();
});
