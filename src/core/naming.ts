// Names derived from a JobSet (docs/design.md §1.2 Network/Coordinator, §1.5, §3.3).
// Every module that needs one of these names calls here, so the Job name the decision expects
// and the Job name the manifest carries cannot drift.
import type { JobSet } from '../api/schema.js';
import { sha1Hex } from './sha1.js';

/**
 * Thrown when a JobSet reaches core without `metadata.name`. Names are resolved (generateName
 * expanded) before a workflow starts, so this is a programming error, not a user error.
 */
export class JobSetNameMissingError extends Error {
  override readonly name = 'JobSetNameMissingError';
  constructor() {
    super('JobSet metadata.name is not set');
  }
}

/** The JobSet's name; throws JobSetNameMissingError when unset. */
export function jobSetName(js: Pick<JobSet, 'metadata'>): string {
  const name = js.metadata.name;
  if (name === undefined || name === '') throw new JobSetNameMissingError();
  return name;
}

/** The JobSet's namespace (`default` when unset, as kubectl would resolve it). */
export function jobSetNamespace(js: Pick<JobSet, 'metadata'>): string {
  return js.metadata.namespace ?? 'default';
}

/** Child Job name `<jobset>-<rjob>-<jobIndex>` (upstream `placement.GenJobName`). */
export function jobName(jobSet: string, replicatedJob: string, jobIndex: number): string {
  return `${jobSet}-${replicatedJob}-${jobIndex}`;
}

/** The headless Service name and pod subdomain: `network.subdomain`, else the JobSet name. */
export function subdomain(js: Pick<JobSet, 'metadata' | 'spec'>): string {
  return js.spec.network.subdomain ?? jobSetName(js);
}

/** Pod hostname `<jobset>-<rjob>-<jobIndex>-<podIndex>` (set by the Indexed Job controller). */
export function podHostname(jobSet: string, replicatedJob: string, jobIndex: number, podIndex: number): string {
  return `${jobName(jobSet, replicatedJob, jobIndex)}-${podIndex}`;
}

/** The `job-key` label: 40-hex SHA-1 of `<namespace>/<jobName>` (upstream uses SHA-1). */
export function jobKey(namespace: string, job: string): string {
  return sha1Hex(`${namespace}/${job}`);
}

/**
 * The coordinator endpoint `<jobset>-<rjob>-<jobIndex>-<podIndex>.<subdomain>`, or undefined
 * when `spec.coordinator` is not set.
 */
export function coordinatorEndpoint(js: Pick<JobSet, 'metadata' | 'spec'>): string | undefined {
  const c = js.spec.coordinator;
  if (c === undefined) return undefined;
  return `${podHostname(jobSetName(js), c.replicatedJob, c.jobIndex, c.podIndex)}.${subdomain(js)}`;
}

/** PVC name `<template>-<jobset>` for a volumeClaimPolicies template (§3.13). */
export function pvcName(templateName: string, jobSet: string): string {
  return `${templateName}-${jobSet}`;
}
