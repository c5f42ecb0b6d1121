// Every activity the worker hosts, built over one set of Kubernetes clients.
import type { ChildCache } from '../src/k8s/child-cache.js';
import type { KubeClients } from '../src/k8s/client.js';
import { createJobSetActivities, type JobSetActivityOptions } from './jobset.js';

/** `children`: the worker's cache of child Jobs and Services, started and stopped by its owner. */
export function createActivities(kube: KubeClients, children: ChildCache, options: JobSetActivityOptions = {}) {
  return createJobSetActivities(kube, children, options);
}
