// Every side effect of a JobSet on Kubernetes. Activities report facts and carry out actions the
// workflow decided; they decide no policy. Each one is idempotent: Temporal may run it again after
// a crash at any point, so "already exists" on create and "not found" on delete are success.
//
// This module assembles them, one module per job: admit.ts (validation and the server-side dry
// run), observe.ts (child Jobs and the Service, waiting for a change), act.ts (Jobs, Service,
// PVCs), status.ts (the status write and Events), cleanup.ts (deleting a JobSet's children), over
// what shared.ts provides. The activity names (the keys of createJobSetActivities) and their
// input and result types are recorded in workflow histories (test/replay/histories): they never
// change. workflows/ and tests import the types from here.
import { hostname } from 'node:os';

import type { ChildCache } from '../src/k8s/child-cache.js';
import type { KubeClients } from '../src/k8s/client.js';
import { createActActivities } from './act.js';
import { createAdmitActivities } from './admit.js';
import { createCleanupActivities } from './cleanup.js';
import { createObserveActivities } from './observe.js';
import type { ActivityEnv, JobSetActivityOptions } from './shared.js';
import { createStatusActivities } from './status.js';

export type { Written } from './act.js';
export type { Admission } from './admit.js';
export type { ObserveInput, ObserveResult } from './observe.js';
export type { ActivityMetrics, JobSetActivityOptions, JobSetTarget } from './shared.js';
export { childSelector, NamespaceNotServedFailure } from './shared.js';
export { WorkerFieldManager } from './status.js';

export function createJobSetActivities(kube: KubeClients, children: ChildCache, options: JobSetActivityOptions = {}) {
  const env: ActivityEnv = { kube, children, options, reportingInstance: hostname() };
  return {
    ...createObserveActivities(env),
    ...createActActivities(env),
    ...createAdmitActivities(env),
    ...createStatusActivities(env),
    ...createCleanupActivities(env),
  };
}

export type JobSetActivities = ReturnType<typeof createJobSetActivities>;
