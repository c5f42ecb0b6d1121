// The bridge's own reads and writes of a JobSet resource: its conditions (and, for a JobSet the
// bridge finishes, its status) by server-side apply under the bridge's field manager, so the
// workflow's status fields stay the workflow's; Events (best effort); and a fresh read of the
// resource where the informer's copy may be stale.
import { GROUP, PLURAL, VERSION } from '../api/constants.js';
import type { JobSetStatus } from '../api/schema.js';
import { describeError, isNotFound } from '../k8s/errors.js';
import { applyJobSetStatus, createJobSetEvent } from '../k8s/writes.js';
import type { BridgeContext } from './context.js';
import type { JobSetResource } from './resource.js';

/** Field manager of the conditions the bridge applies to the status subresource. */
export const BridgeFieldManager = 'jobset-temporal-bridge';

/** A condition the bridge sets (True, now), for the resource's current generation. */
export function condition(obj: JobSetResource, type: string, reason: string, message: string) {
  return {
    type,
    status: 'True' as const,
    reason,
    message,
    lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    ...(obj.metadata.generation !== undefined ? { observedGeneration: obj.metadata.generation } : {}),
  };
}

export type BridgeCondition = ReturnType<typeof condition>;

/** The bridge's own conditions (an empty list withdraws them); the workflow's are untouched. */
export function applyConditions(ctx: BridgeContext, obj: JobSetResource, conditions: BridgeCondition[]): Promise<void> {
  return applyStatus(ctx, obj, { conditions });
}

/** Server-side apply of these status fields under the bridge's field manager; a resource gone meanwhile needs none. */
export async function applyStatus(ctx: BridgeContext, obj: JobSetResource, status: Partial<JobSetStatus>): Promise<void> {
  try {
    await applyJobSetStatus(ctx.options.kube, {
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name ?? '',
      status,
      fieldManager: BridgeFieldManager,
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** The bridge as the recorder of its Events. */
const bridgeReporter = { source: { component: BridgeFieldManager }, reportingComponent: 'jobset-temporal.io/bridge', reportingInstance: BridgeFieldManager };

/** An Event about the resource, as the upstream controller records them (action Reconciling). */
export async function event(ctx: BridgeContext, obj: JobSetResource, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
  const namespace = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  try {
    await createJobSetEvent(ctx.options.kube, {
      namespace,
      name,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      type,
      reason,
      // The API server caps Event messages at 1 KiB.
      message: message.length > 1024 ? `${message.slice(0, 1021)}...` : message,
      reporter: bridgeReporter,
    });
  } catch (err) {
    // Events are best effort (as with client-go's recorder): the condition carries the same.
    ctx.log(`${namespace}/${name}: event ${reason} not recorded: ${describeError(err)}`);
  }
}

/** The resource as the API server has it now, or undefined when it is gone. */
export async function readResource(ctx: BridgeContext, obj: JobSetResource): Promise<JobSetResource | undefined> {
  try {
    return (await ctx.options.kube.custom.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: obj.metadata.namespace ?? '',
      plural: PLURAL,
      name: obj.metadata.name ?? '',
    })) as JobSetResource;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
