// A work queue keyed by resource (namespace/name), as controller-runtime's: a key is reconciled by
// one call at a time; events arriving meanwhile coalesce into one more call after it; a failed
// call is retried with exponential backoff; a call may ask to be run again after a delay.

export interface KeyedQueueOptions {
  /** Keys reconciled at the same time (different keys only). */
  concurrency: number;
  /** Delay before the n-th retry (n from 1) of a key whose reconcile threw. */
  backoffMs: (attempt: number) => number;
  /** Told about every failed reconcile (logging). */
  onError?: (key: string, err: unknown, attempt: number) => void;
}

/** What a reconcile may return: run again after this many milliseconds. */
export interface Requeue {
  requeueAfterMs: number;
}

export type ReconcileFn = (key: string) => Promise<Requeue | void>;

export const exponentialBackoff =
  (baseMs: number, maxMs: number) =>
  (attempt: number): number =>
    Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));

export class KeyedQueue {
  private readonly waiting = new Set<string>();
  private readonly running = new Set<string>();
  /** When each running key's reconcile started (ms since the epoch), for stall detection. */
  private readonly startedAt = new Map<string, number>();
  /** Keys added while their reconcile ran: run once more afterwards. */
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly reconcile: ReconcileFn,
    private readonly options: KeyedQueueOptions,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.clearTimer(key);
    if (this.running.has(key)) this.dirty.add(key);
    else this.waiting.add(key);
    this.pump();
  }

  /** Adds the key after `ms` (an earlier add() replaces the delayed one). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    this.clearTimer(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Nothing waiting, running or scheduled to retry soon (delayed re-checks are not counted). */
  get idle(): boolean {
    return this.waiting.size === 0 && this.running.size === 0 && this.dirty.size === 0;
  }

  /**
   * How long the oldest reconcile in flight has been running (0 when none is): a reconcile that
   * hangs holds one of the `concurrency` slots, and enough of them stall the whole queue.
   */
  longestRunningMs(now = Date.now()): number {
    let oldest = now;
    for (const t of this.startedAt.values()) oldest = Math.min(oldest, t);
    return now - oldest;
  }

  /** Resolves when the queue is idle. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work; resolves once the reconciles in flight have returned. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const key of [...this.timers.keys()]) this.clearTimer(key);
    this.waiting.clear();
    this.dirty.clear();
    while (this.running.size > 0) await new Promise((r) => setTimeout(r, 20));
  }

  private clearTimer(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.options.concurrency) {
      const key = this.waiting.values().next().value as string | undefined;
      if (key === undefined) break;
      this.waiting.delete(key);
      this.running.add(key);
      this.startedAt.set(key, Date.now());
      void this.run(key);
    }
    if (this.idle) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async run(key: string): Promise<void> {
    try {
      const result = await this.reconcile(key);
      this.failures.delete(key);
      if (result && !this.dirty.has(key)) this.addAfter(key, result.requeueAfterMs);
    } catch (err) {
      const attempt = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempt);
      this.options.onError?.(key, err, attempt);
      if (!this.dirty.has(key)) this.addAfter(key, this.options.backoffMs(attempt));
    } finally {
      this.running.delete(key);
      this.startedAt.delete(key);
      if (this.dirty.delete(key)) this.waiting.add(key);
      this.pump();
    }
  }
}
