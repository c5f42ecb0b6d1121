// What the reconcile modules (reconcile.ts, ended-run.ts, writes.ts) need from the JobSetBridge
// that runs them: its options and metrics, its log, whether it is stopping, the informer's cache
// and the work queue. An interface, so that those modules do not import the bridge back.
import type { Client } from '@temporalio/client';

import type { KubeClients } from '../k8s/client.js';
import type { BridgeMetrics } from './metrics.js';
import type { JobSetResource } from './resource.js';

export interface BridgeOptions {
  kube: KubeClients;
  /** A connected Temporal client (its namespace is the one used). */
  temporal: Client;
  /** Task queue of the JobSet workers. */
  taskQueue: string;
  /**
   * Ask the server to hand a new JobSet's first workflow task straight back in the start's answer
   * (eager workflow start), to a worker in this process on the same connection: `jobset controller`.
   */
  eagerStart?: boolean;
  /** Also take resources without spec.managedBy (clusters without the upstream controller). */
  adoptUnmanaged?: boolean;
  /** Watch one Kubernetes namespace instead of all. */
  namespace?: string;
  /** Resources reconciled at the same time (default 4). */
  concurrency?: number;
  /** Every resource is reconciled again this often (default 5 minutes). */
  resyncMs?: number;
  /** /readyz fails while a reconcile has been running this long (default 2 minutes). */
  stallAfterMs?: number;
  metrics?: BridgeMetrics;
  log?: (message: string) => void;
}

export interface BridgeContext {
  readonly options: BridgeOptions;
  readonly metrics: BridgeMetrics;
  /** The bridge's log, looked up at each call (a log replaced on the bridge, as a test does, is the one used). */
  log(message: string): void;
  /** stop() was called. */
  stopped(): boolean;
  /** `p`, or BridgeStoppedError as soon as stop() is called (the wait itself is abandoned). */
  untilStopped<T>(p: Promise<T>): Promise<T>;
  /** The informer's copy of a resource, if it has one. */
  cached(name: string, namespace: string): JobSetResource | undefined;
  /** Reconcile the resource of this key again (after the queue's current call for it, if any). */
  enqueue(key: string): void;
}
