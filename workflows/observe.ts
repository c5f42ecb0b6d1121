// How a JobSet run learns what its children look like now: by waiting on the observe activity's
// watch, or (SIGNALLED_OBSERVE_PATCH) by waiting for the workers' `childrenChanged` signal and
// reading them in a local activity. Either wait is cut short by an Update (`wake`).
// Deterministic code only: bundled into the workflow sandbox with workflows/jobset.ts.
import type { V1OwnerReference } from '@kubernetes/client-node';
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';

import type { ObserveResult } from '../activities/jobset.js';
import type { JobSet } from '../src/api/schema.js';
import { SIGNALLED_RESYNC_MS } from './patches.js';
import { localUntilDone, watch } from './proxies.js';

/** What the observer reads from its run, at the time it observes. */
export interface ObservedRun {
  /** The run waits for the signal (SIGNALLED_OBSERVE_PATCH) rather than on the activity. */
  signalled: boolean;
  /** The workflow input's `observeMaxWaitMs` (tests set it low). */
  maxWaitMs: number | undefined;
  target(): { jobSet: JobSet; owner?: V1OwnerReference };
  /** `<namespace>/<name>`, for the summaries. */
  key(): string;
  /** The digest of the last observation: the activity returns once the cluster differs from it. */
  lastDigest(): string | undefined;
  /** The resourceVersion an observation must have seen (src/core/resource-version.ts). */
  freshAsOf(): string | undefined;
  /** Bumped by each accepted suspend/resume Update. */
  specVersion(): number;
}

export class ChildObserver {
  private scope: CancellationScope | undefined;
  // Set by the signal, cleared as a read starts: a change signalled during a read is read again.
  private changed = false;
  // The last read said the worker's cache signals changes to these children.
  private signalledChildren = false;

  constructor(private readonly run: ObservedRun) {}

  /** The `childrenChanged` signal's handler. */
  childrenChanged(): void {
    this.changed = true;
  }

  /** Cuts a wait on the activity short (an Update changed the spec). */
  wake(): void {
    this.scope?.cancel();
  }

  /** The next observation (at once when `immediate`); undefined when an Update cut the wait short. */
  next(immediate: boolean): Promise<ObserveResult | undefined> {
    return this.run.signalled ? this.readSignalled(immediate) : this.watch(immediate);
  }

  /**
   * Observes until the cluster differs from `lastDigest` (at once when `immediate`); undefined
   * when an Update cut the wait short.
   */
  private async watch(immediate: boolean): Promise<ObserveResult | undefined> {
    const scope = new CancellationScope();
    this.scope = scope;
    const lastDigest = this.run.lastDigest();
    const freshAsOf = this.run.freshAsOf();
    try {
      return await scope.run(() =>
        watch.observeChildren.executeWithOptions({ summary: `watch child Jobs of ${this.run.key()}` }, [
          {
            ...this.run.target(),
            ...(lastDigest && !immediate ? { lastDigest } : {}),
            maxWaitMs: this.run.maxWaitMs ?? 60_000,
            ...(freshAsOf !== undefined ? { minResourceVersion: freshAsOf } : {}),
          },
        ]),
      );
    } catch (err) {
      // Our own wake-up, not a cancellation of the workflow: decide again with the new spec.
      if (isCancellation(err) && scope.consideredCancelled && !CancellationScope.current().consideredCancelled) return undefined;
      throw err;
    } finally {
      this.scope = undefined;
    }
  }

  /**
   * With SIGNALLED_OBSERVE_PATCH: reads the children at once in a local activity when `immediate`;
   * otherwise waits for the `childrenChanged` signal, an Update or the resync, then reads them. A
   * JobSet whose children the worker does not signal (a namespace its cache does not cover)
   * observes with the activity, which watches on its own.
   */
  private async readSignalled(immediate: boolean): Promise<ObserveResult | undefined> {
    if (!immediate) {
      if (!this.signalledChildren) return this.watch(false);
      const mine = this.run.specVersion();
      await condition(() => this.changed || this.run.specVersion() !== mine, this.run.maxWaitMs ?? SIGNALLED_RESYNC_MS, {
        summary: 'wait for a change to the child Jobs (or the resync)',
      });
    }
    this.changed = false;
    const freshAsOf = this.run.freshAsOf();
    const observed = await localUntilDone.observeChildren.executeWithOptions({ summary: `read child Jobs of ${this.run.key()}` }, [
      { ...this.run.target(), maxWaitMs: 0, ...(freshAsOf !== undefined ? { minResourceVersion: freshAsOf } : {}) },
    ]);
    this.signalledChildren = observed.signalled === true;
    return observed;
  }
}
