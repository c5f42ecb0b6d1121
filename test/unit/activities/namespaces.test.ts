// Issue 12 item 7: the worker's namespace allow-list (JOBSET_NAMESPACES). Anyone who can start a
// workflow on the task queue can ask for Jobs anywhere the worker's RBAC reaches; a namespace the
// worker does not serve is refused at admission and by every activity that writes, cleanup
// included, before any request reaches the API server.
import { MockActivityEnvironment } from '@temporalio/testing';

import { createJobSetActivities, NamespaceNotServedFailure } from '../../../activities/jobset.js';
import type { JobSet } from '../../../src/api/schema.js';
import { ChildCache } from '../../../src/k8s/child-cache.js';
import type { KubeClients } from '../../../src/k8s/client.js';
import { makeJobSet, makeReplicatedJob } from '../core/builders.js';

/** Kubernetes clients that record every call and answer none: nothing may be asked of them here. */
function recordingKube(calls: string[]): KubeClients {
  const client = (group: string) =>
    new Proxy(
      {},
      {
        get: (_, method) => async () => {
          calls.push(`${group}.${String(method)}`);
          throw new Error('no cluster here');
        },
      },
    );
  return {
    config: {} as KubeClients['config'],
    batch: client('batch'),
    core: client('core'),
    custom: client('custom'),
    events: client('events'),
    watch: client('watch'),
  } as unknown as KubeClients;
}

const jobSet = (namespace: string): JobSet => makeJobSet('js', namespace).replicatedJob(makeReplicatedJob('w').replicas(2)).obj();

describe('issue 12 item 7: namespace allow-list', () => {
  const calls: string[] = [];
  const kube = recordingKube(calls);
  // Never started: nothing here observes.
  const activities = createJobSetActivities(kube, new ChildCache(kube, { namespaces: ['team-a'] }), { namespaces: ['team-a'] });
  const env = new MockActivityEnvironment();
  beforeEach(() => (calls.length = 0));

  test('admission refuses a JobSet in another namespace, at metadata.namespace, without asking the cluster', async () => {
    const issues = await env.run(activities.dryRunJobs, { jobSet: jobSet('team-b') });
    expect(issues).toEqual([{ path: 'metadata.namespace', message: 'Forbidden: namespace "team-b" is not served by this worker (JOBSET_NAMESPACES: team-a)' }]);
    expect(calls).toEqual([]);
  });

  test.each([
    ['ensureService', () => env.run(activities.ensureService, { jobSet: jobSet('team-b') })],
    ['ensurePVCs', () => env.run(activities.ensurePVCs, { jobSet: jobSet('team-b') })],
    [
      'createJobs',
      () =>
        env.run(activities.createJobs, {
          jobSet: jobSet('team-b'),
          status: { conditions: [], restarts: 0, restartsCountTowardsMax: 0, replicatedJobsStatus: [] },
          jobs: [{ replicatedJob: 'w', jobIndex: 0 }],
        }),
    ],
    ['deleteJobs', () => env.run(activities.deleteJobs, { namespace: 'team-b', names: ['js-w-0'] })],
    ['suspendJobs', () => env.run(activities.suspendJobs, { namespace: 'team-b', names: ['js-w-0'] })],
    ['resumeJobs', () => env.run(activities.resumeJobs, { jobSet: jobSet('team-b'), jobs: [{ name: 'js-w-0', replicatedJob: 'w' }] })],
    ['deleteChildren (cleanup)', () => env.run(activities.deleteChildren, { jobSet: jobSet('team-b') })],
  ])('%s refuses another namespace before any request', async (_, run) => {
    await expect(run()).rejects.toMatchObject({ type: NamespaceNotServedFailure, nonRetryable: true });
    expect(calls).toEqual([]);
  });

  test('a served namespace goes to the cluster', async () => {
    await expect(env.run(activities.deleteJobs, { namespace: 'team-a', names: ['js-w-0'] })).rejects.toThrow();
    expect(calls).toEqual(['batch.deleteNamespacedJob']);
  });
});
