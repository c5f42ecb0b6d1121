// The contract between the observe activity (facts), the pure decision (policy) and the act
// activities (side effects). Everything here is plain JSON: it travels through Temporal history.
import type { JobSetStatus } from '../api/schema.js';

/** One condition of a child Job, as the Job controller wrote it. */
export interface ObservedJobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  /** RFC 3339. */
  lastTransitionTime?: string;
}

/** What the observe activity reports about one child Job: facts only, no interpretation. */
export interface ObservedJob {
  name: string;
  uid?: string;
  /** The Job's labels as found (restart-attempt, replicatedjob-name, job-index, ... are parsed by core). */
  labels: Record<string, string>;
  /** metadata.deletionTimestamp is set (foreground deletion in progress). */
  deleting: boolean;
  /** spec.suspend. */
  suspended: boolean;
  parallelism?: number;
  completions?: number;
  /** status.active / ready / succeeded / failed pod counts (0 when absent). */
  active: number;
  ready: number;
  succeeded: number;
  failed: number;
  /** status.startTime (RFC 3339) when set. */
  startTime?: string;
  conditions: ObservedJobCondition[];
}

/** A snapshot of the JobSet's child objects. */
export interface Observation {
  jobs: ObservedJob[];
  /** The headless Service named after the subdomain exists. */
  serviceExists: boolean;
  /**
   * Every PVC of spec.volumeClaimPolicies exists. Optional: when not reported, decide emits
   * EnsurePVCs on every pass, as upstream does (the action is idempotent).
   */
  pvcsExist?: boolean;
}

/** A Job the decision wants created: the manifest is built from the spec and status by core/manifests. */
export interface JobRef {
  replicatedJob: string;
  jobIndex: number;
}

export type Action =
  /** Create the headless Service if it does not exist. */
  | { type: 'EnsureService' }
  /** Create the PVCs of spec.volumeClaimPolicies that do not exist. */
  | { type: 'EnsurePVCs' }
  /**
   * Create these Jobs (labels carry the status' restart counters); with ensureService /
   * ensurePVCs, first what EnsureService / EnsurePVCs would (one activity: see core/fold-creates).
   */
  | { type: 'CreateJobs'; jobs: JobRef[]; ensureService?: true; ensurePVCs?: true }
  /** Delete these Jobs with foreground propagation. */
  | { type: 'DeleteJobs'; names: string[] }
  /** Set spec.suspend=true on these active Jobs. */
  | { type: 'SuspendJobs'; names: string[] }
  /**
   * Resume these suspended Jobs: clear status.startTime, merge pod-template labels, annotations,
   * nodeSelector, tolerations and schedulingGates from the current rjob template, suspend=false.
   */
  | { type: 'ResumeJobs'; jobs: Array<{ name: string; replicatedJob: string }> };

export type ActionType = Action['type'];

/** A Kubernetes Event about the JobSet (emitted after the status it explains is published). */
export interface JobSetEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface Decision {
  /** The new status (a new object; the input status is never mutated). */
  status: JobSetStatus;
  /** Side effects to perform, in order. */
  actions: Action[];
  /** Events to emit once `status` has been published. */
  events: JobSetEvent[];
  /** The JobSet is finished (Completed or Failed condition True). */
  terminal: boolean;
  /**
   * Names of the observed Jobs ignored because their JobSet labels are malformed, sorted. Pass
   * them back as `reportedMalformedJobs` on the next decide() so each one is reported once.
   */
  malformedJobs: string[];
}
