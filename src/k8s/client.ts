// The Kubernetes clients used by activities, the bridge and tests. One KubeConfig per process:
// from $KUBECONFIG (or the default loading rules), so the same code runs against the local
// cluster and a real one.
import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  Watch,
} from '@kubernetes/client-node';

export interface KubeClients {
  config: KubeConfig;
  batch: BatchV1Api;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  events: EventsV1Api;
  watch: Watch;
}

/** Loads a KubeConfig from `path`, else $KUBECONFIG, else the default rules (in-cluster, ~/.kube/config). */
export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}

export function makeKubeClients(config: KubeConfig = loadKubeConfig()): KubeClients {
  return {
    config,
    batch: config.makeApiClient(BatchV1Api),
    core: config.makeApiClient(CoreV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
    events: config.makeApiClient(EventsV1Api),
    watch: new Watch(config),
  };
}
