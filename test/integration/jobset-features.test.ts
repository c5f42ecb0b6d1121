// Startup order, dependsOn, suspend/resume, coordinator, TTL, per-Job restarts and PVCs on the
// real cluster. Orderings are asserted on one watch stream of the child Jobs, never on timing.
import type { V1Job } from '@kubernetes/client-node';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { Label } from '../../src/api/constants.js';
import { JobSetStateKey, resumeUpdate, statusQuery, suspendUpdate } from '../../workflows/contract.js';
import { childJobs, finalStatus, type JobEvent, jobSetIn, jobSetSuite, podTemplate, recordJobEvents, startJobSet, statusEventually } from './helpers/jobset.js';
import { eventually, kube } from './helpers/kube.js';

const taskQueue = 'jobset-features';
let env: TestWorkflowEnvironment;
let namespace: string;
jobSetSuite('features', taskQueue, (ctx) => ({ env, namespace } = ctx));

const named = (name: string) => (e: JobEvent) => e.job.metadata?.name === name;
const ready = (j: V1Job) => (j.status?.ready ?? 0) + (j.status?.succeeded ?? 0) >= Math.min(j.spec?.parallelism ?? 1, j.spec?.completions ?? 1);
const complete = (j: V1Job) => j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ?? false;

test('InOrder creates the second rjob only after the first rjob is ready, with StartupPolicy conditions', async () => {
  const rec = await recordJobEvents(namespace, 'inorder');
  const js = jobSetIn(namespace, {
    metadata: { name: 'inorder' },
    spec: {
      startupPolicy: { startupPolicyOrder: 'InOrder' },
      replicatedJobs: [
        { name: 'driver', replicas: 1, template: { spec: { parallelism: 2, completions: 2, template: podTemplate({ 'kwok-sim/run-duration': '5s' }) } } },
        { name: 'workers', replicas: 2, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '1s' }) } } },
      ],
    },
  });
  const status = await finalStatus(await startJobSet(env, taskQueue, js));
  rec.stop();
  expect(status.terminalState).toBe('Completed');
  const driverReady = rec.indexOf((e) => named('inorder-driver-0')(e) && ready(e.job));
  const firstWorker = rec.indexOf((e) => e.phase === 'ADDED' && e.job.metadata?.name?.startsWith('inorder-workers-') === true);
  expect(driverReady).toBeGreaterThanOrEqual(0);
  expect(firstWorker).toBeGreaterThan(driverReady);
  expect(status.conditions.find((c) => c.type === 'StartupPolicyCompleted')).toMatchObject({ status: 'True', reason: 'InOrderStartupPolicyCompleted' });
  expect(status.conditions.find((c) => c.type === 'StartupPolicyInProgress')).toMatchObject({ status: 'False' });
});

test('dependsOn Complete creates the dependent rjob only after its dependency completed; rjobs without dependencies start at once', async () => {
  const rec = await recordJobEvents(namespace, 'deps');
  const js = jobSetIn(namespace, {
    metadata: { name: 'deps' },
    spec: {
      replicatedJobs: [
        { name: 'init', replicas: 1, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '3s' }) } } },
        { name: 'side', replicas: 1, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '1s' }) } } },
        {
          name: 'main',
          replicas: 1,
          dependsOn: [{ name: 'init', status: 'Complete' }],
          template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '1s' }) } },
        },
      ],
    },
  });
  const status = await finalStatus(await startJobSet(env, taskQueue, js));
  rec.stop();
  expect(status.terminalState).toBe('Completed');
  const initComplete = rec.indexOf((e) => named('deps-init-0')(e) && complete(e.job));
  const mainAdded = rec.indexOf((e) => e.phase === 'ADDED' && named('deps-main-0')(e));
  const sideAdded = rec.indexOf((e) => e.phase === 'ADDED' && named('deps-side-0')(e));
  expect(mainAdded).toBeGreaterThan(initComplete);
  expect(sideAdded).toBeLessThan(initComplete);
});

test('a JobSet submitted suspended creates suspended Jobs; resume with a changed nodeSelector runs the pods with it; suspend stops them again', async () => {
  const js = jobSetIn(namespace, {
    metadata: { name: 'susp' },
    spec: {
      suspend: true,
      replicatedJobs: [{ name: 'w', replicas: 2, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '10m' }) } } }],
    },
  });
  const handle = await startJobSet(env, taskQueue, js);
  let status = await statusEventually(handle, 'Suspended=True', (s) => s.conditions.some((c) => c.type === 'Suspended' && c.status === 'True'));
  expect(status.conditions.find((c) => c.type === 'Suspended')?.reason).toBe('SuspendedJobs');
  const suspendedJobs = await eventually('both Jobs created suspended', async () => {
    const jobs = await childJobs(namespace, 'susp');
    return jobs.length === 2 ? jobs : undefined;
  });
  expect(suspendedJobs.map((j) => j.spec?.suspend)).toEqual([true, true]);
  expect((await handle.describe()).typedSearchAttributes.get(JobSetStateKey)).toBe('Suspended');

  status = await handle.executeUpdate(resumeUpdate, { args: [{ podTemplates: { w: { nodeSelector: { 'kubernetes.io/hostname': 'kwok-node-0' } } } }] });
  expect(status.conditions.find((c) => c.type === 'Suspended')).toMatchObject({ status: 'False', reason: 'ResumeJobs' });
  const pods = await eventually('running pods of the resumed Jobs', async () => {
    const list = await kube().core.listNamespacedPod({ namespace, labelSelector: `${Label.JobSetName}=susp` });
    const running = list.items.filter((p) => p.status?.phase === 'Running');
    return running.length === 2 ? running : undefined;
  });
  expect(pods.map((p) => p.spec?.nodeSelector)).toEqual([{ 'kubernetes.io/hostname': 'kwok-node-0' }, { 'kubernetes.io/hostname': 'kwok-node-0' }]);

  status = await handle.executeUpdate(suspendUpdate, { args: [{}] });
  expect(status.conditions.find((c) => c.type === 'Suspended')).toMatchObject({ status: 'True', reason: 'SuspendedJobs' });
  await eventually('pods of the suspended Jobs to be gone', async () => {
    const list = await kube().core.listNamespacedPod({ namespace, labelSelector: `${Label.JobSetName}=susp` });
    return list.items.length === 0 ? true : undefined;
  });
  // A resume request naming an unknown rjob is refused by the Update validator, nothing changes.
  await expect(handle.executeUpdate(resumeUpdate, { args: [{ podTemplates: { nope: {} } }] })).rejects.toMatchObject({
    cause: { message: expect.stringMatching(/replicatedJob "nope" is not in spec.replicatedJobs/) },
  });
  expect((await handle.query(statusQuery)).conditions.find((c) => c.type === 'Suspended')?.status).toBe('True');
  await handle.cancel();
});

test('the coordinator label and annotation name <js>-<rjob>-<jobIndex>-<podIndex>.<subdomain> on every Job and pod template', async () => {
  const js = jobSetIn(namespace, {
    metadata: { name: 'coord' },
    spec: {
      network: { subdomain: 'mesh' },
      coordinator: { replicatedJob: 'driver', jobIndex: 0, podIndex: 1 },
      replicatedJobs: [
        { name: 'driver', replicas: 1, template: { spec: { completions: 2, parallelism: 2, template: podTemplate({ 'kwok-sim/run-duration': '1s' }) } } },
        { name: 'workers', replicas: 1, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '1s' }) } } },
      ],
    },
  });
  const status = await finalStatus(await startJobSet(env, taskQueue, js));
  expect(status.terminalState).toBe('Completed');
  const jobs = await childJobs(namespace, 'coord');
  expect(jobs).toHaveLength(2);
  for (const j of jobs) {
    for (const m of [j.metadata, j.spec?.template.metadata]) {
      expect(m?.labels?.[Label.Coordinator]).toBe('coord-driver-0-1.mesh');
      expect(m?.annotations?.[Label.Coordinator]).toBe('coord-driver-0-1.mesh');
    }
  }
  await expect(kube().core.readNamespacedService({ name: 'mesh', namespace })).resolves.toBeDefined();
});

test('ttlSecondsAfterFinished deletes the child objects after the terminal condition, then the workflow ends', async () => {
  const js = jobSetIn(namespace, {
    metadata: { name: 'ttl' },
    spec: {
      ttlSecondsAfterFinished: 3,
      replicatedJobs: [{ name: 'w', replicas: 1, template: { spec: { template: podTemplate({ 'kwok-sim/run-duration': '1s' }) } } }],
    },
  });
  const handle = await startJobSet(env, taskQueue, js);
  const whileWaiting = await statusEventually(handle, 'Completed', (s) => s.terminalState === 'Completed');
  // The finished Job is still there during the TTL...
  expect((await childJobs(namespace, 'ttl')).map((j) => j.metadata?.name)).toEqual(['ttl-w-0']);
  const { status } = await handle.result();
  // ...and gone, with the Service, once the workflow has ended, no earlier than the TTL.
  expect(status.terminalState).toBe('Completed');
  expect(await childJobs(namespace, 'ttl')).toEqual([]);
  await expect(kube().core.readNamespacedService({ name: 'ttl', namespace })).rejects.toMatchObject({ code: 404 });
  const finished = Date.parse(whileWaiting.conditions.find((c) => c.type === 'Completed')!.lastTransitionTime);
  const closed = (await handle.describe()).closeTime!.getTime();
  expect(closed - finished).toBeGreaterThanOrEqual(3_000);
});

test('RestartJob recreates only the failed index and counts it in jobRestarts', async () => {
  const rec = await recordJobEvents(namespace, 'rj');
  const js = jobSetIn(namespace, {
    metadata: { name: 'rj' },
    spec: {
      failurePolicy: { maxRestarts: 2, rules: [{ name: 'one', action: 'RestartJob' }] },
      replicatedJobs: [
        {
          name: 'w',
          replicas: 3,
          template: {
            spec: {
              backoffLimit: 0,
              // Job index 1 fails in its first per-Job attempt only, then succeeds.
              template: podTemplate({ 'kwok-sim/run-duration': '2s', 'kwok-sim/fail-job-indexes': '1', 'kwok-sim/fail-job-restart-attempts': '0' }),
            },
          },
        },
      ],
    },
  });
  const status = await finalStatus(await startJobSet(env, taskQueue, js));
  rec.stop();
  expect(status.terminalState).toBe('Completed');
  expect(status.restarts).toBe(0);
  const w = status.replicatedJobsStatus.find((r) => r.name === 'w')!;
  expect(w.jobRestarts).toEqual([0, 1, 0]);
  expect(w.jobRestartsCountTowardsMax).toEqual([0, 1, 0]);
  const added = rec.events.filter((e) => e.phase === 'ADDED').map((e) => e.job.metadata?.name);
  expect(added.sort()).toEqual(['rj-w-0', 'rj-w-1', 'rj-w-1', 'rj-w-2']);
  const jobs = await childJobs(namespace, 'rj');
  expect(jobs.map((j) => j.metadata?.labels?.[Label.JobRestartAttempt])).toEqual(['0', '1', '0']);
});

test('volumeClaimPolicies create the PVC <tmpl>-<js>, mount it, and delete it at the end when the policy says Delete', async () => {
  // The fake cluster has no provisioner: a pre-made PersistentVolume lets the PVC bind (the real
  // PV controller binds it) so the scheduler can place the pod.
  const pvName = `pv-${namespace}`;
  await kube().core.createPersistentVolume({
    body: {
      metadata: { name: pvName },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteMany'],
        storageClassName: '',
        persistentVolumeReclaimPolicy: 'Delete',
        hostPath: { path: `/tmp/${pvName}` },
        claimRef: { namespace, name: 'ckpt-vol' },
      },
    },
  });
  const js = jobSetIn(namespace, {
    metadata: { name: 'vol' },
    spec: {
      ttlSecondsAfterFinished: 0,
      volumeClaimPolicies: [
        {
          templates: [
            { metadata: { name: 'ckpt' }, spec: { storageClassName: '', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } } },
          ],
          retentionPolicy: { whenDeleted: 'Delete' },
        },
      ],
      replicatedJobs: [
        {
          name: 'w',
          replicas: 1,
          template: {
            spec: {
              template: {
                metadata: { annotations: { 'kwok-sim/run-duration': '3s' } },
                spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', volumeMounts: [{ name: 'ckpt', mountPath: '/ckpt' }] }] },
              },
            },
          },
        },
      ],
    },
  });
  const handle = await startJobSet(env, taskQueue, js);
  const pvc = await eventually('the PVC', async () => kube().core.readNamespacedPersistentVolumeClaim({ name: 'ckpt-vol', namespace }));
  expect(pvc.metadata?.labels?.[Label.JobSetName]).toBe('vol');
  const job = await eventually('the Job', async () => (await childJobs(namespace, 'vol'))[0]);
  expect(job.spec?.template.spec?.volumes).toEqual([{ name: 'ckpt', persistentVolumeClaim: { claimName: 'ckpt-vol' } }]);
  await handle.result();
  await eventually('the PVC to be deleted', async () => {
    const list = await kube().core.listNamespacedPersistentVolumeClaim({ namespace });
    return list.items.every((p) => p.metadata?.name !== 'ckpt-vol' || p.metadata?.deletionTimestamp) ? true : undefined;
  });
  await kube()
    .core.deletePersistentVolume({ name: pvName })
    .catch(() => undefined);
});
