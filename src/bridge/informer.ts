// The bridge's informer of JobSet resources: one list + watch (of all namespaces, or one), the
// resources cached, every add/update/delete passed on. The client's informer re-lists by itself
// after an expired resourceVersion but stops on any other error: it is started again here with
// backoff, resuming from the last resourceVersion. `synced` (the first list is in) and
// `connected` (the watch is up) are what the bridge's readiness reports.
import type { Informer, KubernetesListObject, KubernetesObject, ObjectCache } from '@kubernetes/client-node';

import { GROUP, PLURAL, VERSION } from '../api/constants.js';
import type { KubeClients } from '../k8s/client.js';
import { describeError } from '../k8s/errors.js';
import { makeInformer } from '../k8s/kube.js';
import { exponentialBackoff } from './queue.js';
import type { JobSetResource } from './resource.js';

export interface JobSetInformerOptions {
  kube: KubeClients;
  /** Watch one Kubernetes namespace instead of all. */
  namespace?: string;
  /** Every add, update and delete of a resource. */
  onChange: (obj: JobSetResource) => void;
  /** Once, after the first list and watch are up. */
  onSynced: () => Promise<void>;
  /** The bridge's log (looked up at each call). */
  log: (message: string) => void;
}

export class JobSetInformer {
  // Custom objects arrive as plain JSON (timestamps are strings): the informer holds them as
  // KubernetesObject and reconcile reads them as JobSetResource.
  private readonly informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  private synced = false;
  private connected = false;
  private stopped = false;
  private restart: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(private readonly options: JobSetInformerOptions) {
    const { kube, namespace } = options;
    const path = namespace ? `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}` : `/apis/${GROUP}/${VERSION}/${PLURAL}`;
    const list = async () =>
      (namespace
        ? await kube.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL })
        : await kube.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL })) as KubernetesListObject<KubernetesObject>;
    this.informer = makeInformer<KubernetesObject>(kube.config, path, list);
    const changed = (obj: KubernetesObject) => options.onChange(obj as JobSetResource);
    this.informer.on('add', changed);
    this.informer.on('update', changed);
    this.informer.on('delete', changed);
    this.informer.on('error', (err: unknown) => {
      // The informer stops on any error other than an expired resourceVersion (which it handles
      // by re-listing): start it again with backoff. It resumes from the last resourceVersion.
      this.connected = false;
      if (this.stopped) return;
      this.failures++;
      const delay = exponentialBackoff(500, 30_000)(this.failures);
      this.options.log(`watch of JobSets failed, restarting in ${delay} ms: ${describeError(err)}`);
      clearTimeout(this.restart);
      this.restart = setTimeout(() => void this.start(), delay);
    });
  }

  /** The first list has been loaded. */
  get isSynced(): boolean {
    return this.synced;
  }

  /** The watch is up (false from a watch error until the restart that follows it succeeds). */
  get isConnected(): boolean {
    return this.connected;
  }

  /** Lists, then watches; resolves once the list and the watch request are done (a failure schedules a retry). */
  async start(): Promise<void> {
    if (this.stopped) return;
    const failuresBefore = this.failures;
    await this.informer.start();
    // start() resolves after the list and the watch request, also when one of them failed (the
    // error handler then counted the failure and scheduled the next attempt).
    if (this.failures !== failuresBefore) return;
    this.failures = 0;
    this.connected = true;
    if (!this.synced) {
      this.synced = true;
      this.options.log(`watching JobSets${this.options.namespace ? ` in namespace ${this.options.namespace}` : ''}; ${this.informer.list().length} found`);
      await this.options.onSynced();
    }
  }

  /** Ends the watch; no restart follows. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    await this.informer.stop();
  }

  /** The cached resource, if any. */
  get(name: string, namespace: string): JobSetResource | undefined {
    return this.informer.get(name, namespace) as JobSetResource | undefined;
  }

  /** Every cached resource. */
  list(): JobSetResource[] {
    return this.informer.list() as JobSetResource[];
  }
}
