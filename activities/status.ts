// Publishing what the workflow decided: the JobSet status on its custom resource and the Kubernetes
// Events that explain it (the requests themselves are src/k8s/writes.ts, shared with the bridge).
// The workflow writes the status once per pass and emits the events after it, as upstream ties
// its events to the status write (docs/design.md §3.1, §3.16); these activities write what they
// are given and decide nothing. Both are safe to repeat: the status is applied, not patched by
// difference, and a repeated Event is a duplicate line, never a wrong state.
import type { V1OwnerReference } from '@kubernetes/client-node';

import { GROUP, PLURAL, VERSION } from '../src/api/constants.js';
import type { JobSet, JobSetStatus } from '../src/api/schema.js';
import { jobSetName, jobSetNamespace } from '../src/core/naming.js';
import type { JobSetEvent } from '../src/core/types.js';
import { isNotFound } from '../src/k8s/errors.js';
import { applyJobSetStatus, createJobSetEvent, type EventReporter } from '../src/k8s/writes.js';
import { inBatches, toFailure, type ActivityEnv, type JobSetTarget } from './shared.js';

/** Field manager of the status the worker applies; the bridge applies its own conditions under another. */
export const WorkerFieldManager = 'jobset-temporal-worker';

/** How the worker signs its Events. */
function workerReporter(env: ActivityEnv): EventReporter {
  return {
    source: { component: 'jobset-temporal', host: env.reportingInstance },
    reportingComponent: 'jobset-temporal.io/worker',
    reportingInstance: env.reportingInstance,
  };
}

/**
 * Records `events` about the JobSet, PARALLELISM at a time, all with the same timestamp. Also used
 * by the act activities for their immediate Warning events (JobCreationFailed and the like).
 */
export async function emit(env: ActivityEnv, js: JobSet, events: readonly JobSetEvent[], owner?: V1OwnerReference): Promise<void> {
  const namespace = jobSetNamespace(js);
  const name = jobSetName(js);
  const now = new Date();
  const reporter = workerReporter(env);
  await inBatches(events, async (e) => {
    try {
      await createJobSetEvent(env.kube, {
        namespace,
        name,
        uid: owner?.uid ?? js.metadata.uid,
        type: e.type,
        reason: e.reason,
        message: e.message,
        reporter,
        time: now,
      });
    } catch (err) {
      throw toFailure(`emitting event ${e.reason}`, err);
    }
  });
}

export function createStatusActivities(env: ActivityEnv) {
  const { kube, options } = env;
  return {
    /**
     * Writes the status to the JobSet custom resource's status subresource (JobSets that came
     * through the bridge). A server-side apply of the whole status under the worker's field
     * manager: it never conflicts, and since status.conditions is a list-map keyed by type, the
     * conditions the bridge applies under its own manager (UpdateRejected) are kept. A resource
     * that is gone is not an error: the bridge cancels its workflow.
     */
    async writeStatus(input: JobSetTarget & { status: JobSetStatus }): Promise<void> {
      const js = input.jobSet;
      const namespace = jobSetNamespace(js);
      const name = jobSetName(js);
      try {
        // Only onto the resource this workflow belongs to: after a delete and re-create under the
        // same name, the old workflow (until the bridge has cancelled it) must not write onto the
        // new resource. Apply cannot carry a UID precondition, hence the read.
        if (input.owner) {
          const current = (await kube.custom.getNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace, plural: PLURAL, name })) as {
            metadata?: { uid?: string };
          };
          if (current.metadata?.uid !== input.owner.uid) return;
        }
        await applyJobSetStatus(kube, { namespace, name, status: input.status, fieldManager: WorkerFieldManager });
      } catch (err) {
        if (!isNotFound(err)) throw toFailure('writing the JobSet status', err);
      }
    },

    /** Emits Kubernetes Events about the JobSet (after the status they explain is published). */
    async emitEvents(input: JobSetTarget & { events: JobSetEvent[] }): Promise<void> {
      await emit(env, input.jobSet, input.events, input.owner);
      options.metrics?.jobSetEvents(jobSetNamespace(input.jobSet), input.events);
    },
  };
}
