// The stack check: one activity that proves the worker can drive the real cluster. It creates an
// Indexed Job whose fake pods succeed or fail (KWOK annotations) and waits for the Job controller
// to finish it. Registered by test/integration/stack.test.ts only, on a worker of its own.
import { heartbeat, sleep } from '@temporalio/activity';
import type { V1Job } from '@kubernetes/client-node';

import type { KubeClients } from '../../../src/k8s/client.js';
import { isAlreadyExists } from '../../../src/k8s/errors.js';

export interface ProbeJobInput {
  namespace: string;
  name: string;
  /** Make every pod fail (annotation kwok-sim/fail). */
  fail: boolean;
}

export interface ProbeJobResult {
  name: string;
  outcome: 'Complete' | 'Failed';
  reason?: string;
  succeededPods: number;
  failedPods: number;
}

export function probeJobManifest(input: ProbeJobInput): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: input.name, namespace: input.namespace, labels: { 'app.kubernetes.io/name': 'stack-check' } },
    spec: {
      completionMode: 'Indexed',
      completions: 2,
      parallelism: 2,
      backoffLimit: 0,
      template: {
        metadata: {
          annotations: { 'kwok-sim/run-duration': '1s', ...(input.fail ? { 'kwok-sim/fail': 'true' } : {}) },
        },
        spec: { restartPolicy: 'Never', containers: [{ name: 'probe', image: 'busybox' }] },
      },
    },
  };
}

export function createStackCheckActivities(kube: KubeClients) {
  return {
    async runProbeJob(input: ProbeJobInput): Promise<ProbeJobResult> {
      try {
        await kube.batch.createNamespacedJob({ namespace: input.namespace, body: probeJobManifest(input) });
      } catch (err) {
        // A retried attempt finds the Job its first attempt created: keep waiting for it.
        if (!isAlreadyExists(err)) throw err;
      }
      for (;;) {
        const job = await kube.batch.readNamespacedJob({ name: input.name, namespace: input.namespace });
        const done = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
        if (done) {
          return {
            name: input.name,
            outcome: done.type as 'Complete' | 'Failed',
            ...(done.reason ? { reason: done.reason } : {}),
            succeededPods: job.status?.succeeded ?? 0,
            failedPods: job.status?.failed ?? 0,
          };
        }
        heartbeat({ active: job.status?.active ?? 0 });
        await sleep(250);
      }
    },
  };
}
