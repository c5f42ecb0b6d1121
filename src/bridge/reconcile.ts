// The reconcile of one JobSet resource: it compares the resource with the latest workflow run
// under its workflow ID and acts:
//
//   resource, no workflow for its UID   -> validate; start the workflow (or mark the resource Failed)
//   resource, its workflow running      -> spec.suspend changes become suspend/resume Updates;
//                                          other spec changes are refused (condition + Event)
//   resource gone, its workflow running -> cancel it (the workflow deletes every child)
//   a previous resource's workflow      -> cancel it and wait, then start the new one
//   a finished resource                 -> delete it once ttlSecondsAfterFinished has run out
//
// Level-triggered: every decision is made from the resource and the workflow as they are, so a
// restarted bridge re-lists everything and neither starts a second workflow nor loses one. The
// resource UID is in the workflow input and memo, so a resource deleted and re-created under the
// same name is a new run. What the Reconciler remembers between calls only spares repeated work
// (an Update sent once per generation, an Event once per resource).
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';

import { ConditionType, GROUP, PLURAL, VERSION } from '../api/constants.js';
import type { FieldIssue } from '../api/errors.js';
import type { JobSet, JobSetStatus } from '../api/schema.js';
import type { ResumeRequest, SuspendRequest } from '../api/updates.js';
import { describeLatest } from '../client/runs.js';
import { startDetails, startSummary } from '../core/summary.js';
import { describeError, isNotFound } from '../k8s/errors.js';
import type { jobSetCleanupWorkflow } from '../../workflows/cleanup.js';
import type { jobSetWorkflow } from '../../workflows/jobset.js';
import {
  JobSetNameKey,
  JobSetNamespaceKey,
  jobSetQuery,
  JobSetStateKey,
  ResourceUidMemo,
  resumeUpdate,
  suspendUpdate,
  workflowId,
  WorkflowType,
} from '../../workflows/contract.js';
import type { BridgeContext } from './context.js';
import { finishEndedRun } from './ended-run.js';
import type { Requeue } from './queue.js';
import {
  admitResource,
  BridgeReason,
  conditionOf,
  describeIssues,
  isFinished,
  isManagedByBridge,
  ownerReference,
  planSpecChange,
  resourceKey,
  ttlExpiry,
  UpdateRejectedCondition,
  type JobSetResource,
} from './resource.js';
import { applyConditions, applyStatus, condition, event } from './writes.js';

/** How long the bridge waits for a workflow to answer a query before retrying later. */
const QueryTimeoutMs = 10_000;

/** Thrown (and retried with backoff) while the workflow ID is held by a JobSet the bridge did not start. */
export class WorkflowIdInUseError extends Error {
  override readonly name = 'WorkflowIdInUseError';
}

/** Reconciles resources one key at a time (the work queue guarantees one call per key at once). */
export class Reconciler {
  /** The generation whose spec was last reconciled against the running workflow, per resource UID. */
  private readonly handledGeneration = new Map<string, number>();
  /** Resource UID -> generation of the suspend/resume Update sent and not answered yet. */
  private readonly updatesInFlight = new Map<string, number>();
  /** Runs of previous resources the bridge asked to cancel (asked once; the reconcile re-checks). */
  private readonly cancelled = new Set<string>();
  /** UIDs already told (by an Event) that their workflow ID is in use. */
  private readonly warnedInUse = new Set<string>();

  constructor(private readonly ctx: BridgeContext) {}

  /** One resource against the latest workflow run under its ID. */
  async reconcile(key: string): Promise<Requeue | void> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const obj = this.ctx.cached(name, namespace) as JobSetResource | undefined;
    const id = workflowId(namespace, name);
    const handle = this.ctx.options.temporal.workflow.getHandle<typeof jobSetWorkflow>(id);
    const latest = await describeLatest(this.ctx.options.temporal, id);
    const runUid = latest?.memo?.[ResourceUidMemo] as string | undefined;

    const live = obj !== undefined && !obj.metadata.deletionTimestamp;
    if (obj?.metadata.deletionTimestamp && obj.metadata.finalizers?.includes(OrphanFinalizer)) {
      // `kubectl delete --cascade=orphan`: the garbage collector first removes the resource's
      // ownerReference from its children, then the resource. Its delete event comes back here;
      // the workflow is cancelled then, and its cleanup deletes only the children it still owns,
      // so the orphaned Jobs keep running, as upstream.
      return;
    }
    if (!live || !isManagedByBridge(obj, this.ctx.options.adoptUnmanaged ?? false)) {
      // Gone, being deleted, or not ours: a bridge workflow under this ID for another (or no)
      // resource UID has lost its resource. Any other workflow is not the bridge's business.
      if (obj?.metadata.uid) this.handledGeneration.delete(obj.metadata.uid);
      if (latest && runUid !== undefined && !(live && runUid === obj.metadata.uid)) await this.resourceGone(handle, latest, runUid);
      return;
    }
    const uid = obj.metadata.uid ?? '';

    if (latest && runUid === uid) {
      if (latest.type === WorkflowType.JobSet) {
        if (latest.status.name === 'RUNNING') await this.syncSpec(obj, handle);
        // Closed: it finished and wrote its terminal status to the resource; if the resource does
        // not show one, the run ended some other way and the bridge finishes the JobSet.
        else if (!isFinished(obj)) await finishEndedRun(this.ctx, obj, latest);
      }
      return this.expireIfDue(obj);
    }
    if (!latest && !isFinished(obj) && hasRun(obj)) {
      // A workflow ran for this resource (it wrote a status) and its runs are gone (the namespace's
      // retention deleted them): never start the JobSet a second time.
      await finishEndedRun(this.ctx, obj, undefined);
      return this.expireIfDue(obj);
    }

    if (latest?.status.name === 'RUNNING') {
      if (runUid === undefined) {
        // Started by the SDK or CLI, not for this resource: never cancelled by the bridge. The
        // resource starts once that JobSet is deleted (retried with backoff).
        if (!this.warnedInUse.has(uid)) {
          this.warnedInUse.add(uid);
          await event(
            this.ctx,
            obj,
            'Warning',
            BridgeReason.WorkflowIDInUse,
            `workflow ${id} runs a JobSet that was not created through this resource; it starts when that JobSet is deleted`,
          );
        }
        throw new WorkflowIdInUseError(`workflow ${id} is in use by a JobSet submitted without this resource`);
      }
      // A previous resource of the same name: its workflow removes its children first. The
      // reconcile does not wait for that (a slow cleanup must not hold a reconcile slot): it
      // looks again shortly, and starts the new workflow once the old run has closed.
      if (latest.type === WorkflowType.JobSet && !this.cancelled.has(latest.runId)) {
        this.ctx.log(`${key}: cancelling the workflow of the previous resource (uid ${runUid})`);
        await handle.cancel();
        this.cancelled.add(latest.runId);
        this.ctx.metrics.actions.inc({ action: 'cancel' });
      }
      return { requeueAfterMs: 1_000 };
    }

    if (isFinished(obj)) return this.expireIfDue(obj);
    const admitted = admitResource(obj);
    if (!admitted.ok) {
      // The status write comes back as a watch event; that reconcile sees the resource finished
      // and handles its TTL.
      await this.markInvalid(obj, admitted.issues);
      return;
    }
    await this.startWorkflow(obj, admitted.jobSet);
  }

  private async startWorkflow(obj: JobSetResource, jobSet: JobSet): Promise<void> {
    const namespace = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const id = workflowId(namespace, name);
    try {
      const handle = await this.ctx.options.temporal.workflow.start<typeof jobSetWorkflow>(WorkflowType.JobSet, {
        taskQueue: this.ctx.options.taskQueue,
        workflowId: id,
        args: [{ jobSet, owner: ownerReference(obj) }],
        memo: { [ResourceUidMemo]: obj.metadata.uid },
        typedSearchAttributes: [
          { key: JobSetNamespaceKey, value: namespace },
          { key: JobSetNameKey, value: name },
          { key: JobSetStateKey, value: jobSet.spec.suspend ? 'Suspended' : 'Running' },
        ],
        ...(this.ctx.options.eagerStart ? { requestEagerStart: true } : {}),
        staticSummary: startSummary(jobSet),
        staticDetails: `${startDetails(jobSet)}\n\nFrom the JobSet resource ${namespace}/${name} (uid ${obj.metadata.uid}).`,
      });
      this.handledGeneration.set(obj.metadata.uid ?? '', obj.metadata.generation ?? 0);
      this.ctx.metrics.actions.inc({ action: 'start' });
      this.ctx.log(
        `${namespace}/${name}: started workflow ${id} (run ${handle.firstExecutionRunId}${handle.eagerlyStarted ? ', eager: its first task runs here' : ''})`,
      );
      await event(
        this.ctx,
        obj,
        'Normal',
        BridgeReason.WorkflowStarted,
        `started workflow ${id} (run ${handle.firstExecutionRunId}) on task queue ${this.ctx.options.taskQueue}`,
      );
    } catch (err) {
      // Started meanwhile (by a bridge that ran a moment ago): reconcile again to see by whom.
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new Error(`workflow ${id} was started meanwhile`, { cause: err });
      throw err;
    }
  }

  /**
   * The resource's spec against the JobSet the workflow runs, once per generation: suspend and
   * resume Updates, or a refusal. A refusal stays on the resource until the spec is put back.
   */
  private async syncSpec(obj: JobSetResource, handle: WorkflowHandle<typeof jobSetWorkflow>): Promise<void> {
    const uid = obj.metadata.uid ?? '';
    const generation = obj.metadata.generation ?? 0;
    if (this.handledGeneration.get(uid) === generation) return;
    // An Update already on its way: its answer enqueues the resource again.
    if (this.updatesInFlight.has(uid)) return;
    // Bounded: a query waits for a worker, and a reconcile must not hold its slot for long. A
    // deadline, not an AbortSignal: the worker's native connection (`jobset controller`) ignores signals.
    const running = await this.ctx.untilStopped(this.ctx.options.temporal.withDeadline(Date.now() + QueryTimeoutMs, () => handle.query(jobSetQuery)));
    const desired = admitResource(obj);
    const change = desired.ok ? planSpecChange(running, desired.jobSet) : { kind: 'reject' as const, issues: desired.issues };
    const key = resourceKey(obj);
    switch (change.kind) {
      case 'reject':
        await this.rejectUpdate(obj, change.issues);
        this.handledGeneration.set(uid, generation);
        return;
      case 'suspend':
        this.ctx.log(`${key}: suspending`);
        return this.sendUpdate(obj, generation, 'suspend', () => handle.executeUpdate<JobSetStatus, [SuspendRequest]>(suspendUpdate.name, { args: [{}] }));
      case 'resume': {
        this.ctx.log(`${key}: resuming`);
        const request = change.request;
        return this.sendUpdate(obj, generation, 'resume', () => handle.executeUpdate<JobSetStatus, [ResumeRequest]>(resumeUpdate.name, { args: [request] }));
      }
      case 'none':
        if (conditionOf(obj, UpdateRejectedCondition)) await applyConditions(this.ctx, obj, []);
        this.handledGeneration.set(uid, generation);
        return;
    }
  }

  /**
   * Sends a suspend/resume Update without holding the reconcile slot: the Update returns only once
   * a pass of the workflow has acted on it, which takes as long as the Kubernetes requests of that
   * pass take. Its answer (applied, or refused by the workflow) is recorded when it comes, and the
   * resource is reconciled again; an error other than a refusal is retried by that reconcile.
   */
  private sendUpdate(obj: JobSetResource, generation: number, action: 'suspend' | 'resume', send: () => Promise<JobSetStatus>): void {
    const uid = obj.metadata.uid ?? '';
    const key = resourceKey(obj);
    this.updatesInFlight.set(uid, generation);
    void send()
      .then(async () => {
        this.ctx.metrics.actions.inc({ action });
        this.handledGeneration.set(uid, generation);
        if (!this.ctx.stopped() && conditionOf(obj, UpdateRejectedCondition)) await applyConditions(this.ctx, obj, []);
      })
      .catch(async (err: unknown) => {
        if (this.ctx.stopped()) return;
        if (err instanceof WorkflowUpdateFailedError) {
          // The workflow refused (it finished meanwhile, or the request is invalid): tell the user
          // once; retrying the same request cannot succeed.
          const message = (err.cause as Error | undefined)?.message ?? err.message;
          this.handledGeneration.set(uid, generation);
          await event(this.ctx, obj, 'Warning', BridgeReason.UpdateRejected, `spec.suspend change not applied: ${message}`);
          return;
        }
        this.ctx.log(`${key}: ${action} Update failed (retrying): ${describeError(err)}`);
      })
      .finally(() => {
        this.updatesInFlight.delete(uid);
        this.ctx.enqueue(key);
      });
  }

  /** The resource is gone (or another resource took its name): end its workflow. */
  private async resourceGone(handle: WorkflowHandle<typeof jobSetWorkflow>, latest: WorkflowExecutionDescription, runUid: string): Promise<void> {
    if (latest.status.name === 'RUNNING') {
      if (latest.type !== WorkflowType.JobSet) return; // a cleanup already running
      this.ctx.log(`${handle.workflowId}: resource (uid ${runUid}) deleted, cancelling the workflow`);
      await handle.cancel();
      this.ctx.metrics.actions.inc({ action: 'cancel' });
      return;
    }
    if (latest.type !== WorkflowType.JobSet || latest.status.name === 'CANCELLED') return;
    // It had finished: the same cleanup run as `jobset delete` marks it deleted for the SDK and
    // CLI and removes the finished Jobs (the garbage collector does too, through ownerReferences).
    const jobSet = await handle.query(jobSetQuery);
    try {
      await this.ctx.options.temporal.workflow.start<typeof jobSetCleanupWorkflow>(WorkflowType.Cleanup, {
        taskQueue: this.ctx.options.taskQueue,
        workflowId: handle.workflowId,
        args: [{ jobSet }],
        memo: { [ResourceUidMemo]: runUid },
        typedSearchAttributes: [
          { key: JobSetNamespaceKey, value: jobSet.metadata.namespace ?? '' },
          { key: JobSetNameKey, value: jobSet.metadata.name ?? '' },
        ],
        staticSummary: `delete JobSet ${jobSet.metadata.namespace}/${jobSet.metadata.name} (resource ${runUid} deleted)`,
      });
      this.ctx.metrics.actions.inc({ action: 'cleanup' });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /** Deletes a finished resource whose ttlSecondsAfterFinished has run out (upstream TTL). */
  private async expireIfDue(obj: JobSetResource): Promise<Requeue | void> {
    const expiry = ttlExpiry(obj);
    if (expiry === undefined) return;
    const wait = expiry - Date.now();
    if (wait > 0) return { requeueAfterMs: wait };
    try {
      await this.ctx.options.kube.custom.deleteNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: obj.metadata.namespace ?? '',
        plural: PLURAL,
        name: obj.metadata.name ?? '',
        // Only this resource, never one re-created under the same name meanwhile.
        body: { preconditions: { uid: obj.metadata.uid } },
      });
      this.ctx.metrics.actions.inc({ action: 'ttl_delete' });
      this.ctx.log(`${resourceKey(obj)}: deleted, ttlSecondsAfterFinished expired`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Create validation refused the resource: Failed condition and a Warning Event; nothing runs. */
  private async markInvalid(obj: JobSetResource, issues: readonly FieldIssue[]): Promise<void> {
    const message = `invalid JobSet: ${describeIssues(issues)}`;
    this.ctx.log(`${resourceKey(obj)}: ${message}`);
    await applyStatus(this.ctx, obj, {
      conditions: [condition(obj, ConditionType.Failed, BridgeReason.ValidationFailed, message)],
      terminalState: 'Failed',
      restarts: 0,
      restartsCountTowardsMax: 0,
      replicatedJobsStatus: [],
    });
    this.ctx.metrics.actions.inc({ action: 'invalid' });
    await event(this.ctx, obj, 'Warning', BridgeReason.ValidationFailed, message);
  }

  /** A spec change the workflow cannot take: UpdateRejected condition and a Warning Event. */
  private async rejectUpdate(obj: JobSetResource, issues: readonly FieldIssue[]): Promise<void> {
    const message = `spec change not applied: ${describeIssues(issues)}`;
    const existing = conditionOf(obj, UpdateRejectedCondition);
    // Already reported for this generation (by this bridge before a restart): do not repeat.
    if (existing?.status === 'True' && existing.observedGeneration === obj.metadata.generation && existing.message === message) return;
    this.ctx.log(`${resourceKey(obj)}: ${message}`);
    await applyConditions(this.ctx, obj, [condition(obj, UpdateRejectedCondition, BridgeReason.UpdateRejected, message)]);
    this.ctx.metrics.actions.inc({ action: 'reject' });
    await event(this.ctx, obj, 'Warning', BridgeReason.UpdateRejected, message);
  }
}

/** The finalizer the API server puts on an object deleted with propagationPolicy Orphan. */
const OrphanFinalizer = 'orphan';

/** A workflow ran for the resource: its first pass wrote the per-replicatedJob counts. */
function hasRun(obj: JobSetResource): boolean {
  return (obj.status?.replicatedJobsStatus ?? []).length > 0;
}
