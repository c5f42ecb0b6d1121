// The option and result types of the TypeScript SDK (JobSetClient's verbs) and its defaults, apart
// from the verbs, so that the CLI and the run readers can name them without the client.
import type { Client, TLSConfig } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';

import type { JobSet, JobSetStatus } from '../api/schema.js';
import type { JobSetState } from '../core/state.js';

export const DEFAULT_TASK_QUEUE = 'jobset';
export const DEFAULT_NAMESPACE = 'default';

export interface JobSetClientOptions {
  /** A connected Temporal client; its Temporal namespace is the one used. */
  client: Client;
  /** Task queue of the JobSet worker (default `jobset`, as the worker's JOBSET_TASK_QUEUE). */
  taskQueue?: string;
  /** Kubernetes namespace of submitted JobSets that name none (default `default`). */
  defaultNamespace?: string;
}

export interface JobSetConnectOptions {
  /** Temporal frontend `host:port` (default 127.0.0.1:7233). */
  address?: string;
  /** Temporal namespace (default `default`). */
  namespace?: string;
  taskQueue?: string;
  /** TLS for a secured Temporal (see worker/connection.ts `tlsOptions` to build it from files). */
  tls?: TLSConfig | boolean;
  defaultNamespace?: string;
  /**
   * Key file of the payload codec (the worker's JOBSET_CODEC_KEY_FILE): specs and statuses are
   * encrypted in Temporal history. Without it, an encrypted payload is refused with
   * PayloadEncryptedError naming the key it needs.
   */
  codecKeyFile?: string;
  /** A data converter of your own, instead of the one `codecKeyFile` makes. */
  dataConverter?: DataConverter;
}

/** What `get` and `list` return: the JobSet as its workflow runs it, and where it runs. */
export interface JobSetInfo {
  /** The JobSet (spec as last changed by suspend/resume), without `status`. */
  jobSet: JobSet;
  /** The upstream status object (the workflow's `status` query, or the result of a finished run). */
  status: JobSetStatus;
  /** One-word state: Running, Restarting, Suspended, Completed or Failed. */
  state: JobSetState;
  workflowId: string;
  runId: string;
  /** The workflow run has ended (the JobSet finished, or its workflow was terminated). */
  closed: boolean;
  /** Temporal's status of the run: RUNNING, COMPLETED, FAILED, TERMINATED, ... */
  executionStatus: string;
  /** When the JobSet was created: metadata.creationTimestamp, else the run's start. */
  createdAt: Date;
}

export interface SubmitResult {
  /** The JobSet as submitted: defaulted, with namespace, name, uid and creationTimestamp. */
  jobSet: JobSet;
  workflowId: string;
  runId: string;
  /** False when the same JobSet already existed and nothing was started. */
  created: boolean;
}

export interface SubmitOptions {
  /** Namespace for a JobSet that names none; an object naming another one is refused. */
  namespace?: string;
}

export interface ListOptions {
  /** Kubernetes namespace; all namespaces when unset. */
  namespace?: string;
  state?: JobSetState;
  /** `k=v,k!=v,k,!k,k in (a,b),k notin (a,b)` over metadata.labels. */
  labelSelector?: string;
  /** Each JobSet is read through its queries, which need a worker on its task queue: give up on one after this long (default 10 s). */
  queryTimeoutMs?: number;
  /**
   * Called for a JobSet whose queries fail (no worker on its task queue, ...); it is then left
   * out. Without it, such a JobSet makes `list` throw.
   */
  onUnreadable?: (workflowId: string, error: Error) => void;
}

export interface WatchOptions {
  /** How often the status is polled (default 1000 ms). */
  intervalMs?: number;
  /** Stops the watch (and cancels its pending request); the iterator then ends. */
  signal?: AbortSignal;
}

/** Completed, Failed, Suspended, or any other condition type (StartupPolicyCompleted, ...). */
export type WaitTarget = 'Completed' | 'Failed' | 'Suspended' | (string & {});

export interface WaitOptions {
  for?: WaitTarget;
  /** Give up after this long (JobSetWaitTimeoutError); unset = wait as long as it takes. */
  timeoutMs?: number;
  intervalMs?: number;
}
