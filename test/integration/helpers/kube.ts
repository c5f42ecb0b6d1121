// Per-test Kubernetes namespaces on the real local cluster, so tests never see each other's objects.
import { randomBytes } from 'node:crypto';

import type { WorkflowClient } from '@temporalio/client';

import { ChildCache } from '../../../src/k8s/child-cache.js';
import { loadKubeConfig, makeKubeClients, type KubeClients } from '../../../src/k8s/client.js';
import { isNotFound } from '../../../src/k8s/errors.js';
import { signalChildChanges } from '../../../worker/child-signals.js';

let clients: KubeClients | undefined;

/** Clients for the cluster of the global setup ($KUBECONFIG). */
export function kube(): KubeClients {
  clients ??= makeKubeClients(loadKubeConfig(process.env.KUBECONFIG));
  return clients;
}

let children: ChildCache | undefined;

/**
 * The cache of child Jobs and Services the workers of this test file share, as the workers of one
 * process do (started at first use; setup-timeout.ts stops it after the file's tests).
 */
export function childCache(): ChildCache {
  children ??= new ChildCache(kube(), { log: () => undefined }).start();
  return children;
}

let detachSignals: (() => void) | undefined;

/** The shared cache, waking the workflows of `client` on changes as a worker's does (worker/child-signals.ts). */
export function signallingChildCache(client: WorkflowClient): ChildCache {
  const cache = childCache();
  detachSignals ??= signalChildChanges(cache, client, { log: () => undefined });
  return cache;
}

export async function stopChildCache(): Promise<void> {
  detachSignals?.();
  detachSignals = undefined;
  await children?.stop();
  children = undefined;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(200);
  }
}

/** Creates a fresh namespace and waits until pods can be created in it (its default ServiceAccount exists). */
export async function createTestNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`.slice(0, 63);
  const k = kube();
  await k.core.createNamespace({ body: { metadata: { name, labels: { 'jobset-temporal.io/test': 'true' } } } });
  await eventually(`the default ServiceAccount in ${name}`, async () => {
    try {
      await k.core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      return true;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  });
  return name;
}

export async function deleteTestNamespace(name: string): Promise<void> {
  try {
    await kube().core.deleteNamespace({ name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
