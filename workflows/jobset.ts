// One JobSet = one workflow: a durable reconcile loop. Observe the child Jobs (an activity that
// returns when something the decision depends on changes), decide (pure, src/core), act
// (activities), publish the status, repeat until the JobSet is terminal.
//
// Deterministic code only: this file is bundled into the workflow sandbox.
import type { V1OwnerReference } from '@kubernetes/client-node';
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import type { JobSetActivities, ObserveResult } from '../activities/jobset.js';
import { issuesFromZod, formatIssue } from '../src/api/errors.js';
import { jobSetSchema, type JobSet, type JobSetStatus } from '../src/api/schema.js';
import { applyResume, parseResumeRequest, parseSuspendRequest, type ResumeRequest, type SuspendRequest } from '../src/api/updates.js';
import { validateCreate } from '../src/api/validate-create.js';
import { decide, initialStatus, isTerminal } from '../src/core/decide.js';
import { jobSetName, jobSetNamespace } from '../src/core/naming.js';
import { describeStatus, jobSetState } from '../src/core/state.js';
import { ttlExpiry } from '../src/core/ttl.js';
import type { Action, Observation } from '../src/core/types.js';
import { jobSetQuery, resumeUpdate, statusQuery, suspendUpdate, type FinishedJobSet } from './messages.js';
import { JobSetNameKey, JobSetNamespaceKey, JobSetRestartsKey, JobSetStateKey } from './search-attributes.js';

export interface JobSetWorkflowInput {
  /** The JobSet, already defaulted and validated (src/api). metadata.uid labels its children. */
  jobSet: JobSet;
  /** Owner reference to the JobSet custom resource when the bridge started this workflow. */
  owner?: V1OwnerReference;
  /** Carried across continue-as-new (each run starts with a fresh observation). */
  status?: JobSetStatus;
  /**
   * Continue-as-new after this many reconcile passes in one run even if the server does not
   * suggest it yet (keeps histories short; tests set it low to exercise continue-as-new).
   */
  maxPassesPerRun?: number;
  /** How long one observe call may wait for a change before re-listing (default 60 s). */
  observeMaxWaitMs?: number;
}

// Kubernetes errors are retried with backoff for as long as it takes, as the upstream controller
// requeues: the last failure is visible on the pending activity in the Temporal UI, and an Event
// says what went wrong.
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s' } as const;
// Act activities take seconds and are idempotent: a short start-to-close timeout means a worker
// that dies in the middle of one delays the JobSet by at most ~30 s before another worker retries.
const ACT_TIMEOUT = '30 seconds';
const act = proxyActivities<JobSetActivities>({ startToCloseTimeout: ACT_TIMEOUT, retry });
const watch = proxyActivities<JobSetActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry,
});

const DEFAULT_MAX_PASSES = 500;

/**
 * Defaults and validates the JobSet once more inside the workflow: clients in other languages
 * (the Python SDK, `temporal workflow start`) can only check its shape. An invalid JobSet fails
 * the workflow before anything is created on the cluster.
 */
function admit(input: unknown): JobSet {
  const parsed = jobSetSchema.safeParse(input);
  const issues = parsed.success ? validateCreate(parsed.data) : issuesFromZod(parsed.error);
  if (!parsed.success || issues.length > 0 || !parsed.data.metadata.name) {
    const lines = issues.length > 0 ? issues.map(formatIssue) : ['metadata.name: Required value'];
    throw ApplicationFailure.create({ type: 'InvalidJobSet', message: `invalid JobSet:\n${lines.join('\n')}`, nonRetryable: true, details: [issues] });
  }
  return parsed.data;
}

export async function jobSetWorkflow(input: JobSetWorkflowInput): Promise<FinishedJobSet> {
  let js = admit(input.jobSet);
  let status: JobSetStatus = input.status ?? initialStatus();
  let lastObservation: Observation | undefined;
  let lastDigest: string | undefined;
  const owner = input.owner;
  const target = () => (owner ? { jobSet: js, owner } : { jobSet: js });
  const namespace = jobSetNamespace(js);
  const name = jobSetName(js);

  // Spec changes from Updates bump `specVersion`; the loop records in `appliedVersion` the
  // version its last completed pass acted on, so an Update returns the status that reflects it.
  let specVersion = 0;
  let appliedVersion = 0;
  let observeScope: CancellationScope | undefined;
  const wake = () => observeScope?.cancel();

  setHandler(statusQuery, () => status);
  setHandler(jobSetQuery, () => js);
  setHandler(
    suspendUpdate,
    async () => {
      js = { ...js, spec: { ...js.spec, suspend: true } };
      const mine = ++specVersion;
      wake();
      await condition(() => appliedVersion >= mine);
      return status;
    },
    {
      validator: (request: SuspendRequest) => {
        parseSuspendRequest(request);
        if (isTerminal(status)) throw new Error(`JobSet ${namespace}/${name} is finished (${status.terminalState}); it cannot be suspended`);
      },
    },
  );
  setHandler(
    resumeUpdate,
    async (request: ResumeRequest) => {
      js = applyResume(js, parseResumeRequest(js, request));
      const mine = ++specVersion;
      wake();
      await condition(() => appliedVersion >= mine);
      return status;
    },
    {
      validator: (request: ResumeRequest) => {
        parseResumeRequest(js, request);
        if (isTerminal(status)) throw new Error(`JobSet ${namespace}/${name} is finished (${status.terminalState}); it cannot be resumed`);
      },
    },
  );

  const publish = () => {
    upsertSearchAttributes([
      { key: JobSetNamespaceKey, value: namespace },
      { key: JobSetNameKey, value: name },
      { key: JobSetStateKey, value: jobSetState(js, status) },
      { key: JobSetRestartsKey, value: status.restarts },
    ]);
    setCurrentDetails(describeStatus(js, status));
  };

  /**
   * Observes until the cluster differs from `lastDigest` (at once when `immediate`); undefined
   * when an Update cut the wait short.
   */
  const observe = async (immediate: boolean): Promise<ObserveResult | undefined> => {
    const scope = new CancellationScope();
    observeScope = scope;
    try {
      return await scope.run(() =>
        watch.observeChildren.executeWithOptions(
          { startToCloseTimeout: '10 minutes', heartbeatTimeout: '10 seconds', retry, summary: `watch child Jobs of ${namespace}/${name}` },
          [{ ...target(), ...(lastDigest && !immediate ? { lastDigest } : {}), maxWaitMs: input.observeMaxWaitMs ?? 60_000 }],
        ),
      );
    } catch (err) {
      // Our own wake-up, not a cancellation of the workflow: decide again with the new spec.
      if (isCancellation(err) && scope.consideredCancelled && !CancellationScope.current().consideredCancelled) return undefined;
      throw err;
    } finally {
      observeScope = undefined;
    }
  };

  const perform = async (action: Action): Promise<void> => {
    switch (action.type) {
      case 'EnsureService':
        return act.ensureService.executeWithOptions(
          { startToCloseTimeout: ACT_TIMEOUT, retry, summary: 'ensure the headless Service' },
          [target()],
        );
      case 'EnsurePVCs':
        return act.ensurePVCs.executeWithOptions({ startToCloseTimeout: ACT_TIMEOUT, retry, summary: 'ensure the PVCs' }, [target()]);
      case 'CreateJobs':
        return act.createJobs.executeWithOptions(
          { startToCloseTimeout: ACT_TIMEOUT, retry, summary: `create ${action.jobs.length} Job(s), restart attempt ${status.restarts}` },
          [{ ...target(), status, jobs: action.jobs }],
        );
      case 'DeleteJobs':
        return act.deleteJobs.executeWithOptions(
          { startToCloseTimeout: ACT_TIMEOUT, retry, summary: `delete ${action.names.length} Job(s): ${action.names.slice(0, 3).join(', ')}${action.names.length > 3 ? ', ...' : ''}` },
          [{ namespace, names: action.names }],
        );
      case 'SuspendJobs':
        return act.suspendJobs.executeWithOptions(
          { startToCloseTimeout: ACT_TIMEOUT, retry, summary: `suspend ${action.names.length} Job(s)` },
          [{ namespace, names: action.names }],
        );
      case 'ResumeJobs':
        return act.resumeJobs.executeWithOptions(
          { startToCloseTimeout: ACT_TIMEOUT, retry, summary: `resume ${action.jobs.length} Job(s)` },
          [{ ...target(), jobs: action.jobs }],
        );
    }
  };

  /** One decide + act + publish pass over an observation. */
  const pass = async (observation: Observation): Promise<{ terminal: boolean; changed: boolean }> => {
    const version = specVersion;
    const decision = decide(js, status, observation, new Date().toISOString());
    const changed = JSON.stringify(decision.status) !== JSON.stringify(status);
    status = decision.status;
    for (const action of decision.actions) await perform(action);
    if (changed) {
      publish();
      // The custom resource (bridge) shows the same status object, for kubectl get/wait/describe.
      if (owner) {
        await act.writeStatus.executeWithOptions(
          { startToCloseTimeout: ACT_TIMEOUT, retry, summary: 'write status to the JobSet resource' },
          [{ ...target(), status }],
        );
      }
    }
    if (decision.events.length > 0) {
      await act.emitEvents.executeWithOptions(
        { startToCloseTimeout: ACT_TIMEOUT, retry, summary: decision.events.map((e) => e.reason).join(', ') },
        [{ ...target(), events: decision.events }],
      );
    }
    appliedVersion = version;
    return { terminal: decision.terminal, changed };
  };

  try {
    publish();
    const restartsAtStart = status.restarts;
    let terminal = isTerminal(status);
    // A pass that changed the status (a restart, a new condition) may change what the next
    // decision wants even if the cluster did not move: observe again at once, without waiting.
    let immediate = true;
    for (let passes = 0; !terminal; passes++) {
      const observed = await observe(immediate);
      if (observed) {
        lastObservation = observed.observation;
        lastDigest = observed.digest;
      }
      if (!lastObservation) continue;
      const result = await pass(lastObservation);
      terminal = result.terminal;
      immediate = result.changed;
      if (terminal) break;
      // Bounded history: a new run after each global restart and whenever the server suggests it.
      if (status.restarts > restartsAtStart || workflowInfo().continueAsNewSuggested || passes + 1 >= (input.maxPassesPerRun ?? DEFAULT_MAX_PASSES)) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof jobSetWorkflow>({ ...input, jobSet: js, status });
      }
    }

    // Terminal: one more pass deletes the Jobs still active (finished Jobs are kept, as upstream).
    if (lastObservation) await pass(lastObservation);
    const expiry = ttlExpiry(js, status);
    if (expiry !== undefined) {
      const wait = Date.parse(expiry) - Date.now();
      if (wait > 0) await sleep(wait);
      await act.deleteChildren.executeWithOptions(
        { startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry, summary: 'TTL expired: delete child objects' },
        [target()],
      );
    }
    await condition(allHandlersFinished);
    if (status.terminalState === 'Failed') {
      const failed = status.conditions.find((c) => c.type === 'Failed' && c.status === 'True');
      throw ApplicationFailure.create({
        type: 'JobSetFailed',
        message: `JobSet ${namespace}/${name} failed: ${failed?.reason ?? 'Failed'}: ${failed?.message ?? ''}`,
        nonRetryable: true,
        details: [{ ...js, status }],
      });
    }
    return { ...js, status };
  } catch (err) {
    if (isCancellation(err)) {
      // Delete = cancellation: remove every child object even though the workflow is cancelled.
      await CancellationScope.nonCancellable(() =>
        act.deleteChildren.executeWithOptions(
          { startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry, summary: 'JobSet deleted: delete child objects' },
          [target()],
        ),
      );
    }
    throw err;
  }
}
