// Bridge configuration from the environment (the variables the Deployment sets), validated with
// zod like the worker's (worker/config.ts): the connection shape every process shares and the
// bridge's own variables. `jobset bridge` maps its flags onto these variables.
import { z } from 'zod';

import { connectionConfigShape, httpPortConfig, parseConfig, tlsPairIssue, tlsPairSet } from '../net/config.js';

export const bridgeConfigSchema = z
  .object({
    ...connectionConfigShape,
    /** Also take JobSets without spec.managedBy (only on clusters without the upstream controller). */
    JOBSET_BRIDGE_ADOPT_UNMANAGED: z
      .string()
      .optional()
      .transform((v) => v !== undefined && /^(1|true|yes)$/i.test(v)),
    /** Watch JobSets in this Kubernetes namespace only (unset: all). */
    JOBSET_BRIDGE_NAMESPACE: z.string().min(1).optional(),
    JOBSET_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    /** Port of /metrics, /healthz and /readyz on JOBSET_HTTP_HOST (0 = off). */
    JOBSET_HTTP_PORT: httpPortConfig,
    /** JobSets reconciled at the same time. */
    JOBSET_BRIDGE_CONCURRENCY: z.coerce.number().int('must be an integer').min(1, 'must be from 1 to 64').max(64, 'must be from 1 to 64').default(4),
  })
  .refine(tlsPairSet, tlsPairIssue);

export type BridgeConfig = z.output<typeof bridgeConfigSchema>;

/** Reads the configuration; throws an Error listing every bad variable (as `label` names it). */
export function loadBridgeConfig(env: NodeJS.ProcessEnv = process.env, label?: (variable: string) => string): BridgeConfig {
  return parseConfig(bridgeConfigSchema, env, 'bridge', label);
}
