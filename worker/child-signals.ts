// Wakes a JobSet's workflow when its children change (issue 13 item 3). The worker's child cache
// (src/k8s/child-cache.ts) hears every change to child Jobs and labelled Services; this sends the
// workflow of that JobSet a `childrenChanged` signal, once per burst of changes. A running JobSet
// that waits for its children to change then holds no activity, no heartbeat and no watch: with
// 10,000 of them the Temporal server only keeps their timers.
//
// Every worker signals for the changes its own cache hears, so a run reading a lagging cache on
// another worker is woken again when that cache catches up: the last signal of a change comes
// after every live cache has it. A re-list (a worker starting, a watch that expired) signals every
// JobSet it holds: a Job that failed while no worker watched is acted on once one does.
import { WorkflowNotFoundError, type WorkflowClient } from '@temporalio/client';

import type { ChildCache, KeyedChange } from '../src/k8s/child-cache.js';
import { childrenChangedSignal, workflowId } from '../workflows/contract.js';

/** Sends the signal; 'gone' when no run of that workflow is open (not ours, or finished). */
export type Deliver = (namespace: string, jobSetName: string) => Promise<'delivered' | 'gone'>;

export interface SignalerOptions {
  /** A burst of changes is handed over once quiet this long... */
  quietMs?: number;
  /** ...and at the latest this long after its first change, for a JobSet of `jobs` Jobs. */
  maxMs?: (jobs: number) => number;
  /** Signals in flight at once. */
  concurrency?: number;
  /** How long changes of a JobSet UID whose workflow was gone are not signalled (Jobs of another controller's JobSets). */
  goneMs?: number;
  /** Wait before a failed signal is sent again. */
  retryMs?: number;
  log?: (message: string) => void;
  now?: () => number;
}

interface Pending {
  namespace: string;
  jobSetName: string;
  first?: number;
  timer?: NodeJS.Timeout;
  /** JobSet UIDs of the changes since the last send. */
  uids: Set<string>;
  /** Changes without a UID (Services, re-lists) since the last send: never dropped as gone. */
  anonymous: boolean;
  sending: boolean;
  /** A burst ended while a send was in flight: send again after it. */
  again: boolean;
}

/** Debounces the cache's changes per JobSet and delivers one signal per burst. */
export class ChildSignaler {
  private readonly pending = new Map<string, Pending>();
  private readonly queue: string[] = [];
  /** `key@uid` -> until when it is not signalled. Insertion order is expiry order. */
  private readonly gone = new Map<string, number>();
  private inFlight = 0;
  private stopped = false;
  private readonly quietMs: number;
  private readonly maxMs: (jobs: number) => number;
  private readonly concurrency: number;
  private readonly goneMs: number;
  private readonly retryMs: number;
  private readonly log: (message: string) => void;
  private readonly now: () => number;

  constructor(
    private readonly deliver: Deliver,
    options: SignalerOptions = {},
  ) {
    this.quietMs = options.quietMs ?? 100;
    // 500 ms, or 1 ms per child Job up to 5 s: 5,000 Jobs becoming ready one event at a time make
    // a pass (and its observation in history) every few seconds, not one per event.
    this.maxMs = options.maxMs ?? ((jobs) => Math.min(5_000, Math.max(500, jobs)));
    this.concurrency = options.concurrency ?? 32;
    this.goneMs = options.goneMs ?? 60_000;
    this.retryMs = options.retryMs ?? 1_000;
    this.log = options.log ?? ((m) => console.error(`jobset worker: child signals: ${m}`));
    this.now = options.now ?? Date.now;
  }

  changed(c: KeyedChange): void {
    if (this.stopped) return;
    const key = `${c.namespace}/${c.jobSetName}`;
    if (c.uid !== undefined && (this.gone.get(`${key}@${c.uid}`) ?? 0) > this.now()) return;
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { namespace: c.namespace, jobSetName: c.jobSetName, uids: new Set(), anonymous: false, sending: false, again: false }));
    if (c.uid === undefined) p.anonymous = true;
    else p.uids.add(c.uid);
    const now = this.now();
    p.first ??= now;
    clearTimeout(p.timer);
    const wait = Math.max(0, Math.min(this.quietMs, p.first + this.maxMs(c.jobs) - now));
    p.timer = setTimeout(() => this.burstEnded(key), wait);
  }

  /** Drops what is pending; sends in flight finish on their own. */
  stop(): void {
    this.stopped = true;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.queue.length = 0;
  }

  private burstEnded(key: string): void {
    const p = this.pending.get(key);
    if (!p || this.stopped) return;
    p.first = undefined;
    p.timer = undefined;
    if (p.sending) p.again = true;
    else {
      this.queue.push(key);
      this.pump();
    }
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < this.concurrency && this.queue.length > 0) this.send(this.queue.shift()!);
  }

  private send(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    const uids = [...p.uids];
    const anonymous = p.anonymous;
    p.uids.clear();
    p.anonymous = false;
    p.sending = true;
    this.inFlight++;
    let failed = false;
    this.deliver(p.namespace, p.jobSetName)
      .then(
        (result) => {
          if (result === 'gone' && !anonymous) for (const uid of uids) this.markGone(`${key}@${uid}`);
        },
        (err: unknown) => {
          // Not lost: the JobSet's changes are sent again after a pause.
          this.log(`signal to the workflow of ${key} failed, retrying in ${this.retryMs} ms: ${err instanceof Error ? err.message : String(err)}`);
          for (const uid of uids) p.uids.add(uid);
          p.anonymous ||= anonymous;
          failed = true;
        },
      )
      .finally(() => {
        this.inFlight--;
        p.sending = false;
        if (this.stopped) return;
        if (failed) {
          clearTimeout(p.timer);
          p.again = false;
          p.timer = setTimeout(() => this.burstEnded(key), this.retryMs);
        } else if (p.again) {
          // A burst ended while this one was on its way.
          p.again = false;
          this.queue.push(key);
        } else if (p.timer === undefined) this.pending.delete(key);
        this.pump();
      });
  }

  private markGone(entry: string): void {
    const now = this.now();
    for (const [k, until] of this.gone) {
      if (until > now) break;
      this.gone.delete(k);
    }
    this.gone.delete(entry);
    this.gone.set(entry, now + this.goneMs);
  }
}

/** Delivers `childrenChanged` to the JobSet's workflow (its ID is derived from namespace and name). */
export function signalWorkflows(client: WorkflowClient): Deliver {
  return async (namespace, jobSetName) => {
    try {
      await client.getHandle(workflowId(namespace, jobSetName)).signal(childrenChangedSignal);
      return 'delivered';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'gone';
      throw err;
    }
  };
}

/** Wakes the workflows of `client` on every change `children` hears, until the returned function is called. */
export function signalChildChanges(children: ChildCache, client: WorkflowClient, options: SignalerOptions = {}): () => void {
  const signaler = new ChildSignaler(signalWorkflows(client), options);
  const detach = children.watchAll((c) => signaler.changed(c));
  return () => {
    detach();
    signaler.stop();
  };
}
