// Manifests of the JobSet's child objects: the Jobs of an attempt, the headless Service and the
// shared PVCs (docs/design.md §1.5, §3.3, §3.5, §3.13). Pure: the act activities send what
// these functions build, so a unit test of a manifest is a test of what reaches the cluster.
import type {
  V1Affinity,
  V1Job,
  V1JobSpec,
  V1ObjectMeta,
  V1OwnerReference,
  V1PersistentVolumeClaim,
  V1PodAffinityTerm,
  V1PodSpec,
  V1PodTemplateSpec,
  V1Service,
  V1Toleration,
  V1Volume,
} from '@kubernetes/client-node';

import { Annotation, Label, NoScheduleTaintKey } from '../api/constants.js';
import type { JobSet, JobSetStatus, ReplicatedJob } from '../api/schema.js';
import { coordinatorEndpoint, jobKey, jobName, jobSetName, jobSetNamespace, pvcName, subdomain } from './naming.js';
import { jobRestartsAt } from './observe.js';

/** Thrown when a manifest is asked for a replicated job that the spec does not declare. */
export class UnknownReplicatedJobError extends Error {
  override readonly name = 'UnknownReplicatedJobError';
  constructor(readonly replicatedJob: string) {
    super(`replicatedJob "${replicatedJob}" is not in spec.replicatedJobs`);
  }
}

export interface ManifestOptions {
  /** Controller owner reference to set (the JobSet resource, when one exists). */
  ownerReference?: V1OwnerReference;
}

/** A Job manifest as built here: the fields callers read are guaranteed present. */
export type ChildJob = V1Job & {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: V1ObjectMeta & { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: V1JobSpec & { template: V1PodTemplateSpec & { spec: V1PodSpec } };
};

// The template is plain JSON (it came through zod and Temporal's JSON payloads), so a JSON
// round trip is a faithful deep copy and needs no structuredClone in the workflow sandbox.
const deepCopy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function findReplicatedJob(js: JobSet, name: string): ReplicatedJob {
  const rjob = js.spec.replicatedJobs.find((r) => r.name === name);
  if (rjob === undefined) throw new UnknownReplicatedJobError(name);
  return rjob;
}

/** Σ replicas over all replicated jobs (`global-replicas`). */
export function globalReplicas(js: JobSet): number {
  return js.spec.replicatedJobs.reduce((n, r) => n + r.replicas, 0);
}

/** Cumulative index over replicated jobs in spec order (`job-global-index`). */
export function jobGlobalIndex(js: JobSet, rjobName: string, jobIndex: number): number {
  let before = 0;
  for (const r of js.spec.replicatedJobs) {
    if (r.name === rjobName) return before + jobIndex;
    before += r.replicas;
  }
  throw new UnknownReplicatedJobError(rjobName);
}

/** Σ replicas of the replicated jobs in the group (`group-replicas`). */
export function groupReplicas(js: JobSet, groupName: string): number {
  return js.spec.replicatedJobs.filter((r) => r.groupName === groupName).reduce((n, r) => n + r.replicas, 0);
}

/** Cumulative index within the replicated job's group, in spec order (`job-group-index`). */
export function jobGroupIndex(js: JobSet, rjobName: string, jobIndex: number): number {
  const rjob = findReplicatedJob(js, rjobName);
  let before = 0;
  for (const r of js.spec.replicatedJobs) {
    if (r.name === rjobName) return before + jobIndex;
    if (r.groupName === rjob.groupName) before += r.replicas;
  }
  throw new UnknownReplicatedJobError(rjobName);
}

/**
 * The labels (and same-key annotations) that identify a child Job and its pods (§1.5). The
 * `jobset-uid` entry is present only when the JobSet has a UID (a JobSet submitted straight to
 * the workflow, with no custom resource behind it, has none).
 */
export function jobIdentity(js: JobSet, rjob: ReplicatedJob, jobIndex: number, status: JobSetStatus): Record<string, string> {
  const name = jobSetName(js);
  const ns = jobSetNamespace(js);
  const job = jobName(name, rjob.name, jobIndex);
  const out: Record<string, string> = {
    [Label.JobSetName]: name,
    [Label.ReplicatedJobName]: rjob.name,
    [Label.ReplicatedJobReplicas]: String(rjob.replicas),
    [Label.GlobalReplicas]: String(globalReplicas(js)),
    [Label.JobIndex]: String(jobIndex),
    [Label.JobGlobalIndex]: String(jobGlobalIndex(js, rjob.name, jobIndex)),
    [Label.JobKey]: jobKey(ns, job),
    [Label.GroupName]: rjob.groupName,
    [Label.GroupReplicas]: String(groupReplicas(js, rjob.groupName)),
    [Label.JobGroupIndex]: String(jobGroupIndex(js, rjob.name, jobIndex)),
    [Label.RestartAttempt]: String(status.restarts),
    // The RestartJob gate is always on here, so the per-index attempt is always stamped.
    [Label.JobRestartAttempt]: String(jobRestartsAt(status, rjob.name, jobIndex)),
  };
  if (js.metadata.uid !== undefined) out[Label.JobSetUID] = js.metadata.uid;
  const coordinator = coordinatorEndpoint(js);
  if (coordinator !== undefined) out[Label.Coordinator] = coordinator;
  return out;
}

/**
 * Exclusive-placement annotations (annotation only): the JobSet's, overridden by the rjob
 * template's. The node-selector flag travels with the exclusive-topology key of the same level.
 */
export function placementAnnotations(js: JobSet, rjob: ReplicatedJob): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of [js.metadata.annotations, rjob.template.metadata?.annotations]) {
    const topology = source?.[Annotation.ExclusiveTopology];
    if (topology === undefined) continue;
    out[Annotation.ExclusiveTopology] = topology;
    const strategy = source?.[Annotation.NodeSelectorStrategy];
    if (strategy !== undefined) out[Annotation.NodeSelectorStrategy] = strategy;
  }
  return out;
}

function hasVolumeMount(pod: V1PodSpec, volumeName: string): boolean {
  return [...(pod.containers ?? []), ...(pod.initContainers ?? [])].some((c) => (c.volumeMounts ?? []).some((m) => m.name === volumeName));
}

/** Required pod affinity + anti-affinity giving one Job per topology domain (no pod webhook). */
function exclusiveAffinity(affinity: V1Affinity | undefined, topologyKey: string, ownKey: string): V1Affinity {
  const sameJob: V1PodAffinityTerm = {
    labelSelector: { matchExpressions: [{ key: Label.JobKey, operator: 'In', values: [ownKey] }] },
    topologyKey,
    // An empty selector means all namespaces: the domain is exclusive cluster-wide.
    namespaceSelector: {},
  };
  const otherJobs: V1PodAffinityTerm = {
    labelSelector: {
      matchExpressions: [
        { key: Label.JobKey, operator: 'Exists' },
        { key: Label.JobKey, operator: 'NotIn', values: [ownKey] },
      ],
    },
    topologyKey,
    namespaceSelector: {},
  };
  const a = affinity ?? {};
  return {
    ...a,
    podAffinity: {
      ...a.podAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: [...(a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []), sameJob],
    },
    podAntiAffinity: {
      ...a.podAntiAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: [...(a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []), otherJobs],
    },
  };
}

/** The toleration the node-selector exclusive-placement strategy adds. */
export const namespacedJobToleration: V1Toleration = { key: NoScheduleTaintKey, operator: 'Exists', effect: 'NoSchedule' };

/**
 * The child Job `<js>-<rjob>-<jobIndex>` of the current attempt: a deep copy of the rjob
 * template with every §1.5 label and annotation on the Job and on its pod template, the pod
 * subdomain, exclusive placement, the PVC volumes and `spec.suspend` from the JobSet.
 */
export function buildJob(js: JobSet, rjobName: string, jobIndex: number, status: JobSetStatus, opts: ManifestOptions = {}): ChildJob {
  const rjob = findReplicatedJob(js, rjobName);
  const template = deepCopy(rjob.template);
  const name = jobName(jobSetName(js), rjob.name, jobIndex);
  const namespace = jobSetNamespace(js);
  const identity = jobIdentity(js, rjob, jobIndex, status);
  const placement = placementAnnotations(js, rjob);

  const podTemplate = template.spec.template as V1PodTemplateSpec & { spec: V1PodSpec };
  podTemplate.metadata = {
    ...podTemplate.metadata,
    labels: { ...podTemplate.metadata?.labels, ...identity },
    annotations: { ...podTemplate.metadata?.annotations, ...identity, ...placement },
  };
  const pod = podTemplate.spec;

  if (js.spec.network.enableDNSHostnames) pod.subdomain = subdomain(js);

  const topologyKey = placement[Annotation.ExclusiveTopology];
  if (topologyKey !== undefined) {
    if (placement[Annotation.NodeSelectorStrategy] !== undefined) {
      // Nodes are labelled and tainted beforehand (upstream hack/label_nodes).
      pod.nodeSelector = { ...pod.nodeSelector, [Label.NamespacedJob]: `${namespace}_${name}` };
      pod.tolerations = [...(pod.tolerations ?? []), { ...namespacedJobToleration }];
    } else {
      // Without upstream's pod webhook, every pod carries the leader's terms: a pod may only
      // join a domain that holds its own Job's pods (or none), and no other Job's pods.
      pod.affinity = exclusiveAffinity(pod.affinity, topologyKey, identity[Label.JobKey]!);
    }
  }

  const jsName = jobSetName(js);
  for (const policy of js.spec.volumeClaimPolicies ?? []) {
    for (const t of policy.templates) {
      if (!hasVolumeMount(pod, t.metadata.name)) continue;
      const volume: V1Volume = { name: t.metadata.name, persistentVolumeClaim: { claimName: pvcName(t.metadata.name, jsName) } };
      pod.volumes = [...(pod.volumes ?? []), volume];
    }
  }

  const metadata: ChildJob['metadata'] = {
    name,
    namespace,
    labels: { ...template.metadata?.labels, ...identity },
    annotations: { ...template.metadata?.annotations, ...identity, ...placement },
  };
  if (opts.ownerReference !== undefined) metadata.ownerReferences = [{ ...opts.ownerReference }];

  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: { ...template.spec, template: podTemplate, suspend: js.spec.suspend ?? false },
  };
}

/** The headless Service `<subdomain>` selecting every pod of the JobSet (§3.5). */
const uidLabel = (js: JobSet): Record<string, string> => (js.metadata.uid !== undefined ? { [Label.JobSetUID]: js.metadata.uid } : {});

export function buildService(js: JobSet, opts: ManifestOptions = {}): V1Service {
  const name = jobSetName(js);
  const metadata: V1ObjectMeta = {
    name: subdomain(js),
    namespace: jobSetNamespace(js),
    // The UID label marks it as this JobSet's own: cleanup deletes only a Service that carries it.
    labels: { [Label.JobSetName]: name, ...uidLabel(js) },
  };
  if (opts.ownerReference !== undefined) metadata.ownerReferences = [{ ...opts.ownerReference }];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      clusterIP: 'None',
      selector: { [Label.JobSetName]: name },
      publishNotReadyAddresses: js.spec.network.publishNotReadyAddresses,
    },
  };
}

/**
 * The PVCs of spec.volumeClaimPolicies (§3.13), one per template, named `<template>-<js>`.
 * The owner reference (garbage collection with the JobSet) is set only for `whenDeleted:
 * Delete`; `Retain` claims outlive the JobSet.
 */
export function buildPVCs(js: JobSet, opts: ManifestOptions = {}): V1PersistentVolumeClaim[] {
  const name = jobSetName(js);
  const namespace = jobSetNamespace(js);
  const out: V1PersistentVolumeClaim[] = [];
  for (const policy of js.spec.volumeClaimPolicies ?? []) {
    for (const t of policy.templates) {
      const metadata: V1ObjectMeta = {
        name: pvcName(t.metadata.name, name),
        namespace,
        // The UID label marks the claim as made by this JobSet: cleanup never deletes one without it.
        labels: { ...t.metadata.labels, [Label.JobSetName]: name, ...uidLabel(js) },
      };
      if (t.metadata.annotations !== undefined) metadata.annotations = { ...t.metadata.annotations };
      if (policy.retentionPolicy.whenDeleted === 'Delete' && opts.ownerReference !== undefined) {
        metadata.ownerReferences = [{ ...opts.ownerReference }];
      }
      out.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec: deepCopy(t.spec) });
    }
  }
  return out;
}

const isNamespacedJobToleration = (t: V1Toleration): boolean => t.key === NoScheduleTaintKey && t.operator === 'Exists' && t.effect === 'NoSchedule';

/**
 * The pod template a suspended Job resumes with (the Kueue merge, §3.6): labels, annotations
 * and nodeSelector merged as maps with the rjob template's values winning (other controllers may
 * have added keys to the Job); tolerations and schedulingGates taken from the rjob template, so
 * that removals made while suspended (e.g. Kueue lifting a gate) reach the Job. The one
 * toleration we inject ourselves (node-selector placement) is kept: the nodeSelector it pairs
 * with survives the map merge, and without it the pods could not land on the tainted nodes.
 */
export function mergeForResume(jobPodTemplate: V1PodTemplateSpec, rjobPodTemplate: V1PodTemplateSpec): V1PodTemplateSpec {
  const job = deepCopy(jobPodTemplate);
  const rjob = rjobPodTemplate;
  const mergeMap = (a?: Record<string, string>, b?: Record<string, string>) => (a === undefined && b === undefined ? undefined : { ...a, ...b });

  const labels = mergeMap(job.metadata?.labels, rjob.metadata?.labels);
  const annotations = mergeMap(job.metadata?.annotations, rjob.metadata?.annotations);
  const metadata: V1ObjectMeta = { ...job.metadata };
  if (labels !== undefined) metadata.labels = labels;
  if (annotations !== undefined) metadata.annotations = annotations;

  const spec: V1PodSpec = { ...(job.spec as V1PodSpec) };
  const nodeSelector = mergeMap(job.spec?.nodeSelector, rjob.spec?.nodeSelector);
  if (nodeSelector !== undefined) spec.nodeSelector = nodeSelector;

  const injected = (job.spec?.tolerations ?? []).filter(isNamespacedJobToleration);
  const fromRjob = deepCopy(rjob.spec?.tolerations ?? []);
  const tolerations = fromRjob.some(isNamespacedJobToleration) ? fromRjob : [...fromRjob, ...injected.slice(0, 1)];
  if (tolerations.length > 0) spec.tolerations = tolerations;
  else delete spec.tolerations;

  if (rjob.spec?.schedulingGates !== undefined) spec.schedulingGates = deepCopy(rjob.spec.schedulingGates);
  else delete spec.schedulingGates;

  return { ...job, metadata, spec };
}
