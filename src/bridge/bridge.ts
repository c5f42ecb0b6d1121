// The CRD bridge: JobSet custom resources -> JobSet workflows. An informer (list + watch, re-listed
// after watch expiry, restarted after errors) feeds a keyed work queue; each reconcile compares one
// resource with the latest workflow run under its workflow ID and acts:
//
//   resource, no workflow for its UID   -> validate; start the workflow (or mark the resource Failed)
//   resource, its workflow running      -> spec.suspend changes become suspend/resume Updates;
//                                          other spec changes are refused (condition + Event)
//   resource gone, its workflow running -> cancel it (the workflow deletes every child)
//   a previous resource's workflow      -> cancel it and wait, then start the new one
//
// Level-triggered: every decision is made from the resource and the workflow as they are, so a
// restarted bridge re-lists everything and neither starts a second workflow nor loses one. The
// resource UID is in the workflow input and memo, so a resource deleted and re-created under the
// same name is a new run. Status is written by the workflow itself (activity writeStatus); the
// bridge writes only its own conditions, by server-side apply under its own field manager.
import type { Informer, KubernetesListObject, KubernetesObject, ObjectCache } from '@kubernetes/client-node';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';

import { ApplicationFailure, CancelledFailure } from '@temporalio/common';

import { API_VERSION, ConditionType, GROUP, KIND, PLURAL, RunEndedReason, VERSION } from '../api/constants.js';
import type { FieldIssue } from '../api/errors.js';
import type { JobSet, JobSetStatus } from '../api/schema.js';
import type { ResumeRequest, SuspendRequest } from '../api/updates.js';
import { endedRunView, failedStatus, runEndedReason } from '../client/runs.js';
import { startDetails, startSummary } from '../core/summary.js';
import type { KubeClients } from '../k8s/client.js';
import { describeError, isNotFound } from '../k8s/errors.js';
import { makeInformer, PatchStrategy, setHeaderOptions } from '../k8s/kube.js';
import type { jobSetCleanupWorkflow } from '../../workflows/cleanup.js';
import type { jobSetWorkflow } from '../../workflows/jobset.js';
import {
  type FinishedJobSet,
  InvalidJobSetFailure,
  JobSetFailedFailure,
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
import { BridgeMetrics } from './metrics.js';
import { exponentialBackoff, KeyedQueue, type Requeue } from './queue.js';
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

/** How long the bridge waits for a workflow to answer a query before retrying later. */
const QueryTimeoutMs = 10_000;

/** Field manager of the conditions the bridge applies to the status subresource. */
export const BridgeFieldManager = 'jobset-temporal-bridge';

export interface BridgeOptions {
  kube: KubeClients;
  /** A connected Temporal client (its namespace is the one used). */
  temporal: Client;
  /** Task queue of the JobSet workers. */
  taskQueue: string;
  /**
   * Ask the server to hand a new JobSet's first workflow task straight back in the start's answer
   * (eager workflow start), to a worker in this process on the same connection: `jobset controller`.
   */
  eagerStart?: boolean;
  /** Also take resources without spec.managedBy (clusters without the upstream controller). */
  adoptUnmanaged?: boolean;
  /** Watch one Kubernetes namespace instead of all. */
  namespace?: string;
  /** Resources reconciled at the same time (default 4). */
  concurrency?: number;
  /** Every resource is reconciled again this often (default 5 minutes). */
  resyncMs?: number;
  /** /readyz fails while a reconcile has been running this long (default 2 minutes). */
  stallAfterMs?: number;
  metrics?: BridgeMetrics;
  log?: (message: string) => void;
}

/** Ends a reconcile that was waiting on Temporal when the bridge was told to stop. */
export class BridgeStoppedError extends Error {
  override readonly name = 'BridgeStoppedError';
  constructor() {
    super('the bridge is stopping');
  }
}

/** Thrown (and retried with backoff) while the workflow ID is held by a JobSet the bridge did not start. */
export class WorkflowIdInUseError extends Error {
  override readonly name = 'WorkflowIdInUseError';
}

export class JobSetBridge {
  readonly metrics: BridgeMetrics;
  // Custom objects arrive as plain JSON (timestamps are strings): the informer holds them as
  // KubernetesObject and reconcile reads them as JobSetResource.
  private readonly informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  private readonly queue: KeyedQueue;
  private readonly log: (message: string) => void;
  /** The generation whose spec was last reconciled against the running workflow, per resource UID. */
  private readonly handledGeneration = new Map<string, number>();
  /** Resource UID -> generation of the suspend/resume Update sent and not answered yet. */
  private readonly updatesInFlight = new Map<string, number>();
  /** Runs of previous resources the bridge asked to cancel (asked once; the reconcile re-checks). */
  private readonly cancelled = new Set<string>();
  /** UIDs already told (by an Event) that their workflow ID is in use. */
  private readonly warnedInUse = new Set<string>();
  private synced = false;
  private connected = false;
  private stopped = false;
  private informerRestart: NodeJS.Timeout | undefined;
  private informerFailures = 0;
  private resync: NodeJS.Timeout | undefined;
  /** Rejects when stop() is called: waits on Temporal (a cancelled run to end, an Update) race it. */
  private readonly stopping: Promise<never>;
  private signalStop: (err: Error) => void = () => undefined;

  constructor(private readonly options: BridgeOptions) {
    this.stopping = new Promise<never>((_, reject) => (this.signalStop = reject));
    this.stopping.catch(() => undefined);
    this.metrics = options.metrics ?? new BridgeMetrics();
    this.log = options.log ?? ((m) => console.error(`jobset bridge: ${m}`));
    const { kube, namespace } = options;
    const path = namespace ? `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}` : `/apis/${GROUP}/${VERSION}/${PLURAL}`;
    const list = async () =>
      (namespace
        ? await kube.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL })
        : await kube.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL })) as KubernetesListObject<KubernetesObject>;
    this.informer = makeInformer<KubernetesObject>(kube.config, path, list);
    this.queue = new KeyedQueue((key) => this.timedReconcile(key), {
      concurrency: options.concurrency ?? 4,
      backoffMs: exponentialBackoff(500, 60_000),
      onError: (key, err, attempt) => {
        if (!this.stopped) this.log(`reconcile ${key} failed (attempt ${attempt}, retrying): ${describeError(err)}`);
      },
    });
    const enqueue = (obj: KubernetesObject) => this.queue.add(resourceKey(obj as JobSetResource));
    this.informer.on('add', enqueue);
    this.informer.on('update', enqueue);
    this.informer.on('delete', enqueue);
    this.informer.on('error', (err: unknown) => {
      // The informer stops on any error other than an expired resourceVersion (which it handles
      // by re-listing): start it again with backoff. It resumes from the last resourceVersion.
      this.connected = false;
      if (this.stopped) return;
      this.informerFailures++;
      const delay = exponentialBackoff(500, 30_000)(this.informerFailures);
      this.log(`watch of JobSets failed, restarting in ${delay} ms: ${describeError(err)}`);
      clearTimeout(this.informerRestart);
      this.informerRestart = setTimeout(() => void this.startInformer(), delay);
    });
  }

  /** Lists every JobSet, then watches; resolves once the first list is in (or keeps retrying). */
  async start(): Promise<void> {
    await this.startInformer();
    const every = this.options.resyncMs ?? 5 * 60_000;
    this.resync = setInterval(() => void this.resyncAll(), every);
    this.resync.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signalStop(new BridgeStoppedError());
    clearTimeout(this.informerRestart);
    clearInterval(this.resync);
    await this.informer.stop();
    await this.queue.stop();
  }

  /**
   * The resource list is loaded, the watch is up, and no reconcile has been running for longer
   * than `stallAfterMs` (a hung call to Temporal or Kubernetes holds a slot of the queue; a few
   * of them stall every JobSet behind them).
   */
  ready(): boolean {
    return this.synced && this.connected && !this.stopped && this.queue.longestRunningMs() < (this.options.stallAfterMs ?? 120_000);
  }

  healthy(): boolean {
    return !this.stopped;
  }

  /** Resolves when every queued reconcile has run (tests, graceful shutdown). */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  /** `p`, or BridgeStoppedError as soon as stop() is called (the wait itself is abandoned). */
  private untilStopped<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.stopping]);
  }

  private async startInformer(): Promise<void> {
    if (this.stopped) return;
    const failuresBefore = this.informerFailures;
    await this.informer.start();
    // start() resolves after the list and the watch request, also when one of them failed (the
    // error handler then counted the failure and scheduled the next attempt).
    if (this.informerFailures !== failuresBefore) return;
    this.informerFailures = 0;
    this.connected = true;
    if (!this.synced) {
      this.synced = true;
      this.log(`watching JobSets${this.options.namespace ? ` in namespace ${this.options.namespace}` : ''}; ${this.informer.list().length} found`);
      await this.sweepWorkflows();
    }
  }

  /** Periodic safety net: reconcile every known resource and every running bridge workflow. */
  private async resyncAll(): Promise<void> {
    if (!this.synced || this.stopped) return;
    for (const obj of this.informer.list()) this.queue.add(resourceKey(obj as JobSetResource));
    await this.sweepWorkflows();
  }

  /**
   * Running workflows the bridge started, whose resource may be gone (deleted while the bridge was
   * down): each is reconciled, which cancels it when no resource with its UID exists.
   */
  private async sweepWorkflows(): Promise<void> {
    const queue = `WorkflowType = '${WorkflowType.JobSet}' AND ExecutionStatus = 'Running' AND TaskQueue = '${this.options.taskQueue.replaceAll("'", "\\'")}'`;
    try {
      for await (const wf of this.options.temporal.workflow.list({ query: queue })) {
        if (wf.memo?.[ResourceUidMemo] === undefined) continue;
        const m = /^jobset\/([^/]+)\/(.+)$/.exec(wf.workflowId);
        if (!m) continue;
        const [, namespace, name] = m as unknown as [string, string, string];
        if (this.options.namespace && namespace !== this.options.namespace) continue;
        this.queue.add(`${namespace}/${name}`);
      }
    } catch (err) {
      this.log(`listing running JobSet workflows failed (the next resync retries): ${describeError(err)}`);
    }
  }

  private async timedReconcile(key: string): Promise<Requeue | void> {
    const end = this.metrics.reconcileDuration.startTimer();
    try {
      const result = await this.reconcile(key);
      end({ result: 'success' });
      return result;
    } catch (err) {
      end({ result: 'error' });
      throw err;
    }
  }

  /** One resource against the latest workflow run under its ID. */
  async reconcile(key: string): Promise<Requeue | void> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const obj = this.informer.get(name, namespace) as JobSetResource | undefined;
    const id = workflowId(namespace, name);
    const handle = this.options.temporal.workflow.getHandle<typeof jobSetWorkflow>(id);
    const latest = await describeLatest(handle);
    const runUid = latest?.memo?.[ResourceUidMemo] as string | undefined;

    const live = obj !== undefined && !obj.metadata.deletionTimestamp;
    if (obj?.metadata.deletionTimestamp && obj.metadata.finalizers?.includes(OrphanFinalizer)) {
      // `kubectl delete --cascade=orphan`: the garbage collector first removes the resource's
      // ownerReference from its children, then the resource. Its delete event comes back here;
      // the workflow is cancelled then, and its cleanup deletes only the children it still owns,
      // so the orphaned Jobs keep running, as upstream.
      return;
    }
    if (!live || !isManagedByBridge(obj, this.options.adoptUnmanaged ?? false)) {
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
        else if (!isFinished(obj)) await this.finishEndedRun(obj, latest);
      }
      return this.expireIfDue(obj);
    }
    if (!latest && !isFinished(obj) && hasRun(obj)) {
      // A workflow ran for this resource (it wrote a status) and its runs are gone (the namespace's
      // retention deleted them): never start the JobSet a second time.
      await this.finishEndedRun(obj, undefined);
      return this.expireIfDue(obj);
    }

    if (latest?.status.name === 'RUNNING') {
      if (runUid === undefined) {
        // Started by the SDK or CLI, not for this resource: never cancelled by the bridge. The
        // resource starts once that JobSet is deleted (retried with backoff).
        if (!this.warnedInUse.has(uid)) {
          this.warnedInUse.add(uid);
          await this.event(
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
        this.log(`${key}: cancelling the workflow of the previous resource (uid ${runUid})`);
        await handle.cancel();
        this.cancelled.add(latest.runId);
        this.metrics.actions.inc({ action: 'cancel' });
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
      const handle = await this.options.temporal.workflow.start<typeof jobSetWorkflow>(WorkflowType.JobSet, {
        taskQueue: this.options.taskQueue,
        workflowId: id,
        args: [{ jobSet, owner: ownerReference(obj) }],
        memo: { [ResourceUidMemo]: obj.metadata.uid },
        typedSearchAttributes: [
          { key: JobSetNamespaceKey, value: namespace },
          { key: JobSetNameKey, value: name },
          { key: JobSetStateKey, value: jobSet.spec.suspend ? 'Suspended' : 'Running' },
        ],
        ...(this.options.eagerStart ? { requestEagerStart: true } : {}),
        staticSummary: startSummary(jobSet),
        staticDetails: `${startDetails(jobSet)}\n\nFrom the JobSet resource ${namespace}/${name} (uid ${obj.metadata.uid}).`,
      });
      this.handledGeneration.set(obj.metadata.uid ?? '', obj.metadata.generation ?? 0);
      this.metrics.actions.inc({ action: 'start' });
      this.log(
        `${namespace}/${name}: started workflow ${id} (run ${handle.firstExecutionRunId}${handle.eagerlyStarted ? ', eager: its first task runs here' : ''})`,
      );
      await this.event(
        obj,
        'Normal',
        BridgeReason.WorkflowStarted,
        `started workflow ${id} (run ${handle.firstExecutionRunId}) on task queue ${this.options.taskQueue}`,
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
    const running = await this.untilStopped(this.options.temporal.withDeadline(Date.now() + QueryTimeoutMs, () => handle.query(jobSetQuery)));
    const desired = admitResource(obj);
    const change = desired.ok ? planSpecChange(running, desired.jobSet) : { kind: 'reject' as const, issues: desired.issues };
    const key = resourceKey(obj);
    switch (change.kind) {
      case 'reject':
        await this.rejectUpdate(obj, change.issues);
        this.handledGeneration.set(uid, generation);
        return;
      case 'suspend':
        this.log(`${key}: suspending`);
        return this.sendUpdate(obj, generation, 'suspend', () => handle.executeUpdate<JobSetStatus, [SuspendRequest]>(suspendUpdate.name, { args: [{}] }));
      case 'resume': {
        this.log(`${key}: resuming`);
        const request = change.request;
        return this.sendUpdate(obj, generation, 'resume', () => handle.executeUpdate<JobSetStatus, [ResumeRequest]>(resumeUpdate.name, { args: [request] }));
      }
      case 'none':
        if (conditionOf(obj, UpdateRejectedCondition)) await this.applyConditions(obj, []);
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
        this.metrics.actions.inc({ action });
        this.handledGeneration.set(uid, generation);
        if (!this.stopped && conditionOf(obj, UpdateRejectedCondition)) await this.applyConditions(obj, []);
      })
      .catch(async (err: unknown) => {
        if (this.stopped) return;
        if (err instanceof WorkflowUpdateFailedError) {
          // The workflow refused (it finished meanwhile, or the request is invalid): tell the user
          // once; retrying the same request cannot succeed.
          const message = (err.cause as Error | undefined)?.message ?? err.message;
          this.handledGeneration.set(uid, generation);
          await this.event(obj, 'Warning', BridgeReason.UpdateRejected, `spec.suspend change not applied: ${message}`);
          return;
        }
        this.log(`${key}: ${action} Update failed (retrying): ${describeError(err)}`);
      })
      .finally(() => {
        this.updatesInFlight.delete(uid);
        this.queue.add(key);
      });
  }

  /**
   * The resource's workflow ended without the resource showing a terminal status: terminated or
   * timed out by an operator, failed by an error of its own, cancelled from Temporal while the
   * resource exists, or its status write failed. The resource gets the run's final status (or
   * Failed, the reason naming how the run ended) and, when the run may have left Jobs running, a
   * new run that starts terminal deletes them (finished Jobs are kept, as for any failure). The
   * terminal status on the resource is what keeps the JobSet from ever being started again.
   */
  private async finishEndedRun(obj: JobSetResource, latest: WorkflowExecutionDescription | undefined): Promise<void> {
    // The informer's copy may predate the workflow's last status write: decide on a fresh read.
    const fresh = await this.readResource(obj);
    if (!fresh || fresh.metadata.uid !== obj.metadata.uid || isFinished(fresh)) return;
    const namespace = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const id = workflowId(namespace, name);
    const ended = latest ? await this.endedOutcome(latest) : undefined;
    const outcome = ended ?? {
      jobSet: undefined,
      status: failedStatus(
        { conditions: [], restarts: 0, restartsCountTowardsMax: 0, replicatedJobsStatus: [], ...fresh.status },
        RunEndedReason.Failed,
        `the workflow ${id} of this JobSet no longer exists (removed by the Temporal namespace's retention?); the JobSet is not started again`,
        new Date(),
      ),
      leftJobs: true,
    };
    const failed = outcome.status.conditions.find((c) => c.type === ConditionType.Failed && c.status === 'True');
    this.log(`${resourceKey(obj)}: workflow ended without finishing the JobSet: ${failed?.reason ?? outcome.status.terminalState}`);
    await this.applyStatus(obj, outcome.status);
    this.metrics.actions.inc({ action: 'finish_ended' });
    if (failed) await this.event(obj, 'Warning', failed.reason, failed.message);
    if (!outcome.leftJobs) return;
    const admitted = outcome.jobSet ? { ok: true as const, jobSet: outcome.jobSet } : admitResource(obj);
    if (!admitted.ok) return;
    try {
      await this.options.temporal.workflow.start<typeof jobSetWorkflow>(WorkflowType.JobSet, {
        taskQueue: this.options.taskQueue,
        workflowId: id,
        args: [{ jobSet: admitted.jobSet, owner: ownerReference(obj), status: outcome.status }],
        memo: { [ResourceUidMemo]: obj.metadata.uid },
        typedSearchAttributes: [
          { key: JobSetNamespaceKey, value: namespace },
          { key: JobSetNameKey, value: name },
          { key: JobSetStateKey, value: 'Failed' },
        ],
        staticSummary: `JobSet ${namespace}/${name}: delete the Jobs its ended workflow left (${failed?.reason ?? ''})`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /**
   * How a closed run ended: a finished JobSet (Completed, or Failed by its policies) with its
   * final status, or a Failed status naming how the run ended; `leftJobs` when its Jobs may still
   * run (a cancelled run deleted them, a finished one deleted the active ones).
   */
  private async endedOutcome(run: WorkflowExecutionDescription): Promise<{ jobSet: JobSet | undefined; status: JobSetStatus; leftJobs: boolean }> {
    const handle = this.options.temporal.workflow.getHandle<typeof jobSetWorkflow>(run.workflowId, run.runId, { followRuns: false });
    try {
      const finished = await handle.result();
      return { jobSet: finished, status: finished.status, leftJobs: false };
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err;
      const cause = err.cause;
      if (cause instanceof ApplicationFailure && cause.type === JobSetFailedFailure) {
        const finished = cause.details?.[0] as FinishedJobSet;
        return { jobSet: finished, status: finished.status, leftJobs: false };
      }
      if (cause instanceof ApplicationFailure && cause.type === InvalidJobSetFailure) {
        const view = await endedRunView(this.options.temporal, run, BridgeReason.ValidationFailed, cause.message);
        return { ...view, leftJobs: false };
      }
      if (cause instanceof CancelledFailure) {
        const view = await endedRunView(
          this.options.temporal,
          run,
          RunEndedReason.Cancelled,
          `workflow ${run.workflowId} was cancelled while this resource exists; its child objects were deleted`,
        );
        return { ...view, leftJobs: false };
      }
      const reason = runEndedReason(cause);
      const view = await endedRunView(
        this.options.temporal,
        run,
        reason,
        `workflow ${run.workflowId} (run ${run.runId}) ended ${run.status.name} without finishing the JobSet: ${cause?.message || err.message}`,
      );
      return { ...view, leftJobs: true };
    }
  }

  private async readResource(obj: JobSetResource): Promise<JobSetResource | undefined> {
    try {
      return (await this.options.kube.custom.getNamespacedCustomObject({
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

  /** The resource is gone (or another resource took its name): end its workflow. */
  private async resourceGone(handle: WorkflowHandle<typeof jobSetWorkflow>, latest: WorkflowExecutionDescription, runUid: string): Promise<void> {
    if (latest.status.name === 'RUNNING') {
      if (latest.type !== WorkflowType.JobSet) return; // a cleanup already running
      this.log(`${handle.workflowId}: resource (uid ${runUid}) deleted, cancelling the workflow`);
      await handle.cancel();
      this.metrics.actions.inc({ action: 'cancel' });
      return;
    }
    if (latest.type !== WorkflowType.JobSet || latest.status.name === 'CANCELLED') return;
    // It had finished: the same cleanup run as `jobset delete` marks it deleted for the SDK and
    // CLI and removes the finished Jobs (the garbage collector does too, through ownerReferences).
    const jobSet = await handle.query(jobSetQuery);
    try {
      await this.options.temporal.workflow.start<typeof jobSetCleanupWorkflow>(WorkflowType.Cleanup, {
        taskQueue: this.options.taskQueue,
        workflowId: handle.workflowId,
        args: [{ jobSet }],
        memo: { [ResourceUidMemo]: runUid },
        typedSearchAttributes: [
          { key: JobSetNamespaceKey, value: jobSet.metadata.namespace ?? '' },
          { key: JobSetNameKey, value: jobSet.metadata.name ?? '' },
        ],
        staticSummary: `delete JobSet ${jobSet.metadata.namespace}/${jobSet.metadata.name} (resource ${runUid} deleted)`,
      });
      this.metrics.actions.inc({ action: 'cleanup' });
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
      await this.options.kube.custom.deleteNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: obj.metadata.namespace ?? '',
        plural: PLURAL,
        name: obj.metadata.name ?? '',
        // Only this resource, never one re-created under the same name meanwhile.
        body: { preconditions: { uid: obj.metadata.uid } },
      });
      this.metrics.actions.inc({ action: 'ttl_delete' });
      this.log(`${resourceKey(obj)}: deleted, ttlSecondsAfterFinished expired`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Create validation refused the resource: Failed condition and a Warning Event; nothing runs. */
  private async markInvalid(obj: JobSetResource, issues: readonly FieldIssue[]): Promise<void> {
    const message = `invalid JobSet: ${describeIssues(issues)}`;
    this.log(`${resourceKey(obj)}: ${message}`);
    await this.applyStatus(obj, {
      conditions: [this.condition(obj, ConditionType.Failed, BridgeReason.ValidationFailed, message)],
      terminalState: 'Failed',
      restarts: 0,
      restartsCountTowardsMax: 0,
      replicatedJobsStatus: [],
    });
    this.metrics.actions.inc({ action: 'invalid' });
    await this.event(obj, 'Warning', BridgeReason.ValidationFailed, message);
  }

  /** A spec change the workflow cannot take: UpdateRejected condition and a Warning Event. */
  private async rejectUpdate(obj: JobSetResource, issues: readonly FieldIssue[]): Promise<void> {
    const message = `spec change not applied: ${describeIssues(issues)}`;
    const existing = conditionOf(obj, UpdateRejectedCondition);
    // Already reported for this generation (by this bridge before a restart): do not repeat.
    if (existing?.status === 'True' && existing.observedGeneration === obj.metadata.generation && existing.message === message) return;
    this.log(`${resourceKey(obj)}: ${message}`);
    await this.applyConditions(obj, [this.condition(obj, UpdateRejectedCondition, BridgeReason.UpdateRejected, message)]);
    this.metrics.actions.inc({ action: 'reject' });
    await this.event(obj, 'Warning', BridgeReason.UpdateRejected, message);
  }

  private condition(obj: JobSetResource, type: string, reason: string, message: string) {
    return {
      type,
      status: 'True' as const,
      reason,
      message,
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      ...(obj.metadata.generation !== undefined ? { observedGeneration: obj.metadata.generation } : {}),
    };
  }

  /** The bridge's own conditions (an empty list withdraws them); the workflow's are untouched. */
  private applyConditions(obj: JobSetResource, conditions: ReturnType<JobSetBridge['condition']>[]): Promise<void> {
    return this.applyStatus(obj, { conditions });
  }

  private async applyStatus(obj: JobSetResource, status: Partial<JobSetStatus>): Promise<void> {
    const namespace = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    try {
      await this.options.kube.custom.patchNamespacedCustomObjectStatus(
        {
          group: GROUP,
          version: VERSION,
          namespace,
          plural: PLURAL,
          name,
          body: { apiVersion: API_VERSION, kind: KIND, metadata: { name, namespace }, status },
          fieldManager: BridgeFieldManager,
          force: true,
        },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async event(obj: JobSetResource, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const namespace = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const now = new Date();
    try {
      await this.options.kube.core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { generateName: `${name}.`, namespace },
          involvedObject: { apiVersion: API_VERSION, kind: KIND, name, namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
          type,
          reason,
          // The API server caps Event messages at 1 KiB.
          message: message.length > 1024 ? `${message.slice(0, 1021)}...` : message,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          source: { component: BridgeFieldManager },
          reportingComponent: 'jobset-temporal.io/bridge',
          reportingInstance: BridgeFieldManager,
          action: 'Reconciling',
        },
      });
    } catch (err) {
      // Events are best effort (as with client-go's recorder): the condition carries the same.
      this.log(`${namespace}/${name}: event ${reason} not recorded: ${describeError(err)}`);
    }
  }
}

/** The latest run under the workflow ID, or undefined when none ever ran. */
async function describeLatest(handle: WorkflowHandle): Promise<WorkflowExecutionDescription | undefined> {
  try {
    return await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** The finalizer the API server puts on an object deleted with propagationPolicy Orphan. */
const OrphanFinalizer = 'orphan';

/** A workflow ran for the resource: its first pass wrote the per-replicatedJob counts. */
function hasRun(obj: JobSetResource): boolean {
  return (obj.status?.replicatedJobsStatus ?? []).length > 0;
}
