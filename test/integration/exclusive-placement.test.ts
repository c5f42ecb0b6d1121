// Exclusive placement without a pod webhook: the injected pod affinity/anti-affinity on job-key
// makes the real scheduler put all pods of one Job in one topology domain and no two Jobs in the
// same domain. Fake nodes are labelled into two racks; a third Job cannot be placed.
import type { V1Pod } from '@kubernetes/client-node';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';

import { Annotation, Label } from '../../src/api/constants.js';
import { createJobSetWorker, jobSetIn, startJobSet } from './helpers/jobset.js';
import { createTestNamespace, deleteTestNamespace, eventually, kube } from './helpers/kube.js';
import { createTemporalEnv } from './helpers/temporal.js';

const taskQueue = 'exclusive';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let namespace: string;
const nodes: Array<{ name: string; rack: string }> = [];

beforeAll(async () => {
  env = await createTemporalEnv();
  namespace = await createTestNamespace('excl');
  // Two racks of two fake nodes, only for this test's pods (pool label = namespace).
  for (const rack of ['a', 'b']) {
    for (const i of [0, 1]) {
      const name = `${namespace}-${rack}${i}`;
      nodes.push({ name, rack });
      await kube().core.createNode({
        body: {
          metadata: {
            name,
            annotations: { 'kwok.x-k8s.io/node': 'fake' },
            labels: { type: 'kwok', 'kubernetes.io/hostname': name, 'test-pool': namespace, 'test-rack': rack },
          },
          status: { allocatable: { cpu: '100', memory: '1Ti', pods: '100' }, capacity: { cpu: '100', memory: '1Ti', pods: '100' } },
        },
      });
    }
  }
  await eventually('the rack nodes Ready', async () => {
    const list = await kube().core.listNode({ labelSelector: `test-pool=${namespace}` });
    const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    return ready.length === 4 ? true : undefined;
  });
  worker = await createJobSetWorker(env, taskQueue);
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await deleteTestNamespace(namespace);
  for (const n of nodes)
    await kube()
      .core.deleteNode({ name: n.name })
      .catch(() => undefined);
  await env?.teardown();
});

test('two Jobs land in two racks, all pods of a Job in one rack, and a third Job stays Pending', async () => {
  const js = jobSetIn(namespace, {
    metadata: { name: 'excl', annotations: { [Annotation.ExclusiveTopology]: 'test-rack' } },
    spec: {
      replicatedJobs: [
        {
          name: 'slice',
          replicas: 3,
          template: {
            spec: {
              completions: 3,
              parallelism: 3,
              template: {
                metadata: { annotations: { 'kwok-sim/run-duration': '10m' } },
                spec: { restartPolicy: 'Never', nodeSelector: { 'test-pool': namespace }, containers: [{ name: 'main', image: 'busybox' }] },
              },
            },
          },
        },
      ],
    },
  });
  const handle = await startJobSet(env, taskQueue, js);
  const rackOf = new Map(nodes.map((n) => [n.name, n.rack]));
  const byJob = await eventually('two Jobs fully scheduled', async () => {
    const pods = (await kube().core.listNamespacedPod({ namespace, labelSelector: `${Label.JobSetName}=excl` })).items;
    const scheduled = pods.filter((p: V1Pod) => p.spec?.nodeName);
    if (scheduled.length < 6) return undefined;
    const m = new Map<string, Set<string>>();
    for (const p of scheduled) {
      const job = p.metadata?.labels?.['batch.kubernetes.io/job-name'] ?? '';
      m.set(job, (m.get(job) ?? new Set()).add(rackOf.get(p.spec!.nodeName!) ?? '?'));
    }
    return m.size === 2 ? m : undefined;
  });
  // Each Job's pods share one rack, and the two Jobs use different racks.
  const racks = [...byJob.values()].map((s) => [...s]);
  expect(racks.map((r) => r.length)).toEqual([1, 1]);
  expect(new Set(racks.map((r) => r[0])).size).toBe(2);
  // The third Job has no free rack: its pods exist but stay unscheduled.
  const third = await eventually('the third Job’s pods to be marked unschedulable', async () => {
    const pods = (await kube().core.listNamespacedPod({ namespace, labelSelector: `${Label.JobSetName}=excl` })).items;
    const pending = pods.filter((p) => !p.spec?.nodeName);
    const unschedulable = pending.filter((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable'));
    return unschedulable.length === 3 ? unschedulable : undefined;
  });
  expect(new Set(third.map((p) => p.metadata?.labels?.['batch.kubernetes.io/job-name'])).size).toBe(1);
  expect(third.every((p) => p.status?.phase === 'Pending')).toBe(true);
  await handle.cancel();
});
