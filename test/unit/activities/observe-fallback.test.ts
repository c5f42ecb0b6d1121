// The observe activity never waits forever on the worker's cache of child Jobs: when the cache
// cannot list (here every list and watch is refused, as with RBAC that lacks the cluster-wide
// list) it waits cacheWaitMs for the run's version, then lists the JobSet's Jobs itself.
import { MockActivityEnvironment } from '@temporalio/testing';

import { createJobSetActivities, type ObserveResult } from '../../../activities/jobset.js';
import { Label } from '../../../src/api/constants.js';
import { expandObservation } from '../../../src/core/wire.js';
import { ChildCache } from '../../../src/k8s/child-cache.js';
import type { KubeClients } from '../../../src/k8s/client.js';
import { makeJobSet, makeReplicatedJob } from '../core/builders.js';

const forbidden = () => Object.assign(new Error('forbidden'), { code: 403 });
const notFound = () => Object.assign(new Error('not found'), { code: 404 });

test('a cache that cannot list: the observation falls back to listing the Jobs after cacheWaitMs', async () => {
  const js = makeJobSet('train', 'ns').uid('uid-1').replicatedJob(makeReplicatedJob('w').replicas(1)).obj();
  const job = {
    metadata: {
      name: 'train-w-0',
      namespace: 'ns',
      uid: 'j1',
      labels: { [Label.JobSetName]: 'train', [Label.JobSetUID]: 'uid-1', [Label.ReplicatedJobName]: 'w', [Label.JobIndex]: '0', [Label.RestartAttempt]: '0' },
    },
    spec: {},
    status: { active: 1 },
  };
  const calls: string[] = [];
  const kube = {
    batch: {
      listJobForAllNamespaces: async () => Promise.reject(forbidden()),
      listNamespacedJob: async () => {
        calls.push('list Jobs of ns');
        return { items: [job], metadata: { resourceVersion: '900' } };
      },
    },
    core: {
      listServiceForAllNamespaces: async () => Promise.reject(forbidden()),
      readNamespacedService: async () => Promise.reject(notFound()),
    },
    watch: { watch: async () => Promise.reject(forbidden()) },
  } as unknown as KubeClients;
  const children = new ChildCache(kube, { log: () => undefined }).start();
  try {
    const activities = createJobSetActivities(kube, children, { cacheWaitMs: 200 });
    const result = (await new MockActivityEnvironment().run(activities.observeChildren, {
      jobSet: js,
      maxWaitMs: 60_000,
      minResourceVersion: '500',
    })) as ObserveResult;
    expect(calls).toEqual(['list Jobs of ns']);
    expect(expandObservation(js, result.compact!).jobs.map((j) => j.name)).toEqual(['train-w-0']);
    // A listed observation carries no version: the run lists until its next write.
    expect(result.resourceVersion).toBeUndefined();
  } finally {
    await children.stop();
  }
});
