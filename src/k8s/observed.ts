// Turns Kubernetes Job objects into the plain facts the decision reads (core/types ObservedJob).
// Objects come from two places with different shapes: list calls return deserialized models
// (timestamps as Date) and watch events return raw JSON (timestamps as strings).
import type { V1Job } from '@kubernetes/client-node';

import type { ObservedJob } from '../core/types.js';

const iso = (t: Date | string | undefined | null): string | undefined => (t == null ? undefined : t instanceof Date ? t.toISOString() : String(t));

/**
 * Condition messages are what `onJobFailureMessagePatterns` match, inside the workflow task:
 * matching is linear in the message (RE2), and capping it keeps one pass far inside the task's
 * deadline whatever a failing pod writes (the Job controller's own messages are ~100 characters).
 */
export const MaxObservedMessage = 4096;
const clip = (m: string): string => (m.length > MaxObservedMessage ? m.slice(0, MaxObservedMessage) : m);

export function toObservedJob(job: V1Job): ObservedJob {
  const s = job.status ?? {};
  const observed: ObservedJob = {
    name: job.metadata?.name ?? '',
    labels: { ...(job.metadata?.labels ?? {}) },
    deleting: job.metadata?.deletionTimestamp != null,
    suspended: job.spec?.suspend === true,
    active: s.active ?? 0,
    ready: s.ready ?? 0,
    succeeded: s.succeeded ?? 0,
    failed: s.failed ?? 0,
    conditions: (s.conditions ?? []).map((c) => {
      const at = iso(c.lastTransitionTime as Date | string | undefined);
      return {
        type: c.type,
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: clip(c.message) } : {}),
        ...(at ? { lastTransitionTime: at } : {}),
      };
    }),
  };
  if (job.metadata?.uid) observed.uid = job.metadata.uid;
  if (job.spec?.parallelism != null) observed.parallelism = job.spec.parallelism;
  if (job.spec?.completions != null) observed.completions = job.spec.completions;
  const start = iso(s.startTime as Date | string | undefined);
  if (start) observed.startTime = start;
  return observed;
}
