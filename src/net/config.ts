// The configuration every long-running process (worker, bridge, controller) reads from its
// environment, as zod: the Temporal connection shape they share, and one way to report a bad
// variable (its name and what is wrong, every one at once) before anything starts. The CLI verbs
// only map their flags onto these variables.
import { z } from 'zod';

const optionalPath = z.string().min(1).optional();

/** The Temporal connection: address, namespace, task queue, mTLS files and the payload codec's key. */
export const connectionConfigShape = {
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  JOBSET_TASK_QUEUE: z.string().min(1).default('jobset'),
  /** mTLS to a secured Temporal: client certificate and key, and optionally the server CA. */
  TEMPORAL_TLS_CERT: optionalPath,
  TEMPORAL_TLS_KEY: optionalPath,
  TEMPORAL_TLS_CA: optionalPath,
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /**
   * Key file of the payload codec (src/codec): payloads in Temporal history are encrypted with
   * AES-256-GCM. Unset: in the clear. Every process (worker, bridge, CLI, SDK, codec server) needs
   * the same key.
   */
  JOBSET_CODEC_KEY_FILE: optionalPath,
  /** Kubeconfig file; unset = the default loading rules (in-cluster service account, ~/.kube/config). */
  KUBECONFIG: optionalPath,
};

/** The client certificate and key come together or not at all. */
export function tlsPairSet(c: { TEMPORAL_TLS_CERT?: string | undefined; TEMPORAL_TLS_KEY?: string | undefined }): boolean {
  return Boolean(c.TEMPORAL_TLS_CERT) === Boolean(c.TEMPORAL_TLS_KEY);
}
export const tlsPairIssue = { message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together', path: ['TEMPORAL_TLS_CERT'] };

/** The connection alone: what the CLI's client verbs read. */
export const connectionConfigSchema = z.object(connectionConfigShape).refine(tlsPairSet, tlsPairIssue);

/** A port of /metrics, /healthz and /readyz (0 = off). */
export const httpPortConfig = z.coerce.number().int('must be an integer').min(0, 'must be from 0 to 65535').max(65535, 'must be from 0 to 65535').default(0);

/** The TLS files of a parsed configuration, as src/net/tls.ts takes them. */
export function tlsFilesOf(c: z.output<z.ZodObject<typeof connectionConfigShape>>) {
  return { cert: c.TEMPORAL_TLS_CERT, key: c.TEMPORAL_TLS_KEY, ca: c.TEMPORAL_TLS_CA, serverName: c.TEMPORAL_TLS_SERVER_NAME };
}

/**
 * Parses `env` with `schema`; throws an Error naming every bad variable (`invalid <what>
 * configuration:`), each as `label` renders it (the CLI names the flag it came from).
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  what: string,
  label: (variable: string) => string = (variable) => variable,
): z.output<S> {
  // An empty variable is unset, as a shell script or a manifest often leaves one.
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${label(i.path.join('.'))}: ${i.message}`);
  throw new Error(`invalid ${what} configuration:\n${lines.join('\n')}`);
}
