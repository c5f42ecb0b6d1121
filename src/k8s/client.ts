// The Kubernetes clients used by activities, the bridge and tests. One KubeConfig per process:
// from $KUBECONFIG (or the default loading rules), so the same code runs against the local
// cluster and a real one.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import { BatchV1Api, CoreV1Api, CustomObjectsApi, EventsV1Api, KubeConfig, Watch } from './kube.js';

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

const reusing = new WeakSet<KubeConfig>();

/**
 * client-node (1.4) builds a new https.Agent for every request, so every API call opens a new
 * TCP connection and TLS handshake: creating 200 Jobs meant 200 handshakes. API calls (the
 * generated clients, through applySecurityAuthentication) share one keep-alive agent per
 * distinct set of TLS options (CA, client certificate and key, which a credential plugin may
 * rotate), as client-go shares its transport. Watches (applyToFetchOptions) keep an agent and a
 * connection of their own: they are long-lived, so a handshake each costs nothing that matters,
 * and a stream never shares a socket pool with short requests. Issue 13 item 2.
 */
export function reuseConnections(config: KubeConfig): KubeConfig {
  if (reusing.has(config)) return config;
  reusing.add(config);
  const apply = config.applySecurityAuthentication.bind(config);
  const agents = new Map<string, HttpAgent | HttpsAgent>();
  const text = (v: unknown) => (v === undefined || v === null ? '' : Buffer.isBuffer(v) ? v.toString('base64') : String(v));
  const shared = (agent: unknown): unknown => {
    // Proxy agents (a subclass) and anything else unknown are used as made.
    const ctor = (agent as object | undefined)?.constructor;
    if (ctor !== HttpsAgent && ctor !== HttpAgent) return agent;
    const options = (agent as { options: Record<string, unknown> }).options;
    const key = [
      ctor === HttpsAgent ? 'https' : 'http',
      ...['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'].map((k) => text(options[k])),
    ].join('\0');
    let reused = agents.get(key);
    if (!reused) {
      reused = ctor === HttpsAgent ? new HttpsAgent({ ...options, keepAlive: true }) : new HttpAgent({ ...options, keepAlive: true });
      agents.set(key, reused);
    }
    return reused;
  };
  config.applySecurityAuthentication = async (context) => {
    const setAgent = context.setAgent.bind(context);
    context.setAgent = (agent) => setAgent(shared(agent) as typeof agent);
    await apply(context);
  };
  return config;
}

export function makeKubeClients(config: KubeConfig = loadKubeConfig()): KubeClients {
  reuseConnections(config);
  return {
    config,
    batch: config.makeApiClient(BatchV1Api),
    core: config.makeApiClient(CoreV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
    events: config.makeApiClient(EventsV1Api),
    watch: new Watch(config),
  };
}
