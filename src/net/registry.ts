// The Prometheus registry a process serves on /metrics (src/net/http.ts): the worker's, the
// bridge's, or both merged in `jobset controller`.
import { collectDefaultMetrics, Registry } from 'prom-client';

/** A registry of its own per process (and per test), with the Node.js process metrics. */
export function newRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
