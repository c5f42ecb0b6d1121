// JobSet v1alpha2 as zod schemas (docs/design.md §1.2, §1.3).
//
// Parsing applies every default that does not depend on other fields: the CRD defaults
// (replicas 1, groupName `default`, restartStrategy Recreate, coordinator indexes 0, retention
// Delete) and the upstream webhook defaults (§2.1). So the parsed type is the defaulted JobSet:
// code downstream never re-applies a default.
//
// Our own objects are strict (a typo is an error naming its path). Inside the Kubernetes Job
// template we check the fields we read or write and pass every other field through untouched:
// the cluster validates those.
import type { V1JobTemplateSpec } from '@kubernetes/client-node';
import { z } from 'zod';

import { API_VERSION, FailurePolicyAction, JobFailureReason, KIND, RestartStrategy, TerminalState } from './constants.js';
import { ValidationMessage } from './messages.js';

const int32 = z.number().int().min(-2147483648).max(2147483647);
const nonNegInt32 = z.number().int().min(0).max(2147483647);
const stringMap = z.record(z.string(), z.string());
const enumOf = <T extends Record<string, string>>(o: T) => z.enum(Object.values(o) as [T[keyof T], ...T[keyof T][]]);
type JobFailureReasonValue = (typeof JobFailureReason)[keyof typeof JobFailureReason];

// ---------------------------------------------------------------------------------------------
// Kubernetes objects we only partly check

const objectMetaSchema = z
  .looseObject({
    name: z.string().optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  })
  .meta({ title: 'ObjectMeta' });

const containerSchema = z
  .looseObject({
    name: z.string().min(1),
    // Read by the volume-claim-policy checks, so it must have the shape they expect.
    volumeMounts: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
  })
  .meta({ title: 'Container' });
const volumeSchema = z.looseObject({ name: z.string().min(1) }).meta({ title: 'Volume' });
const tolerationSchema = z
  .looseObject({
    key: z.string().optional(),
    operator: z.string().optional(),
    value: z.string().optional(),
    effect: z.string().optional(),
  })
  .meta({ title: 'Toleration' });

const podSpecSchema = z
  .looseObject({
    restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).default('OnFailure'),
    subdomain: z.string().optional(),
    affinity: z.looseObject({}).optional(),
    nodeSelector: stringMap.optional(),
    tolerations: z.array(tolerationSchema).optional(),
    schedulingGates: z.array(z.looseObject({ name: z.string() })).optional(),
    volumes: z.array(volumeSchema).optional(),
    initContainers: z.array(containerSchema).optional(),
    containers: z.array(containerSchema).min(1),
  })
  .meta({ title: 'PodSpec' });

const jobSpecSchema = z
  .looseObject({
    parallelism: nonNegInt32.optional(),
    completions: nonNegInt32.optional(),
    completionMode: z.enum(['Indexed', 'NonIndexed']).default('Indexed'),
    backoffLimit: nonNegInt32.optional(),
    backoffLimitPerIndex: nonNegInt32.optional(),
    maxFailedIndexes: nonNegInt32.optional(),
    activeDeadlineSeconds: z.number().int().min(1).optional(),
    suspend: z.boolean().optional(),
    podFailurePolicy: z.looseObject({ rules: z.array(z.looseObject({})) }).optional(),
    template: z.looseObject({ metadata: objectMetaSchema.optional(), spec: podSpecSchema }).meta({ title: 'PodTemplateSpec' }),
  })
  .meta({ title: 'JobSpec' });

const jobTemplateZod = z
  .looseObject({
    metadata: objectMetaSchema.optional(),
    spec: jobSpecSchema,
  })
  .meta({ title: 'JobTemplateSpec' });
/** The rjob template, checked by zod and typed as the Kubernetes model. */
export type JobTemplateSpec = V1JobTemplateSpec & { spec: NonNullable<V1JobTemplateSpec['spec']> };
export const jobTemplateSchema = jobTemplateZod as unknown as z.ZodType<JobTemplateSpec, z.input<typeof jobTemplateZod>>;

// ---------------------------------------------------------------------------------------------
// spec

export const dependsOnSchema = z
  .strictObject({
    name: z.string().min(1),
    status: z.enum(['Ready', 'Complete']),
  })
  .meta({ title: 'DependsOn' });

export const replicatedJobSchema = z
  .strictObject({
    name: z.string().min(1),
    groupName: z.string().min(1).default('default'),
    template: jobTemplateSchema,
    replicas: nonNegInt32.default(1),
    dependsOn: z.array(dependsOnSchema).max(5).optional(),
  })
  .meta({ title: 'ReplicatedJob' });

export const networkSchema = z
  .strictObject({
    enableDNSHostnames: z.boolean().default(true),
    subdomain: z.string().min(1).optional(),
    publishNotReadyAddresses: z.boolean().default(true),
  })
  .meta({ title: 'Network' });

export const successPolicySchema = z
  .strictObject({
    operator: z.enum(['All', 'Any']),
    targetReplicatedJobs: z.array(z.string()).optional(),
  })
  .meta({ title: 'SuccessPolicy' });

export const failurePolicyRuleSchema = z
  .strictObject({
    /** Defaulted to `failurePolicyRule<index>` by the failure policy schema when empty. */
    name: z.string().default(''),
    action: enumOf(FailurePolicyAction),
    onJobFailureReasons: z
      .array(
        // The upstream webhook's message, so the error reads the same as with upstream JobSet.
        z.enum(Object.values(JobFailureReason) as [JobFailureReasonValue, ...JobFailureReasonValue[]], {
          error: (iss) => ValidationMessage.FailureReason(String(iss.input)),
        }),
      )
      .optional(),
    onJobFailureMessagePatterns: z.array(z.string()).optional(),
    targetReplicatedJobs: z.array(z.string()).optional(),
  })
  .meta({ title: 'FailurePolicyRule' });

export const failurePolicySchema = z
  .strictObject({
    maxRestarts: nonNegInt32.default(0),
    restartStrategy: enumOf(RestartStrategy).default('Recreate'),
    rules: z
      .array(failurePolicyRuleSchema)
      .default([])
      // Upstream webhook: rules with an empty name are named after their index.
      .transform((rules) => rules.map((r, i) => ({ ...r, name: r.name === '' ? `failurePolicyRule${i}` : r.name }))),
  })
  .meta({ title: 'FailurePolicy' });

export const startupPolicySchema = z
  .strictObject({
    startupPolicyOrder: z.enum(['AnyOrder', 'InOrder']),
  })
  .meta({ title: 'StartupPolicy' });

export const coordinatorSchema = z
  .strictObject({
    replicatedJob: z.string().min(1),
    jobIndex: nonNegInt32.default(0),
    podIndex: nonNegInt32.default(0),
  })
  .meta({ title: 'Coordinator' });

export const pvcTemplateSchema = z
  .looseObject({
    metadata: z
      .looseObject({
        name: z.string().min(1),
        namespace: z.string().optional(),
        labels: stringMap.optional(),
        annotations: stringMap.optional(),
      })
      .meta({ title: 'PersistentVolumeClaimMetadata' }),
    spec: z.looseObject({}),
  })
  .meta({ title: 'PersistentVolumeClaimTemplate' });

export const volumeClaimPolicySchema = z
  .strictObject({
    templates: z.array(pvcTemplateSchema).max(50),
    retentionPolicy: z.strictObject({ whenDeleted: z.enum(['Delete', 'Retain']).default('Delete') }).default({ whenDeleted: 'Delete' }),
  })
  .meta({ title: 'VolumeClaimPolicy' });

export const jobSetSpecSchema = z
  .strictObject({
    replicatedJobs: z.array(replicatedJobSchema).default([]),
    network: networkSchema.default({ enableDNSHostnames: true, publishNotReadyAddresses: true }),
    successPolicy: successPolicySchema.default({ operator: 'All' }),
    failurePolicy: failurePolicySchema.optional(),
    startupPolicy: startupPolicySchema.default({ startupPolicyOrder: 'AnyOrder' }),
    suspend: z.boolean().optional(),
    coordinator: coordinatorSchema.optional(),
    managedBy: z.string().optional(),
    ttlSecondsAfterFinished: nonNegInt32.optional(),
    volumeClaimPolicies: z.array(volumeClaimPolicySchema).max(50).optional(),
  })
  .meta({ title: 'JobSetSpec' });

// ---------------------------------------------------------------------------------------------
// status

export const conditionSchema = z
  .strictObject({
    type: z.string().min(1),
    status: z.enum(['True', 'False', 'Unknown']),
    reason: z.string(),
    message: z.string(),
    /** RFC 3339 time of the last status change of this condition. */
    lastTransitionTime: z.string(),
    observedGeneration: z.number().int().optional(),
  })
  .meta({ title: 'Condition' });

export const replicatedJobStatusSchema = z
  .strictObject({
    name: z.string(),
    ready: nonNegInt32,
    succeeded: nonNegInt32,
    failed: nonNegInt32,
    active: nonNegInt32,
    suspended: nonNegInt32,
    jobRestarts: z.array(nonNegInt32).max(1024).optional(),
    jobRestartsCountTowardsMax: z.array(nonNegInt32).max(1024).optional(),
  })
  .meta({ title: 'ReplicatedJobStatus' });

export const jobSetStatusSchema = z
  .strictObject({
    conditions: z.array(conditionSchema).default([]),
    restarts: nonNegInt32.default(0),
    restartsCountTowardsMax: nonNegInt32.default(0),
    terminalState: z.union([z.literal(''), enumOf(TerminalState)]).optional(),
    replicatedJobsStatus: z.array(replicatedJobStatusSchema).default([]),
  })
  .meta({ title: 'JobSetStatus' });

// ---------------------------------------------------------------------------------------------
// the object

export const jobSetMetadataSchema = z
  .strictObject({
    name: z.string().optional(),
    generateName: z.string().optional(),
    namespace: z.string().optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
    uid: z.string().optional(),
    // Server-set fields, accepted so that `kubectl get -o yaml` output can be fed back in.
    resourceVersion: z.string().optional(),
    generation: int32.optional(),
    creationTimestamp: z.string().optional(),
    deletionTimestamp: z.string().optional(),
    deletionGracePeriodSeconds: int32.optional(),
    finalizers: z.array(z.string()).optional(),
    ownerReferences: z.array(z.looseObject({})).optional(),
    managedFields: z.array(z.looseObject({})).optional(),
    selfLink: z.string().optional(),
  })
  .meta({ title: 'JobSetMetadata' });

export const jobSetSchema = z
  .strictObject({
    apiVersion: z.literal(API_VERSION).default(API_VERSION),
    kind: z.literal(KIND).default(KIND),
    metadata: jobSetMetadataSchema,
    spec: jobSetSpecSchema,
    status: jobSetStatusSchema.optional(),
  })
  .meta({ title: 'JobSet' });

/** A JobSet after parsing: every default applied. */
export type JobSet = z.output<typeof jobSetSchema>;
/** A JobSet as a user may write it. */
export type JobSetInput = z.input<typeof jobSetSchema>;
export type JobSetSpec = z.output<typeof jobSetSpecSchema>;
export type JobSetMetadata = z.output<typeof jobSetMetadataSchema>;
export type ReplicatedJob = z.output<typeof replicatedJobSchema>;
export type DependsOn = z.output<typeof dependsOnSchema>;
export type Network = z.output<typeof networkSchema>;
export type SuccessPolicy = z.output<typeof successPolicySchema>;
export type FailurePolicy = z.output<typeof failurePolicySchema>;
export type FailurePolicyRule = FailurePolicy['rules'][number];
export type StartupPolicy = z.output<typeof startupPolicySchema>;
export type Coordinator = z.output<typeof coordinatorSchema>;
export type VolumeClaimPolicy = z.output<typeof volumeClaimPolicySchema>;
export type Condition = z.output<typeof conditionSchema>;
export type ReplicatedJobStatus = z.output<typeof replicatedJobStatusSchema>;
export type JobSetStatus = z.output<typeof jobSetStatusSchema>;
