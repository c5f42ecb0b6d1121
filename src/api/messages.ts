// Validation messages. Where upstream has a message (pkg/webhooks/jobset_webhook.go, the CRD's
// CEL rules, the API server's field errors) we use it verbatim, so an error seen with upstream
// JobSet reads the same here; the messages for our deliberate differences are marked.

import { MaxInt32, MaxReplicasWithRestartJob } from './constants.js';

export const ValidationMessage = {
  // --- API server (metadata, list-map keys, immutability)
  NameRequired: 'name or generateName is required',
  Required: 'Required value',
  Duplicate: (value: string) => `Duplicate value: ${JSON.stringify(value)}`,
  TooLong: (max: number) => `Too long: may not be more than ${max} bytes`,
  FieldImmutable: 'field is immutable',
  /** CEL `self == oldSelf` on network, successPolicy, failurePolicy, startupPolicy, volumeClaimPolicies. */
  ValueImmutable: 'Value is immutable',
  UnknownField: (key: string) => `unknown field ${JSON.stringify(key)}`,

  // --- webhook ValidateCreate
  DependsOnFirstReplicatedJob: "DependsOn can't be set for the first ReplicatedJob",
  CannotDependOn: (rjob: string, target: string) => `replicatedJob: ${rjob} cannot depend on replicatedJob: ${target}`,
  StartupPolicyDependsOnExclusive: 'StartupPolicy and DependsOn APIs are mutually exclusive',
  SubdomainTooLong: '.spec.network.subdomain is too long, must be less than 63 characters',
  GroupNameTooLong: '.spec.replicatedJob[].groupName is too long, must be less than 63 characters',
  JobNameTooLong: 'JobSet name is too long, job names generated for this JobSet will exceed 63 characters',
  PodNameTooLong: 'JobSet name is too long, pod names generated for this JobSet will exceed 63 characters',
  ReplicasTimesParallelism: (rjob: string) => `the product of replicas and parallelism must not exceed ${MaxInt32} for replicatedJob '${rjob}'`,
  SuccessPolicyTarget: (rjob: string) => `invalid replicatedJob name '${rjob}' does not appear in .spec.ReplicatedJobs`,
  FailurePolicyTarget: (rjob: string) => `invalid replicatedJob name '${rjob}' in failure policy does not appear in .spec.ReplicatedJobs`,
  FailureReason: (reason: string) => `invalid job failure reason '${reason}' in failure policy is not a recognized job failure reason`,
  RuleNameLength: (length: number) =>
    `invalid failure policy rule name of length ${length}, the rule name must be at least 1 characters long and at most 128 characters long`,
  RuleNameFormat: (name: string) =>
    `invalid failure policy rule name '${name}', a failure policy rule name must start with an alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'`,
  RuleNamesNotUnique: (indices: number[], name: string) =>
    `rule names are not unique, rules with indices [${indices.join(' ')}] all have the same name '${name}'`,
  RestartJobReplicas: `JobSet cannot have a failure policy rule with RestartJob or RestartJobAndIgnoreMaxRestarts action and a replicated job with replicas > ${MaxReplicasWithRestartJob}`,
  CoordinatorRjobMissing: (rjob: string) => `coordinator replicatedJob ${rjob} does not exist`,
  CoordinatorJobIndex: (jobIndex: number, rjob: string) => `coordinator job index ${jobIndex} is invalid for replicatedJob ${rjob}`,
  CoordinatorIndexed: 'job for coordinator pod must be indexed completion mode, and completions number must be set',
  CoordinatorPodIndex: (podIndex: number, rjob: string, jobIndex: number) =>
    `coordinator pod index ${podIndex} is invalid for replicatedJob ${rjob} job index ${jobIndex}`,
  CoordinatorLabelValue: (value: string, key: string, errs: string[]) =>
    `spec will lead to invalid label value ${JSON.stringify(value)} for coordinator label ${JSON.stringify(key)} (long JobSet / ReplicatedJob / SubDomain name?): ${errs.join(', ')}`,
  VolumeClaimNameNotUnique: 'names must be unique for VolumeClaimPolicies template',
  VolumeClaimNameTooLong: 'VolumeClaimPolicies template name is too long',
  VolumeClaimNotMounted: (claim: string) => `replicatedJob containers don't have a matching volumeMount: ${claim} from VolumeClaimPolicies`,
  VolumeNameConflict: (claim: string) => `volume name conflicts with VolumeClaimPolicy template name: ${claim}`,
  VolumeClaimNamespace: 'namespace cannot be set for VolumeClaimPolicies templates',

  // --- deliberate differences (docs/api-differences.md)
  InPlaceRestartUnsupported: 'InPlaceRestart restart strategy is not supported by jobset-temporal; use Recreate or BlockingRecreate',
  InvalidMessagePattern: (pattern: string, reason: string) => `invalid regular expression ${JSON.stringify(pattern)} in onJobFailureMessagePatterns: ${reason}`,
  // Size limits (src/api/limits.ts), worded as the API server's field.TooMany / field.TooLong.
  TooManyJobs: (jobs: number, max: number) => `Too many: ${jobs}: must have at most ${max} Jobs in total`,
  TooManyPods: (pods: number, max: number) => `Too many: ${pods}: must have at most ${max} pods in total (replicas x parallelism)`,
  SpecTooLong: (bytes: number, max: number) => `Too long: may not be more than ${max} bytes (the spec is ${bytes} bytes as JSON)`,
} as const;
