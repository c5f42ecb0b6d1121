// The JobSet workflow against the real dev server and the real cluster: the upstream outcomes
// (children, labels, Service, conditions, restarts) for success, failure and restart policies.
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { Label } from '../../src/api/constants.js';
import { jobKey } from '../../src/core/naming.js';
import { childJobs, finalStatus, jobSetIn, jobSetSuite, podTemplate, startJobSet } from './helpers/jobset.js';
import { eventually, kube } from './helpers/kube.js';

const taskQueue = 'jobset-lifecycle';
let env: TestWorkflowEnvironment;
let namespace: string;
jobSetSuite('lifecycle', taskQueue, (ctx) => ({ env, namespace } = ctx));

test('leader x1 + workers x2 (parallelism 4) runs every child with upstream labels and ends Completed', async () => {
  const js = jobSetIn(namespace, {
    metadata: { name: 'pt' },
    spec: {
      replicatedJobs: [
        { name: 'leader', replicas: 1, template: { spec: { parallelism: 1, completions: 1, backoffLimit: 0, template: podTemplate() } } },
        { name: 'workers', replicas: 2, template: { spec: { parallelism: 4, completions: 4, backoffLimit: 0, template: podTemplate() } } },
      ],
    },
  });
  const handle = await startJobSet(env, taskQueue, js);
  const status = await finalStatus(handle);

  expect(status.terminalState).toBe('Completed');
  const completed = status.conditions.find((c) => c.type === 'Completed');
  expect(completed).toMatchObject({ status: 'True', reason: 'AllJobsCompleted', message: 'jobset completed successfully' });

  const jobs = await childJobs(namespace, 'pt');
  expect(jobs.map((j) => j.metadata?.name)).toEqual(['pt-leader-0', 'pt-workers-0', 'pt-workers-1']);
  const w1 = jobs[2]!;
  const expected = {
    [Label.JobSetName]: 'pt',
    [Label.JobSetUID]: js.metadata.uid!,
    [Label.ReplicatedJobName]: 'workers',
    [Label.ReplicatedJobReplicas]: '2',
    [Label.GlobalReplicas]: '3',
    [Label.JobIndex]: '1',
    [Label.JobGlobalIndex]: '2',
    [Label.JobKey]: jobKey(namespace, 'pt-workers-1'),
    [Label.GroupName]: 'default',
    [Label.GroupReplicas]: '3',
    [Label.JobGroupIndex]: '2',
    [Label.RestartAttempt]: '0',
  };
  expect(w1.metadata?.labels).toMatchObject(expected);
  expect(w1.metadata?.annotations).toMatchObject(expected);
  expect(w1.spec?.template.metadata?.labels).toMatchObject(expected);
  expect(w1.spec?.template.metadata?.annotations).toMatchObject(expected);
  expect(w1.spec?.completionMode).toBe('Indexed');
  expect(w1.spec?.template.spec?.subdomain).toBe('pt');

  const svc = await kube().core.readNamespacedService({ name: 'pt', namespace });
  expect(svc.spec?.clusterIP).toBe('None');
  expect(svc.spec?.selector).toEqual({ [Label.JobSetName]: 'pt' });
  expect(svc.spec?.publishNotReadyAddresses).toBe(true);

  // Pod hostnames come from the Indexed Job: <js>-<rjob>-<jobIndex>-<podIndex> under the subdomain.
  const pods = await kube().core.listNamespacedPod({ namespace, labelSelector: `batch.kubernetes.io/job-name=pt-workers-1` });
  expect(pods.items.map((p) => p.spec?.hostname).sort()).toEqual(['pt-workers-1-0', 'pt-workers-1-1', 'pt-workers-1-2', 'pt-workers-1-3']);
  expect(new Set(pods.items.map((p) => p.spec?.subdomain))).toEqual(new Set(['pt']));
});

test('success policy Any on a target completes when one targeted Job succeeds and deletes the others', async () => {
  const js = jobSetIn(namespace, {
    metadata: { name: 'any' },
    spec: {
      successPolicy: { operator: 'Any', targetReplicatedJobs: ['driver'] },
      replicatedJobs: [
        { name: 'driver', replicas: 1, template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '1s' }) } } },
        { name: 'workers', replicas: 2, template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '10m' }) } } },
      ],
    },
  });
  const status = await finalStatus(await startJobSet(env, taskQueue, js));
  expect(status.terminalState).toBe('Completed');
  expect(status.conditions.find((c) => c.type === 'Completed')?.reason).toBe('AllJobsCompleted');
  // The still-running workers are deleted; the finished driver is kept, as upstream.
  const names = await eventually('the running workers to be deleted', async () => {
    const jobs = (await childJobs(namespace, 'any')).filter((j) => !j.metadata?.deletionTimestamp);
    return jobs.length === 1 ? jobs.map((j) => j.metadata?.name) : undefined;
  });
  expect(names).toEqual(['any-driver-0']);
});

test('without a failure policy a failing pod fails the JobSet with FailedJobs naming the first failed Job', async () => {
  const js = jobSetIn(namespace, {
    metadata: { name: 'nofp' },
    spec: {
      replicatedJobs: [
        { name: 'ok', replicas: 1, template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/run-duration': '10m' }) } } },
        {
          name: 'bad',
          replicas: 1,
          template: { spec: { backoffLimit: 0, template: podTemplate({ 'kwok-sim/fail': 'true', 'kwok-sim/run-duration': '1s' }) } },
        },
      ],
    },
  });
  const status = await finalStatus(await startJobSet(env, taskQueue, js));
  expect(status.terminalState).toBe('Failed');
  expect(status.restarts).toBe(0);
  expect(status.conditions.find((c) => c.type === 'Failed')).toMatchObject({
    status: 'True',
    reason: 'FailedJobs',
    message: 'jobset failed due to one or more job failures (first failed job: nofp-bad-0)',
  });
});
