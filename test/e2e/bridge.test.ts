// kubectl through the CRD, end to end on the local cluster: the generated CRD, an in-process
// worker (with its metrics endpoint) and a bridge per test namespace. Everything the user does is
// a real kubectl command; the workflows run as with the SDK.
import { spawn } from 'node:child_process';

import type { Client } from '@temporalio/client';

import { createTestNamespace, deleteTestNamespace, eventually } from '../integration/helpers/kube.js';
import {
  applyJobSet,
  children,
  deleteAllJobSets,
  example,
  httpGet,
  installCrd,
  jobSetEvents,
  jsonpath,
  kubectl,
  kubectlOk,
  sample,
  smallJobSet,
  startBridge,
  startWorkerStack,
  table,
  type TestStack,
} from './helpers/bridge.js';
import { uniqueTaskQueue } from './helpers/cli.js';
import type { JobSetBridge } from '../../src/bridge/bridge.js';
import { workflowId } from '../../workflows/contract.js';

const taskQueue = uniqueTaskQueue('e2e-bridge');
let stack: TestStack;
let client: Client;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  await installCrd();
  stack = await startWorkerStack(taskQueue);
  client = stack.client;
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await stack?.stop();
});

/** A fresh namespace with a bridge watching only it. */
async function scene(prefix: string, options: { adoptUnmanaged?: boolean } = {}): Promise<{ ns: string; bridge: JobSetBridge }> {
  const ns = await createTestNamespace(prefix);
  const bridge = await startBridge(client, taskQueue, ns, options);
  cleanups.push(async () => {
    // Through the bridge, so every workflow ends (cancelled) before the namespace goes.
    await deleteAllJobSets(client, ns);
    await bridge.stop();
    await deleteTestNamespace(ns);
  });
  return { ns, bridge };
}

const wait = (ns: string, what: string, name: string, timeout = '180s') =>
  kubectl(['wait', '-n', ns, `--for=${what}`, `--timeout=${timeout}`, `jobset/${name}`]);

test('kubectl apply of an example runs it; kubectl wait returns; kubectl get shows the printer columns; delete removes the children', async () => {
  const { ns, bridge } = await scene('br-apply');
  await applyJobSet(ns, example('simple/paralleljobs.yaml'));

  const waited = await wait(ns, 'condition=Completed', 'paralleljobs');
  expect(waited).toMatchObject({ code: 0 });
  expect(waited.stdout).toContain('jobset.jobset.x-k8s.io/paralleljobs condition met');

  const rows = table(await kubectlOk(['get', 'jobsets', '-n', ns]));
  expect(rows).toEqual([
    { NAME: 'paralleljobs', TERMINALSTATE: 'Completed', RESTARTS: '0', COMPLETED: 'True', SUSPENDED: '', AGE: expect.stringMatching(/^\d+[sm]/) },
  ]);

  // The status is the upstream object, written by the workflow.
  const status = JSON.parse(await jsonpath(ns, 'paralleljobs', '{.status}'));
  expect(status.conditions.find((c: { type: string }) => c.type === 'Completed')).toMatchObject({
    status: 'True',
    reason: 'AllJobsCompleted',
    message: 'jobset completed successfully',
  });
  expect(status.replicatedJobsStatus.map((r: { name: string; succeeded: number }) => [r.name, r.succeeded]).sort()).toEqual([
    ['driver', 1],
    ['workers', 2],
  ]);

  // Children are owned by the resource, so the garbage collector can clean up too.
  const uid = await jsonpath(ns, 'paralleljobs', '{.metadata.uid}');
  const jobs = JSON.parse(await kubectlOk(['get', 'jobs', '-n', ns, '-o', 'json'])).items;
  expect(jobs).toHaveLength(3);
  for (const job of jobs) {
    expect(job.metadata.ownerReferences).toEqual([
      { apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', name: 'paralleljobs', uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(job.metadata.labels['jobset.sigs.k8s.io/jobset-uid']).toBe(uid);
  }

  // kubectl describe's events: the bridge's start and the workflow's upstream condition events.
  const reasons = (await jobSetEvents(ns, 'paralleljobs')).map((e) => e.reason);
  expect(reasons).toEqual(expect.arrayContaining(['WorkflowStarted', 'AllJobsCompleted']));
  expect(reasons.filter((r) => r === 'WorkflowStarted')).toHaveLength(1);

  // Metrics of the worker and the bridge; health of both.
  const metrics = (await httpGet(stack.http.port, '/metrics')).body;
  expect(sample(metrics, `jobset_completed_total{namespace="${ns}"}`)).toBe(1);
  expect(sample(metrics, 'jobset_activity_duration_seconds_count{activity_type="createJobs",outcome="success"}')).toBeGreaterThanOrEqual(1);
  expect(sample(metrics, 'jobset_activity_duration_seconds_count{activity_type="writeStatus",outcome="success"}')).toBeGreaterThanOrEqual(1);
  expect((await httpGet(stack.http.port, '/readyz')).status).toBe(200);
  const bridgeMetrics = await bridge.metrics.registry.metrics();
  expect(sample(bridgeMetrics, 'jobset_bridge_actions_total{action="start"}')).toBe(1);
  expect(sample(bridgeMetrics, 'jobset_bridge_reconcile_duration_seconds_count{result="success"}')).toBeGreaterThanOrEqual(1);

  // Delete: kubectl returns once the resource is gone, then every child goes.
  await kubectlOk(['delete', 'jobset', 'paralleljobs', '-n', ns]);
  await eventually('every child object to be deleted', async () => ((await children(ns, 'paralleljobs')).length === 0 ? true : undefined), 120_000);
  // The finished workflow's JobSet is marked deleted for the SDK and CLI (the cleanup run).
  const latest = await eventually('the cleanup run', async () => {
    const d = await client.workflow.getHandle(workflowId(ns, 'paralleljobs')).describe();
    return d.type === 'jobSetCleanupWorkflow' && d.status.name === 'COMPLETED' ? d : undefined;
  });
  expect(latest.memo?.['jobset-temporal.io/resource-uid']).toBe(uid);
});

test('a failing example shows restarts increasing in kubectl get and ends Failed', async () => {
  const { ns } = await scene('br-fail');
  // Every status write is a watch event, so the watch sees each value of .status.restarts.
  await applyJobSet(ns, example('failure-policy/restartjobset-action.yaml'));
  const watch = spawn(
    'kubectl',
    ['get', 'jobset', 'restartjobset-action', '-n', ns, '--watch', '-o', 'jsonpath={.status.restarts} {.status.terminalState}{"\\n"}'],
    { env: process.env },
  );
  let seen = '';
  watch.stdout.on('data', (d) => (seen += String(d)));
  try {
    expect(await wait(ns, 'jsonpath={.status.terminalState}=Failed', 'restartjobset-action')).toMatchObject({ code: 0 });
    await eventually('the watch to print the final state', async () => (seen.includes(' Failed') ? true : undefined));
  } finally {
    watch.kill();
  }
  const restarts = [
    ...new Set(
      seen
        .split('\n')
        .map((l) => l.trim().split(' ')[0])
        .filter((r): r is string => r !== undefined && r !== ''),
    ),
  ].map(Number);
  // The first line is whatever the status was when the watch began (usually 0 restarts).
  expect(restarts.slice(-2)).toEqual([1, 2]);
  expect(restarts).toEqual([...restarts].sort((a, b) => a - b));

  const failed = JSON.parse(await jsonpath(ns, 'restartjobset-action', '{.status.conditions[?(@.type=="Failed")]}'));
  expect(failed).toMatchObject({ status: 'True', reason: 'ReachedMaxRestarts' });
  expect(table(await kubectlOk(['get', 'jobset', 'restartjobset-action', '-n', ns]))[0]).toMatchObject({
    TERMINALSTATE: 'Failed',
    RESTARTS: '2',
    COMPLETED: '',
  });

  const metrics = (await httpGet(stack.http.port, '/metrics')).body;
  expect(sample(metrics, `jobset_restarts_total{namespace="${ns}"}`)).toBe(2);
  expect(sample(metrics, `jobset_failed_total{namespace="${ns}"}`)).toBe(1);
});

test('kubectl patch of spec.suspend suspends, and resumes with the pod-template fields changed meanwhile', async () => {
  const { ns } = await scene('br-suspend');
  // Pods that would run for an hour: the JobSet can only complete through the resumed template.
  await applyJobSet(ns, smallJobSet('sus', { duration: '1h', replicas: 2 }));
  await eventually('both Jobs to be active', async () => {
    const active = await kubectlOk(['get', 'jobs', '-n', ns, '-o', 'jsonpath={range .items[*]}{.status.active}{"\\n"}{end}']);
    return active.split('\n').filter((a) => a === '1').length === 2 ? true : undefined;
  });

  await kubectlOk(['patch', 'jobset', 'sus', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":true}}']);
  expect(await wait(ns, 'condition=Suspended', 'sus')).toMatchObject({ code: 0 });
  expect(await kubectlOk(['get', 'jobs', '-n', ns, '-o', 'jsonpath={.items[*].spec.suspend}'])).toBe('true true');
  // The Job controller deletes the pods of a suspended Job; resuming before it has would keep
  // the old (hour-long) pods running, on any cluster.
  await eventually('the pods to be gone', async () => ((await children(ns, 'sus')).some((c) => c.startsWith('pod/')) ? undefined : true), 120_000);
  expect(table(await kubectlOk(['get', 'jobset', 'sus', '-n', ns]))[0]).toMatchObject({ SUSPENDED: 'true', TERMINALSTATE: '' });

  // While suspended the scheduling fields may change (the Kueue contract): a new pod annotation.
  await kubectlOk([
    'patch',
    'jobset',
    'sus',
    '-n',
    ns,
    '--type=json',
    '-p',
    JSON.stringify([{ op: 'replace', path: '/spec/replicatedJobs/0/template/spec/template/metadata/annotations/kwok-sim~1run-duration', value: '1s' }]),
  ]);
  await kubectlOk(['patch', 'jobset', 'sus', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":false}}']);
  expect(await wait(ns, 'condition=Completed', 'sus')).toMatchObject({ code: 0 });

  const suspended = JSON.parse(await jsonpath(ns, 'sus', '{.status.conditions[?(@.type=="Suspended")]}'));
  expect(suspended).toMatchObject({ status: 'False', reason: 'ResumeJobs', message: 'jobset is resumed' });
  const annotations = await kubectlOk([
    'get',
    'jobs',
    '-n',
    ns,
    '-o',
    'jsonpath={range .items[*]}{.spec.template.metadata.annotations.kwok-sim/run-duration}{" "}{end}',
  ]);
  expect(annotations.trim()).toBe('1s 1s');
});

test('kubectl delete of a running JobSet cancels its workflow and removes every child', async () => {
  const { ns } = await scene('br-delete');
  await applyJobSet(ns, smallJobSet('del', { duration: '1h', replicas: 2 }));
  await eventually('the Jobs, the Service and the pods', async () => ((await children(ns, 'del')).length >= 5 ? true : undefined));
  const uid = await jsonpath(ns, 'del', '{.metadata.uid}');

  await kubectlOk(['delete', 'jobset', 'del', '-n', ns]);
  await eventually('every child object to be deleted', async () => ((await children(ns, 'del')).length === 0 ? true : undefined), 120_000);
  const d = await eventually('the workflow to end', async () => {
    const run = await client.workflow.getHandle(workflowId(ns, 'del')).describe();
    return run.status.name === 'RUNNING' ? undefined : run;
  });
  expect([d.type, d.status.name, d.memo?.['jobset-temporal.io/resource-uid']]).toEqual(['jobSetWorkflow', 'CANCELLED', uid]);
});

test('delete and re-create under the same name is a new run for the new UID', async () => {
  const { ns } = await scene('br-recreate');
  await applyJobSet(ns, smallJobSet('again', { duration: '1h' }));
  await eventually('the first Job', async () => ((await children(ns, 'again')).some((c) => c.startsWith('job')) ? true : undefined));
  const first = await client.workflow.getHandle(workflowId(ns, 'again')).describe();
  await kubectlOk(['delete', 'jobset', 'again', '-n', ns, '--wait=true']);
  await applyJobSet(ns, smallJobSet('again', { duration: '1s' }));
  const uid = await jsonpath(ns, 'again', '{.metadata.uid}');

  expect(await wait(ns, 'condition=Completed', 'again')).toMatchObject({ code: 0 });
  const latest = await client.workflow.getHandle(workflowId(ns, 'again')).describe();
  expect(latest.runId).not.toBe(first.runId);
  expect(latest.memo?.['jobset-temporal.io/resource-uid']).toBe(uid);
  const old = await client.workflow.getHandle(workflowId(ns, 'again'), first.runId).describe();
  expect(old.status.name).toBe('CANCELLED');
  const owners = await kubectlOk(['get', 'jobs', '-n', ns, '-o', 'jsonpath={.items[*].metadata.ownerReferences[0].uid}']);
  expect(owners).toBe(uid);
});

test('an invalid resource gets a Failed condition and a Warning Event naming the field; nothing is created', async () => {
  const { ns, bridge } = await scene('br-invalid');
  // The CRD schema accepts it; create validation (the upstream webhook's rules) does not.
  const js = smallJobSet('bad', { extraSpec: { coordinator: { replicatedJob: 'workers', jobIndex: 3 } } });
  await applyJobSet(ns, js);

  expect(await wait(ns, 'condition=Failed', 'bad')).toMatchObject({ code: 0 });
  const failed = JSON.parse(await jsonpath(ns, 'bad', '{.status.conditions[?(@.type=="Failed")]}'));
  expect(failed).toMatchObject({
    status: 'True',
    reason: 'ValidationFailed',
    message: 'invalid JobSet: spec.coordinator.jobIndex: coordinator job index 3 is invalid for replicatedJob workers',
  });
  expect(await jsonpath(ns, 'bad', '{.status.terminalState}')).toBe('Failed');
  const events = await eventually('the Warning event', async () => {
    const e = (await jobSetEvents(ns, 'bad')).filter((x) => x.reason === 'ValidationFailed');
    return e.length > 0 ? e : undefined;
  });
  expect(events[0]).toMatchObject({ type: 'Warning', message: expect.stringContaining('spec.coordinator.jobIndex') });

  await bridge.whenIdle();
  expect(await children(ns, 'bad')).toEqual([]);
  await expect(client.workflow.getHandle(workflowId(ns, 'bad')).describe()).rejects.toThrow();
});

test('a refused spec change gets an UpdateRejected condition and Event; the workflow keeps running as it was', async () => {
  const { ns } = await scene('br-reject');
  await applyJobSet(ns, smallJobSet('imm', { duration: '1h' }));
  await eventually('the Job', async () => ((await children(ns, 'imm')).some((c) => c.startsWith('job')) ? true : undefined));

  await kubectlOk([
    'patch',
    'jobset',
    'imm',
    '-n',
    ns,
    '--type=json',
    '-p',
    JSON.stringify([{ op: 'replace', path: '/spec/replicatedJobs/0/replicas', value: 3 }]),
  ]);
  expect(await wait(ns, 'condition=UpdateRejected', 'imm')).toMatchObject({ code: 0 });
  const rejected = JSON.parse(await jsonpath(ns, 'imm', '{.status.conditions[?(@.type=="UpdateRejected")]}'));
  expect(rejected).toMatchObject({
    status: 'True',
    reason: 'UpdateRejected',
    message: 'spec change not applied: spec.replicatedJobs[0].replicas: field is immutable',
    observedGeneration: 2,
  });
  const events = await eventually('the Warning event', async () => {
    const e = (await jobSetEvents(ns, 'imm')).filter((x) => x.reason === 'UpdateRejected');
    return e.length > 0 ? e : undefined;
  });
  expect(events[0]?.message).toContain('spec.replicatedJobs[0].replicas');
  expect((await children(ns, 'imm')).filter((c) => c.startsWith('job'))).toEqual(['job.batch/imm-workers-0']);

  // Put back: the refusal is withdrawn. Then suspend: the workflow's own conditions and the
  // bridge's live side by side in status.conditions (server-side apply, one field manager each).
  await kubectlOk([
    'patch',
    'jobset',
    'imm',
    '-n',
    ns,
    '--type=json',
    '-p',
    JSON.stringify([{ op: 'replace', path: '/spec/replicatedJobs/0/replicas', value: 1 }]),
  ]);
  await eventually('the UpdateRejected condition to go', async () =>
    (await jsonpath(ns, 'imm', '{.status.conditions[?(@.type=="UpdateRejected")].type}')) === '' ? true : undefined,
  );
  await kubectlOk(['patch', 'jobset', 'imm', '-n', ns, '--type=merge', '-p', '{"spec":{"suspend":true}}']);
  expect(await wait(ns, 'condition=Suspended', 'imm')).toMatchObject({ code: 0 });
});

test('coexistence: JobSets managed by another controller, or by nobody without --adopt-unmanaged, are never touched', async () => {
  const { ns, bridge } = await scene('br-coexist');
  await applyJobSet(ns, smallJobSet('upstream', { managedBy: 'jobset.sigs.k8s.io/jobset-controller' }));
  await applyJobSet(ns, smallJobSet('kueue', { managedBy: 'kueue.x-k8s.io/multikueue' }));
  await applyJobSet(ns, smallJobSet('nobody', { managedBy: null }));
  await applyJobSet(ns, smallJobSet('ours'));
  expect(await wait(ns, 'condition=Completed', 'ours')).toMatchObject({ code: 0 });
  // The watch delivers the resources in order, so by now the others were seen and reconciled.
  await bridge.whenIdle();
  for (const name of ['upstream', 'kueue', 'nobody']) {
    expect([name, await jsonpath(ns, name, '{.status}')]).toEqual([name, '']);
    expect([name, await jobSetEvents(ns, name)]).toEqual([name, []]);
    await expect(client.workflow.getHandle(workflowId(ns, name)).describe()).rejects.toThrow();
  }
  expect(await children(ns, 'nobody')).toEqual([]);

  // With --adopt-unmanaged (a cluster without the upstream controller) the unmanaged one runs;
  // the other managers' still do not.
  await bridge.stop();
  const adopting = await startBridge(client, taskQueue, ns, { adoptUnmanaged: true });
  cleanups.push(() => adopting.stop());
  expect(await wait(ns, 'condition=Completed', 'nobody')).toMatchObject({ code: 0 });
  await adopting.whenIdle();
  for (const name of ['upstream', 'kueue']) expect([name, await jsonpath(ns, name, '{.status}')]).toEqual([name, '']);
});

test('ttlSecondsAfterFinished deletes the finished resource, and with it its children', async () => {
  const { ns } = await scene('br-ttl');
  await applyJobSet(ns, smallJobSet('ttl', { extraSpec: { ttlSecondsAfterFinished: 1 } }));
  expect(await wait(ns, 'delete', 'ttl')).toMatchObject({ code: 0 });
  await eventually('every child object to be deleted', async () => ((await children(ns, 'ttl')).length === 0 ? true : undefined), 120_000);
});
