// The CRD bridge: JobSet custom resources -> JobSet workflows. An informer (list + watch, re-listed
// after watch expiry, restarted after errors; informer.ts) feeds a keyed work queue (queue.ts);
// each call reconciles one resource against the latest workflow run under its workflow ID
// (reconcile.ts: start, suspend/resume Updates, cancel on delete, TTL; ended-run.ts: a run that
// ended without finishing its JobSet). Every resource is reconciled again periodically, and so is
// every running workflow the bridge started, whose resource may have gone while it was down.
//
// Status is written by the workflow itself (activity writeStatus); the bridge writes only its own
// conditions, by server-side apply under its own field manager (writes.ts). This module wires the
// parts together and holds the bridge's lifecycle: start, stop, health and readiness.
import { describeError } from '../k8s/errors.js';
import { ResourceUidMemo, WorkflowType } from '../../workflows/contract.js';
import type { BridgeContext, BridgeOptions } from './context.js';
import { JobSetInformer } from './informer.js';
import { BridgeMetrics } from './metrics.js';
import { exponentialBackoff, KeyedQueue, type Requeue } from './queue.js';
import { Reconciler } from './reconcile.js';
import { resourceKey } from './resource.js';

export type { BridgeOptions } from './context.js';
export { WorkflowIdInUseError } from './reconcile.js';
export { BridgeFieldManager } from './writes.js';

/** Ends a reconcile that was waiting on Temporal when the bridge was told to stop. */
export class BridgeStoppedError extends Error {
  override readonly name = 'BridgeStoppedError';
  constructor() {
    super('the bridge is stopping');
  }
}

export class JobSetBridge {
  readonly metrics: BridgeMetrics;
  private readonly informer: JobSetInformer;
  private readonly queue: KeyedQueue;
  private readonly reconciler: Reconciler;
  // Every part logs through `this.log`, read at each call: a test replaces it after construction.
  private readonly log: (message: string) => void;
  private stopped = false;
  private resync: NodeJS.Timeout | undefined;
  /** Rejects when stop() is called: waits on Temporal (a cancelled run to end, an Update) race it. */
  private readonly stopping: Promise<never>;
  private signalStop: (err: Error) => void = () => undefined;

  constructor(private readonly options: BridgeOptions) {
    this.stopping = new Promise<never>((_, reject) => (this.signalStop = reject));
    this.stopping.catch(() => undefined);
    this.metrics = options.metrics ?? new BridgeMetrics();
    this.log = options.log ?? ((m) => console.error(`jobset bridge: ${m}`));
    const log = (message: string) => this.log(message);
    this.informer = new JobSetInformer({
      kube: options.kube,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      onChange: (obj) => this.queue.add(resourceKey(obj)),
      onSynced: () => this.sweepWorkflows(),
      log,
    });
    this.queue = new KeyedQueue((key) => this.timedReconcile(key), {
      concurrency: options.concurrency ?? 4,
      backoffMs: exponentialBackoff(500, 60_000),
      onError: (key, err, attempt) => {
        if (!this.stopped) this.log(`reconcile ${key} failed (attempt ${attempt}, retrying): ${describeError(err)}`);
      },
    });
    const context: BridgeContext = {
      options,
      metrics: this.metrics,
      log,
      stopped: () => this.stopped,
      untilStopped: (p) => this.untilStopped(p),
      cached: (name, namespace) => this.informer.get(name, namespace),
      enqueue: (key) => this.queue.add(key),
    };
    this.reconciler = new Reconciler(context);
  }

  /** Lists every JobSet, then watches; resolves once the first list is in (or keeps retrying). */
  async start(): Promise<void> {
    await this.informer.start();
    const every = this.options.resyncMs ?? 5 * 60_000;
    this.resync = setInterval(() => void this.resyncAll(), every);
    this.resync.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signalStop(new BridgeStoppedError());
    clearInterval(this.resync);
    await this.informer.stop();
    await this.queue.stop();
  }

  /**
   * The resource list is loaded, the watch is up, and no reconcile has been running for longer
   * than `stallAfterMs` (a hung call to Temporal or Kubernetes holds a slot of the queue; a few
   * of them stall every JobSet behind them).
   */
  ready(): boolean {
    return this.informer.isSynced && this.informer.isConnected && !this.stopped && this.queue.longestRunningMs() < (this.options.stallAfterMs ?? 120_000);
  }

  healthy(): boolean {
    return !this.stopped;
  }

  /** Resolves when every queued reconcile has run (tests, graceful shutdown). */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  /** One resource against the latest workflow run under its ID (see reconcile.ts). */
  reconcile(key: string): Promise<Requeue | void> {
    return this.reconciler.reconcile(key);
  }

  /** `p`, or BridgeStoppedError as soon as stop() is called (the wait itself is abandoned). */
  private untilStopped<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.stopping]);
  }

  /** Periodic safety net: reconcile every known resource and every running bridge workflow. */
  private async resyncAll(): Promise<void> {
    if (!this.informer.isSynced || this.stopped) return;
    for (const obj of this.informer.list()) this.queue.add(resourceKey(obj));
    await this.sweepWorkflows();
  }

  /**
   * Running workflows the bridge started, whose resource may be gone (deleted while the bridge was
   * down): each is reconciled, which cancels it when no resource with its UID exists.
   */
  private async sweepWorkflows(): Promise<void> {
    const queue = `WorkflowType = '${WorkflowType.JobSet}' AND ExecutionStatus = 'Running' AND TaskQueue = '${this.options.taskQueue.replaceAll("'", "\\'")}'`;
    try {
      for await (const wf of this.options.temporal.workflow.list({ query: queue })) {
        if (wf.memo?.[ResourceUidMemo] === undefined) continue;
        const m = /^jobset\/([^/]+)\/(.+)$/.exec(wf.workflowId);
        if (!m) continue;
        const [, namespace, name] = m as unknown as [string, string, string];
        if (this.options.namespace && namespace !== this.options.namespace) continue;
        this.queue.add(`${namespace}/${name}`);
      }
    } catch (err) {
      this.log(`listing running JobSet workflows failed (the next resync retries): ${describeError(err)}`);
    }
  }

  private async timedReconcile(key: string): Promise<Requeue | void> {
    const end = this.metrics.reconcileDuration.startTimer();
    try {
      const result = await this.reconcile(key);
      end({ result: 'success' });
      return result;
    } catch (err) {
      end({ result: 'error' });
      throw err;
    }
  }
}
