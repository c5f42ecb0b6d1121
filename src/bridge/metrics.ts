// Prometheus metrics of the bridge: reconcile latency and what the reconciles did. Bounded
// labels only (result, action), never a JobSet name.
import { Counter, Histogram, type Registry } from 'prom-client';

import { newRegistry } from '../net/registry.js';

/** What a reconcile did to a workflow or a resource. */
export const BridgeAction = ['start', 'suspend', 'resume', 'cancel', 'cleanup', 'reject', 'invalid', 'ttl_delete'] as const;
export type BridgeAction = (typeof BridgeAction)[number];

export class BridgeMetrics {
  readonly reconcileDuration: Histogram<'result'>;
  readonly actions: Counter<'action'>;

  constructor(readonly registry: Registry = newRegistry()) {
    this.reconcileDuration = new Histogram({
      name: 'jobset_bridge_reconcile_duration_seconds',
      help: 'Duration of one reconcile of a JobSet resource by the bridge, by result (success, error).',
      labelNames: ['result'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
    this.actions = new Counter({
      name: 'jobset_bridge_actions_total',
      help: `What bridge reconciles did, by action (${BridgeAction.join(', ')}).`,
      labelNames: ['action'],
      registers: [registry],
    });
  }
}
