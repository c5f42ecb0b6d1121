// Worker configuration from the environment, validated with zod so a typo fails at start with
// the variable's name instead of at the first workflow: the connection shape every process shares
// (src/net/config.ts) and the worker's own variables.
import { z } from 'zod';

import { DEFAULT_CORS_ORIGIN } from '../src/codec/server.js';
import { connectionConfigShape, httpPortConfig, parseConfig, tlsPairIssue, tlsPairSet } from '../src/net/config.js';

export const workerConfigSchema = z
  .object({
    ...connectionConfigShape,
    /** Port of /metrics, /healthz and /readyz on JOBSET_HTTP_HOST (0 = off). */
    JOBSET_HTTP_PORT: httpPortConfig,
    /**
     * Activities one worker runs at once. A running JobSet whose children the worker's cache does
     * not signal (a namespace outside JOBSET_NAMESPACES, a run started before the signals) holds one
     * watch activity that is idle most of the time, so this bounds how many of those a worker can
     * follow concurrently (the SDK's default of 100 would stall the 101st).
     */
    JOBSET_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(2000),
    /**
     * Workflows kept in the worker's cache (sticky execution). A workflow evicted from the cache is
     * replayed from its history at its next task, so a smaller cache trades CPU for memory. A
     * running JobSet between changes has no task at all (it waits for the childrenChanged signal),
     * so evicting it costs nothing until its children change. 1,000 keeps a worker under 1 GiB
     * (about 0.4 MiB per cached workflow over ~340 MiB for the process, docs/bench.md), where the
     * SDK's default (derived from the heap limit, ~2,300 with a 4 GiB heap) reached 1.3 GiB.
     */
    JOBSET_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(1000),
    JOBSET_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    /** Web UI origins (comma-separated) that may call /encode and /decode from a browser. */
    JOBSET_CODEC_CORS_ORIGIN: z.string().min(1).default(DEFAULT_CORS_ORIGIN),
    /**
     * Comma-separated Kubernetes namespaces the worker serves (unset: all). A JobSet elsewhere is
     * refused at admission (metadata.namespace) and no activity acts there, cleanup included.
     */
    JOBSET_NAMESPACES: z
      .string()
      .optional()
      .transform((s) =>
        s === undefined || s.trim() === ''
          ? undefined
          : s
              .split(',')
              .map((n) => n.trim())
              .filter(Boolean),
      )
      .refine((list) => list === undefined || list.every((n) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n) && n.length <= 63), {
        message: 'must be a comma-separated list of namespace names (RFC 1123 labels)',
      }),
  })
  .refine(tlsPairSet, tlsPairIssue);

export type WorkerConfig = z.output<typeof workerConfigSchema>;

/** Reads the configuration; throws an Error listing every bad variable (as `label` names it). */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env, label?: (variable: string) => string): WorkerConfig {
  return parseConfig(workerConfigSchema, env, 'worker', label);
}
