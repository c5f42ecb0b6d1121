// Issue 12 item 1: resuming Jobs as upstream's resumeJob does, against the real Job controller.
// The resume of a suspended Job that had started must clear status.startTime first (its pod
// template is immutable otherwise); a second resume of the same Job (a retried activity, or a pass
// that decided on an observation taken before the first resume) must be harmless. Before the fix
// the second one cleared startTime of a running Job, the API server answered 422 and the
// workflow ended without a terminal condition.
import type { V1Job } from '@kubernetes/client-node';
import { MockActivityEnvironment } from '@temporalio/testing';

import { createJobSetActivities } from '../../activities/jobset.js';
import { buildJob } from '../../src/core/manifests.js';
import { initialStatus } from '../../src/core/decide.js';
import { jobSetIn, podTemplate } from './helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, childCache, eventually, kube } from './helpers/kube.js';

let namespace: string;
beforeAll(async () => {
  namespace = await createTestNamespace('resume');
});
afterAll(async () => {
  if (namespace) await deleteTestNamespace(namespace);
});

const read = (name: string): Promise<V1Job> => kube().batch.readNamespacedJob({ name, namespace });

test('issue 12 item 1: resumeJobs clears startTime, merges the template, and a second resume of the running Job is harmless', async () => {
  const template = { ...podTemplate({ 'kwok-sim/run-duration': '600s' }), spec: { ...podTemplate().spec, nodeSelector: { type: 'nowhere' } } };
  const js = jobSetIn(namespace, { metadata: { name: 'rs' }, spec: { replicatedJobs: [{ name: 'w', replicas: 1, template: { spec: { template } } }] } });
  const job = buildJob(js, 'w', 0, initialStatus());
  await kube().batch.createNamespacedJob({ namespace, body: job });
  await eventually('the Job to start', async () => ((await read('rs-w-0')).status?.startTime ? true : undefined));
  await kube().batch.patchNamespacedJob({ name: 'rs-w-0', namespace, body: [{ op: 'replace', path: '/spec/suspend', value: true }] });
  await eventually('the Job to be suspended', async () => ((await read('rs-w-0')).spec?.suspend === true ? true : undefined));

  // Resumed with the template changed back to nodes that exist, as the workflow does after a suspend.
  const fixed = {
    ...js,
    spec: {
      ...js.spec,
      replicatedJobs: [
        {
          ...js.spec.replicatedJobs[0]!,
          template: {
            spec: { ...js.spec.replicatedJobs[0]!.template.spec, template: { ...template, spec: { ...template.spec, nodeSelector: { type: 'kwok' } } } },
          },
        },
      ],
    },
  };
  const activities = createJobSetActivities(kube(), childCache());
  const env = new MockActivityEnvironment();
  const jobs = [{ name: 'rs-w-0', replicatedJob: 'w' }];
  await env.run(activities.resumeJobs, { jobSet: fixed, jobs });
  const resumed = await read('rs-w-0');
  expect(resumed.spec?.suspend).toBe(false);
  expect(resumed.spec?.template.spec?.nodeSelector).toEqual({ type: 'kwok' });
  await eventually('the Job to start again', async () => ((await read('rs-w-0')).status?.startTime ? true : undefined));

  // The same resume again: the Job is running, nothing to do, no error (it reports the version it read).
  await expect(env.run(activities.resumeJobs, { jobSet: fixed, jobs })).resolves.toEqual({ resourceVersion: expect.stringMatching(/^\d+$/) });
  const after = await read('rs-w-0');
  expect(after.spec?.suspend).toBe(false);
  expect(after.status?.startTime).toBeTruthy();
});
