// The two writes to a JobSet custom resource that both the worker's activities and the bridge
// make: its status, by server-side apply, and a Kubernetes Event about it. One body for both, so
// the two writers cannot drift apart; each passes its own identity (the field manager; the
// Event's source and reporting component), because that identity is what keeps their status
// fields and their Events apart on the API server.
//
// Plain requests: every error is thrown as the API server gave it, NotFound included, and the
// caller decides what it means (src/k8s/errors.ts). Both callers today treat a resource that is
// gone as nothing to write; the activities turn other errors into Temporal failures, the bridge
// logs or requeues them.
import type { V1EventSource } from '@kubernetes/client-node';

import { API_VERSION, GROUP, KIND, PLURAL, VERSION } from '../api/constants.js';
import type { JobSetStatus } from '../api/schema.js';
import type { KubeClients } from './client.js';
import { PatchStrategy, setHeaderOptions } from './kube.js';

export interface StatusApply {
  namespace: string;
  name: string;
  /** The status fields this manager owns: the whole status (worker) or some fields (the bridge's conditions). */
  status: Partial<JobSetStatus>;
  fieldManager: string;
}

/**
 * Server-side apply of `status` to the status subresource of the JobSet `namespace/name`, under
 * `fieldManager` and forced: it never conflicts, and the fields other managers applied stay
 * theirs. status.conditions is a list-map keyed by type, so each manager keeps its own
 * conditions (the bridge's UpdateRejected beside the workflow's). An empty list withdraws this
 * manager's conditions.
 */
export async function applyJobSetStatus(kube: KubeClients, { namespace, name, status, fieldManager }: StatusApply): Promise<void> {
  await kube.custom.patchNamespacedCustomObjectStatus(
    {
      group: GROUP,
      version: VERSION,
      namespace,
      plural: PLURAL,
      name,
      body: { apiVersion: API_VERSION, kind: KIND, metadata: { name, namespace }, status },
      fieldManager,
      force: true,
    },
    setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
  );
}

/** Who records an Event: shown by `kubectl describe` ("From") and `kubectl events`. */
export interface EventReporter {
  /** The core/v1 `source` (component, and host when there is one). */
  source: V1EventSource;
  /** events.k8s.io's `reportingController`, e.g. `jobset-temporal.io/worker`. */
  reportingComponent: string;
  reportingInstance: string;
}

export interface JobSetEventFields {
  /** The JobSet the Event is about. */
  namespace: string;
  name: string;
  /** Of the JobSet resource, when known; otherwise left out of involvedObject. */
  uid?: string | undefined;
  resourceVersion?: string | undefined;
  type: 'Normal' | 'Warning';
  reason: string;
  /** Sent as given: a caller that shortens long messages (the bridge, to 1 KiB) does so itself. */
  message: string;
  reporter: EventReporter;
  /** First and last timestamp (default now); several Events recorded together may share one. */
  time?: Date;
}

/**
 * Creates one core/v1 Event about the JobSet, as the upstream controller's recorder does (action
 * Reconciling, docs/design.md §3.16). Every call creates a new Event (generateName `<name>.`,
 * count 1): nothing is aggregated.
 */
export async function createJobSetEvent(kube: KubeClients, e: JobSetEventFields): Promise<void> {
  const { namespace, name } = e;
  const now = e.time ?? new Date();
  await kube.core.createNamespacedEvent({
    namespace,
    body: {
      metadata: { generateName: `${name}.`, namespace },
      involvedObject: {
        apiVersion: API_VERSION,
        kind: KIND,
        name,
        namespace,
        ...(e.uid ? { uid: e.uid } : {}),
        ...(e.resourceVersion ? { resourceVersion: e.resourceVersion } : {}),
      },
      type: e.type,
      reason: e.reason,
      message: e.message,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      source: e.reporter.source,
      reportingComponent: e.reporter.reportingComponent,
      reportingInstance: e.reporter.reportingInstance,
      action: 'Reconciling',
    },
  });
}
