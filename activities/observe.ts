// Observation: the facts the workflow decides on. It reads the JobSet's child Jobs (from the
// worker's shared child cache, src/k8s/child-cache.ts, or by listing them from the API server) and
// whether its headless Service exists, and, when nothing differs from what the workflow last saw,
// waits for a change. It only reads and reports; it decides nothing, so running it again (a retry
// after a crash) is always safe and misses no change.
import { Context } from '@temporalio/activity';

import type { JobSet } from '../src/api/schema.js';
import { observationDigest } from '../src/core/decide.js';
import { comparable } from '../src/core/resource-version.js';
import { compactObservation, type CompactObservation } from '../src/core/wire.js';
import { jobSetName, jobSetNamespace, subdomain } from '../src/core/naming.js';
import type { Observation, ObservedJob } from '../src/core/types.js';
import type { ChildChange } from '../src/k8s/child-cache.js';
import { isNotFound } from '../src/k8s/errors.js';
import { toObservedJob } from '../src/k8s/observed.js';
import { childSelector, toFailure, type ActivityEnv, type JobSetTarget } from './shared.js';

export interface ObserveInput extends JobSetTarget {
  /** Digest of the observation the workflow last decided on; return as soon as the cluster differs. */
  lastDigest?: string;
  /** Return the current observation after this long even when nothing changed (periodic re-list). */
  maxWaitMs: number;
  /**
   * The latest resourceVersion the workflow wrote or observed (src/core/resource-version.ts):
   * read from the worker's cache once it has seen this version. Absent: list from the API server.
   */
  minResourceVersion?: string;
}

export interface ObserveResult {
  /** The observation in its compact form (src/core/wire.ts); `observation` in runs recorded before it. */
  compact?: CompactObservation;
  observation?: Observation;
  digest: string;
  /** The version the observation reflects, when comparable: the next observe's minResourceVersion. */
  resourceVersion?: string;
  /**
   * Changes to these children signal the workflow (`childrenChanged`, worker/child-signals.ts):
   * the run may wait for that signal instead of an observe activity.
   */
  signalled?: true;
}

// Well inside the workflows' heartbeat timeouts (15 s act, 30 s observe).
const HEARTBEAT_MS = 2_000;
/** An observation returns once its watch has been quiet this long after a change... */
const BATCH_QUIET_MS = 100;
/**
 * ...and at the latest this long after the first change: 500 ms, or 1 ms per child Job up to 5 s.
 * Every pass carries the whole observation into history, and 5,000 Jobs changing state over
 * minutes would otherwise make a pass (and ~100 KB of history) every half second.
 */
const batchMaxMs = (jobs: number): number => Math.min(5_000, Math.max(500, jobs));

export function createObserveActivities(env: ActivityEnv) {
  const { kube, children, options } = env;

  async function serviceExists(js: JobSet): Promise<boolean> {
    try {
      await kube.core.readNamespacedService({ name: subdomain(js), namespace: jobSetNamespace(js) });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw toFailure('reading the headless Service', err);
    }
  }

  async function listChildJobs(js: JobSet): Promise<ObservedJob[]> {
    try {
      return (await kube.batch.listNamespacedJob({ namespace: jobSetNamespace(js), labelSelector: childSelector(js) })).items.map(toObservedJob);
    } catch (err) {
      throw toFailure('listing child Jobs', err);
    }
  }

  return {
    /**
     * The child Jobs (and whether the Service exists); returns at once when that differs from
     * what the workflow last saw, else waits until a change, cancellation or `maxWaitMs`.
     *
     * With a comparable `minResourceVersion` (every run once it has written or observed through
     * the cache) it reads the worker's shared cache (src/k8s/child-cache.ts) once that has seen
     * the version, and sends no request for the Jobs. Without one (a run recorded before the
     * cache, an API server whose versions do not compare) it lists them, and lists again after
     * each change the cache announces. A retried attempt starts over, so no change is missed
     * across retries.
     */
    async observeChildren(input: ObserveInput): Promise<ObserveResult> {
      const js = input.jobSet;
      const namespace = jobSetNamespace(js);
      const name = jobSetName(js);
      const ctx = Context.current();
      const watched = children.covers(namespace);
      let fromCache = watched && comparable(input.minResourceVersion);
      let hasService = false;
      const checkService = async () => {
        hasService =
          watched && children.hasService(namespace, subdomain(js)) ? true : fromCache && !js.spec.network.enableDNSHostnames ? false : await serviceExists(js);
      };
      const read = async (): Promise<ObserveResult & { size: number }> => {
        // A listed observation carries no version: the run lists until its next write (see
        // src/core/resource-version.ts advance), as the cache may not have reached the list yet.
        let jobs: ObservedJob[];
        let resourceVersion: string | undefined;
        if (fromCache) ({ jobs, resourceVersion } = children.jobsOf(namespace, name, js.metadata.uid));
        else [jobs] = await Promise.all([listChildJobs(js), checkService()]);
        const observation: Observation = { jobs, serviceExists: hasService };
        return {
          compact: compactObservation(js, observation),
          digest: observationDigest(observation),
          ...(comparable(resourceVersion) ? { resourceVersion } : {}),
          ...(children.signalling(namespace) ? { signalled: true as const } : {}),
          size: jobs.length,
        };
      };
      const result = ({ size: _, ...r }: ObserveResult & { size: number }): ObserveResult => r;

      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      // Listening from the start: a change the cache hears while the first read is on its way
      // (a list takes a while) is acted on as soon as the wait begins.
      let onChange: ((change: ChildChange) => void) | undefined;
      const early = new Set<ChildChange>();
      const unsubscribe = watched ? children.subscribe(namespace, name, (change) => (onChange ? onChange(change) : early.add(change))) : undefined;
      try {
        if (fromCache) {
          let timer: NodeJS.Timeout | undefined;
          const behind = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), options.cacheWaitMs ?? 30_000)));
          fromCache = !(await Promise.race([children.whenAt(namespace, input.minResourceVersion!).then(() => false), behind, ctx.cancelled]));
          clearTimeout(timer);
          if (!fromCache)
            ctx.log.warn("the child cache has not reached the run's version; listing instead", { namespace, minResourceVersion: input.minResourceVersion });
          else await checkService();
        }
        const first = await read();
        if (first.digest !== input.lastDigest) return result(first);

        return await new Promise<ObserveResult>((resolve, reject) => {
          let settled = false;
          let firstChange: number | undefined;
          let quiet: NodeJS.Timeout | undefined;
          let size = first.size;
          let serviceChanged = false;
          const finish = (fn: () => void) => {
            if (settled) return;
            settled = true;
            clearTimeout(deadline);
            clearTimeout(quiet);
            fn();
          };
          // Ends the wait with p's outcome; p's rejection is handled here, so nothing floats.
          const settle = (p: Promise<ObserveResult | undefined>): void =>
            void p.then(
              (r) => r && finish(() => resolve(r)),
              (err: unknown) => finish(() => reject(err)),
            );
          // Periodic re-check of what the cache may not cover (a Service it does not label); a
          // listing read checks the Service itself.
          const deadline = setTimeout(() => settle((fromCache ? checkService() : Promise.resolve()).then(async () => result(await read()))), input.maxWaitMs);
          ctx.cancelled.catch((err: unknown) => finish(() => reject(err)));
          onChange = (change) => {
            if (settled) return;
            serviceChanged ||= change === 'service';
            // Hand a change over once the burst it belongs to is over (thousands of Jobs becoming
            // ready one event at a time make one pass, not thousands), but no later than
            // batchMaxMs after the first change.
            firstChange ??= Date.now();
            clearTimeout(quiet);
            const wait = Math.max(0, Math.min(BATCH_QUIET_MS, firstChange + batchMaxMs(size) - Date.now()));
            quiet = setTimeout(() => {
              const check = async () => {
                if (serviceChanged && fromCache) await checkService();
                serviceChanged = false;
                const now = await read();
                size = now.size;
                if (now.digest !== input.lastDigest) return result(now);
                firstChange = undefined;
                return undefined;
              };
              settle(check());
            }, wait);
          };
          for (const change of early) onChange(change);
        });
      } finally {
        clearInterval(beat);
        unsubscribe?.();
      }
    },
  };
}
