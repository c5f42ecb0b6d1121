// The worker's one view of every JobSet's children (issue 13 item 3): one list + watch of child
// Jobs and one of headless Services per worker process (per served namespace when
// JOBSET_NAMESPACES is set), instead of a list and a watch per running JobSet. The observe
// activity reads a JobSet's Jobs from here and waits on its events.
//
// Jobs are kept in the compact form the decision reads (ObservedJob), indexed by namespace and
// JobSet name. Freshness is explicit: the workflow passes the resourceVersion of its last write or
// observation, and a read waits until the cache has seen at least that version, so a pass never
// decides on a cluster older than one it already acted on.
import type { V1Job, V1Service } from '@kubernetes/client-node';

import { Label } from '../api/constants.js';
import { atLeast, comparable } from '../core/resource-version.js';
import type { ObservedJob } from '../core/types.js';
import type { KubeClients } from './client.js';
import { toObservedJob } from './observed.js';
import { Reflector, type WatchEventType } from './reflector.js';

/** What a listener hears: a change to one of the JobSet's Jobs or to a Service labelled with its name. */
export type ChildChange = 'job' | 'service';

type Listener = (change: ChildChange) => void;

/** A change as the cache-wide watchers hear it (src/k8s/child-signals.ts). */
export interface KeyedChange {
  namespace: string;
  jobSetName: string;
  change: ChildChange;
  /** The JobSet UID the changed Job carries (absent for Services and re-lists). */
  uid?: string;
  /** How many Jobs the cache holds for this JobSet name. */
  jobs: number;
}
type Notify = (key: string, change: ChildChange, uid?: string) => void;

/** Jobs and Services of one scope (a namespace, or all of them). */
class Scope {
  /** `namespace/jobSetName` -> job name -> Job. */
  readonly jobs = new Map<string, Map<string, ObservedJob>>();
  /** `namespace/serviceName` of labelled Services -> the JobSet name they carry. */
  readonly services = new Map<string, string>();
  jobsVersion = '';
  private readonly waiters = new Set<{ minimum: string; resolve: () => void }>();
  readonly reflectors: [Reflector<V1Job>, Reflector<V1Service>];

  constructor(
    kube: KubeClients,
    namespace: string | undefined,
    private readonly notify: Notify,
    log: (message: string) => void,
  ) {
    const selector = Label.JobSetName;
    const ns = namespace ? `/namespaces/${namespace}` : '';
    const page = ({ limit, continueToken }: { limit: number; continueToken?: string }) => ({
      labelSelector: selector,
      limit,
      ...(continueToken ? { _continue: continueToken } : {}),
    });
    this.reflectors = [
      new Reflector<V1Job>({
        path: `/apis/batch/v1${ns}/jobs`,
        labelSelector: selector,
        watch: kube.watch,
        list: (p) => (namespace ? kube.batch.listNamespacedJob({ namespace, ...page(p) }) : kube.batch.listJobForAllNamespaces(page(p))),
        onReplace: (items, rv) => this.replaceJobs(items, rv),
        onEvent: (type, job, rv) => this.jobEvent(type, job, rv),
        onProgress: (rv) => this.advance(rv),
        log,
      }),
      new Reflector<V1Service>({
        path: `/api/v1${ns}/services`,
        labelSelector: selector,
        watch: kube.watch,
        list: (p) => (namespace ? kube.core.listNamespacedService({ namespace, ...page(p) }) : kube.core.listServiceForAllNamespaces(page(p))),
        onReplace: (items) => this.replaceServices(items),
        onEvent: (type, svc) => this.serviceEvent(type, svc),
        onProgress: () => undefined,
        log,
      }),
    ];
  }

  /** Resolves once the Jobs cache has seen `minimum` (a comparable resourceVersion). */
  whenAt(minimum: string): Promise<void> {
    if (comparable(this.jobsVersion) && atLeast(this.jobsVersion, minimum)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ minimum, resolve }));
  }

  private advance(rv: string): void {
    this.jobsVersion = rv;
    if (!comparable(rv)) return;
    for (const w of this.waiters) {
      if (!atLeast(rv, w.minimum)) continue;
      this.waiters.delete(w);
      w.resolve();
    }
  }

  private replaceJobs(items: V1Job[], rv: string): void {
    const before = [...this.jobs.keys()];
    this.jobs.clear();
    for (const job of items) this.put(job);
    // A re-list may have missed any event in between: everyone waiting hears about it.
    for (const key of new Set([...before, ...this.jobs.keys()])) this.notify(key, 'job');
    this.advance(rv);
  }

  private jobEvent(type: WatchEventType, job: V1Job, rv: string): void {
    const key = jobKey(job);
    if (key) {
      let changed = true;
      if (type === 'DELETED') {
        const jobs = this.jobs.get(key);
        jobs?.delete(job.metadata?.name ?? '');
        if (jobs?.size === 0) this.jobs.delete(key);
      } else changed = this.put(job);
      if (changed) this.notify(key, 'job', job.metadata?.labels?.[Label.JobSetUID]);
    }
    this.advance(rv);
  }

  /**
   * Stores the Job; false when what the decision reads of it did not change (the Job controller
   * rewrites a Job's status many times over its life with nothing the observation keeps: no
   * listener hears of those, no workflow is woken).
   */
  private put(job: V1Job): boolean {
    const key = jobKey(job);
    if (!key) return false;
    let jobs = this.jobs.get(key);
    if (!jobs) this.jobs.set(key, (jobs = new Map()));
    const name = job.metadata?.name ?? '';
    const observed = toObservedJob(job);
    const before = jobs.get(name);
    jobs.set(name, observed);
    return before === undefined || JSON.stringify(before) !== JSON.stringify(observed);
  }

  private replaceServices(items: V1Service[]): void {
    // `namespace/jobSetName` of every labelled Service, the keys listeners subscribe to.
    const owners = () => [...this.services].map(([key, jobSet]) => `${key.slice(0, key.indexOf('/'))}/${jobSet}`);
    const before = owners();
    this.services.clear();
    for (const svc of items) this.serviceEvent('ADDED', svc, false);
    for (const key of new Set([...before, ...owners()])) this.notify(key, 'service');
  }

  private serviceEvent(type: WatchEventType, svc: V1Service, announce = true): void {
    const namespace = svc.metadata?.namespace ?? '';
    const jobSet = svc.metadata?.labels?.[Label.JobSetName];
    if (!jobSet) return;
    const key = `${namespace}/${svc.metadata?.name ?? ''}`;
    if (type === 'DELETED') this.services.delete(key);
    else this.services.set(key, jobSet);
    if (announce) this.notify(`${namespace}/${jobSet}`, 'service');
  }
}

function jobKey(job: V1Job): string | undefined {
  const jobSet = job.metadata?.labels?.[Label.JobSetName];
  return jobSet && job.metadata?.name ? `${job.metadata.namespace ?? ''}/${jobSet}` : undefined;
}

export interface ChildCacheOptions {
  /** The namespaces the worker serves (one list + watch each); undefined: all, cluster-wide. */
  namespaces?: readonly string[];
  log?: (message: string) => void;
}

export class ChildCache {
  private readonly scopes = new Map<string, Scope>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly watchers = new Set<(change: KeyedChange) => void>();

  constructor(
    kube: KubeClients,
    private readonly options: ChildCacheOptions = {},
  ) {
    const log = options.log ?? ((m: string) => console.error(`jobset worker: child cache: ${m}`));
    const notify: Notify = (key, change, uid) => {
      for (const l of this.listeners.get(key) ?? []) l(change);
      if (this.watchers.size === 0) return;
      const slash = key.indexOf('/');
      const namespace = key.slice(0, slash);
      const jobs = this.scope(namespace)?.jobs.get(key)?.size ?? 0;
      const keyed: KeyedChange = { namespace, jobSetName: key.slice(slash + 1), change, jobs, ...(uid ? { uid } : {}) };
      for (const w of this.watchers) w(keyed);
    };
    for (const namespace of options.namespaces ?? [undefined]) {
      this.scopes.set(namespace ?? '', new Scope(kube, namespace, notify, log));
    }
  }

  start(): this {
    for (const scope of this.scopes.values()) for (const r of scope.reflectors) r.start();
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.scopes.values()].flatMap((s) => s.reflectors.map((r) => r.stop())));
  }

  /** The lists and watches are up (for /readyz). */
  connected(): boolean {
    return [...this.scopes.values()].every((s) => s.reflectors.every((r) => r.connected));
  }

  /** Whether this cache covers `namespace` (JOBSET_NAMESPACES). */
  covers(namespace: string): boolean {
    return this.scope(namespace) !== undefined;
  }

  /**
   * Resolves once the namespace's Jobs are listed and its Jobs cache has seen `minimum` (a
   * comparable resourceVersion, see src/core/resource-version.ts). The Services need not be: a
   * Service the cache does not know is read from the API server.
   */
  async whenAt(namespace: string, minimum: string): Promise<void> {
    const scope = this.required(namespace);
    await scope.reflectors[0].synced();
    await scope.whenAt(minimum);
  }

  /**
   * The JobSet's child Jobs (labelled with its name and, when `uid` is given, its UID: a JobSet
   * re-created under the same name never sees its namesake's Jobs) and the resourceVersion the
   * cache reflects.
   */
  jobsOf(namespace: string, jobSetName: string, uid?: string): { jobs: ObservedJob[]; resourceVersion: string } {
    const scope = this.required(namespace);
    const jobs = [...(scope.jobs.get(`${namespace}/${jobSetName}`)?.values() ?? [])].filter((j) => uid === undefined || j.labels[Label.JobSetUID] === uid);
    return { jobs, resourceVersion: scope.jobsVersion };
  }

  /** A Service of this name labelled as some JobSet's exists. */
  hasService(namespace: string, name: string): boolean {
    return this.required(namespace).services.has(`${namespace}/${name}`);
  }

  /** Calls `listener` on every change to the JobSet's Jobs or labelled Services until the returned function is called. */
  subscribe(namespace: string, jobSetName: string, listener: Listener): () => void {
    const key = `${namespace}/${jobSetName}`;
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /**
   * Calls `watcher` on every change to any JobSet's children until the returned function is
   * called. While one is attached the cache is `signalling`: something wakes the workflows.
   */
  watchAll(watcher: (change: KeyedChange) => void): () => void {
    this.watchers.add(watcher);
    return () => void this.watchers.delete(watcher);
  }

  /** Whether changes to the namespace's children reach a cache-wide watcher (a ChildSignaler). */
  signalling(namespace: string): boolean {
    return this.watchers.size > 0 && this.covers(namespace);
  }

  private scope(namespace: string): Scope | undefined {
    return this.options.namespaces ? this.scopes.get(namespace) : this.scopes.get('');
  }

  private required(namespace: string): Scope {
    const scope = this.scope(namespace);
    if (!scope) throw new Error(`namespace ${namespace} is not watched by this worker`);
    return scope;
  }
}
