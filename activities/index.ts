// Every activity the worker hosts, built over one set of Kubernetes clients.
import type { KubeClients } from '../src/k8s/client.js';
import { createJobSetActivities, type JobSetActivityOptions } from './jobset.js';
import { createStackCheckActivities } from './stack-check.js';

export function createActivities(kube: KubeClients, options: JobSetActivityOptions = {}) {
  return { ...createJobSetActivities(kube, options), ...createStackCheckActivities(kube) };
}
