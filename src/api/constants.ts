// Names fixed by the upstream JobSet API (docs/design.md §1.4, §1.5). Every other module
// imports these instead of spelling the strings again, so a typo cannot silently diverge.

export const GROUP = 'jobset.x-k8s.io';
export const VERSION = 'v1alpha2';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'JobSet';
export const PLURAL = 'jobsets';

/** Labels (and, unless noted, annotations of the same key) on child Jobs and their pod templates. */
export const Label = {
  JobSetName: 'jobset.sigs.k8s.io/jobset-name',
  JobSetUID: 'jobset.sigs.k8s.io/jobset-uid',
  ReplicatedJobName: 'jobset.sigs.k8s.io/replicatedjob-name',
  ReplicatedJobReplicas: 'jobset.sigs.k8s.io/replicatedjob-replicas',
  GlobalReplicas: 'jobset.sigs.k8s.io/global-replicas',
  JobIndex: 'jobset.sigs.k8s.io/job-index',
  JobGlobalIndex: 'jobset.sigs.k8s.io/job-global-index',
  JobKey: 'jobset.sigs.k8s.io/job-key',
  GroupName: 'jobset.sigs.k8s.io/group-name',
  GroupReplicas: 'jobset.sigs.k8s.io/group-replicas',
  JobGroupIndex: 'jobset.sigs.k8s.io/job-group-index',
  RestartAttempt: 'jobset.sigs.k8s.io/restart-attempt',
  JobRestartAttempt: 'jobset.sigs.k8s.io/job-restart-attempt',
  Coordinator: 'jobset.sigs.k8s.io/coordinator',
  Priority: 'jobset.sigs.k8s.io/priority',
  NamespacedJob: 'alpha.jobset.sigs.k8s.io/namespaced-job',
} as const;

/** Annotation-only keys. */
export const Annotation = {
  ExclusiveTopology: 'alpha.jobset.sigs.k8s.io/exclusive-topology',
  NodeSelectorStrategy: 'alpha.jobset.sigs.k8s.io/node-selector',
} as const;

/** Taint key tolerated by pods of the node-selector exclusive-placement strategy. */
export const NoScheduleTaintKey = 'alpha.jobset.sigs.k8s.io/no-schedule';

/** Labels set by the Kubernetes Job controller that we read. */
export const JobCompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';

/** The value of spec.managedBy meaning "the upstream controller". */
export const UpstreamControllerName = 'jobset.sigs.k8s.io/jobset-controller';
/** The value of spec.managedBy that the bridge of this project takes. */
export const BridgeControllerName = 'jobset-temporal.io/bridge';

export const ConditionType = {
  Completed: 'Completed',
  Failed: 'Failed',
  Suspended: 'Suspended',
  StartupPolicyInProgress: 'StartupPolicyInProgress',
  StartupPolicyCompleted: 'StartupPolicyCompleted',
  RestartingJobSet: 'RestartingJobSet',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const Reason = {
  AllJobsCompleted: 'AllJobsCompleted',
  FailedJobs: 'FailedJobs',
  FailJobSetFailurePolicyAction: 'FailJobSetFailurePolicyAction',
  ReachedMaxRestarts: 'ReachedMaxRestarts',
  SuspendedJobs: 'SuspendedJobs',
  ResumeJobs: 'ResumeJobs',
  InOrderStartupPolicyInProgress: 'InOrderStartupPolicyInProgress',
  InOrderStartupPolicyCompleted: 'InOrderStartupPolicyCompleted',
  DefaultFailurePolicy: 'DefaultFailurePolicy',
  JobsReady: 'JobsReady',
  JobSetFailed: 'JobSetFailed',
  JobSetCompleted: 'JobSetCompleted',
  JobSetSuspended: 'JobSetSuspended',
} as const;

/** Reason of RestartingJobSet=True when a named failure-policy rule triggered the restart. */
export const failurePolicyRuleReason = (ruleName: string): string => `FailurePolicy_${ruleName}`;

export const Message = {
  AllJobsCompleted: 'jobset completed successfully',
  FailedJobs: (job: string) => `jobset failed due to one or more job failures (first failed job: ${job})`,
  FailJobSetAction: (job: string) => `applying FailJobSet failure policy action (first failed job: ${job})`,
  ReachedMaxRestarts: (job: string) => `jobset failed due to reaching max number of restarts (first failed job: ${job})`,
  Suspended: 'jobset is suspended',
  Resumed: 'jobset is resumed',
  InOrderInProgress: 'in order startup policy is in progress',
  InOrderCompleted: 'in order startup policy has completed',
  Restarting: (action: string, job: string) => `applying ${action} failure policy action (first failed job: ${job})`,
  JobsReady: 'all jobs are ready',
  JobSetFailed: 'jobset failed',
  JobSetCompleted: 'jobset completed successfully',
  JobSetSuspended: 'jobset is suspended',
  InvalidChildJob: (job: string, problem: string) =>
    `ignoring job ${job}: ${problem}; it counts for nothing, and its name cannot be reused until it is deleted`,
} as const;

/** Event reasons that are not condition reasons (§3.16). */
export const EventReason = {
  RestartJobSetAction: 'RestartJobSetFailurePolicyAction',
  RestartJobSetAndIgnoreMaxRestartsAction: 'RestartJobSetAndIgnoreMaxRestartsFailurePolicyAction',
  RestartJobAction: 'RestartJobFailurePolicyAction',
  RestartJobAndIgnoreMaxRestartsAction: 'RestartJobAndIgnoreMaxRestartsFailurePolicyAction',
  JobCreationFailed: 'JobCreationFailed',
  HeadlessServiceCreationFailed: 'HeadlessServiceCreationFailed',
  PVCCreationFailed: 'PVCCreationFailed',
  // Not upstream's (it has no reason for these: its reconcile just returns the error): a Kubernetes
  // request of the other actions failed, so the Event and the ReconcileFailing condition say which.
  JobDeletionFailed: 'JobDeletionFailed',
  JobSuspensionFailed: 'JobSuspensionFailed',
  JobResumptionFailed: 'JobResumptionFailed',
  /** The API server refused a child Job's manifest in the admission dry run; nothing was created. */
  ValidationFailed: 'ValidationFailed',
  /**
   * Not upstream's either (upstream stops reconciling on such a Job): a child Job whose JobSet
   * labels are malformed is ignored, and this Warning says which Job and which label.
   */
  InvalidChildJob: 'InvalidChildJob',
} as const;

/**
 * Conditions that are ours, not upstream's (clients that read upstream's types ignore them):
 * ReconcileFailing=True while the last pass could not carry out an action because the API server
 * refused or failed a request that may succeed later (a ResourceQuota, a policy webhook, RBAC, an
 * outage); its reason is the action's event reason and its message the API server's. It is
 * removed by the next pass that acts without error.
 */
export const ReconcileFailingCondition = 'ReconcileFailing';

/**
 * Failed reasons of a JobSet whose workflow ended without finishing it (terminated by an operator,
 * timed out, failed by a bug, cancelled while its resource still exists): the bridge writes them
 * to the resource and the SDKs show them, so such a JobSet still reads as finished.
 */
export const RunEndedReason = {
  Terminated: 'WorkflowTerminated',
  TimedOut: 'WorkflowTimedOut',
  Failed: 'WorkflowFailed',
  Cancelled: 'WorkflowCancelled',
} as const;

export const FailurePolicyAction = {
  FailJobSet: 'FailJobSet',
  RestartJobSet: 'RestartJobSet',
  RestartJobSetAndIgnoreMaxRestarts: 'RestartJobSetAndIgnoreMaxRestarts',
  RestartJob: 'RestartJob',
  RestartJobAndIgnoreMaxRestarts: 'RestartJobAndIgnoreMaxRestarts',
} as const;
export type FailurePolicyAction = (typeof FailurePolicyAction)[keyof typeof FailurePolicyAction];

/**
 * The Warning event each restarting failure-policy action announces itself with
 * (docs/design.md §3.7, §3.16). The compiler holds it to every restarting action.
 */
export const RestartActionEvent = {
  [FailurePolicyAction.RestartJobSet]: EventReason.RestartJobSetAction,
  [FailurePolicyAction.RestartJobSetAndIgnoreMaxRestarts]: EventReason.RestartJobSetAndIgnoreMaxRestartsAction,
  [FailurePolicyAction.RestartJob]: EventReason.RestartJobAction,
  [FailurePolicyAction.RestartJobAndIgnoreMaxRestarts]: EventReason.RestartJobAndIgnoreMaxRestartsAction,
} as const satisfies Record<Exclude<FailurePolicyAction, 'FailJobSet'>, string>;

/** The actions that restart the whole JobSet: the restarts status.restarts counts (RestartJob restarts one Job). */
export const GlobalRestartActions = [FailurePolicyAction.RestartJobSet, FailurePolicyAction.RestartJobSetAndIgnoreMaxRestarts] as const;

/** Job failure reasons a rule may match (`onJobFailureReasons`). */
export const JobFailureReason = {
  BackoffLimitExceeded: 'BackoffLimitExceeded',
  DeadlineExceeded: 'DeadlineExceeded',
  FailedIndexes: 'FailedIndexes',
  MaxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  PodFailurePolicy: 'PodFailurePolicy',
} as const;

export const RestartStrategy = {
  Recreate: 'Recreate',
  BlockingRecreate: 'BlockingRecreate',
  InPlaceRestart: 'InPlaceRestart',
} as const;

export const TerminalState = {
  Completed: 'Completed',
  Failed: 'Failed',
} as const;

/** Upper bound of replicas when a RestartJob* rule is present (status arrays are maxItems 1024). */
export const MaxReplicasWithRestartJob = 1024;
export const MaxInt32 = 2147483647;
