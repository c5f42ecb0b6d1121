// TTL after finished (docs/design.md §3.12), as pure arithmetic on RFC 3339 instants: the
// workflow sleeps until the expiry (durable timer) and then deletes the JobSet.
import { ConditionType } from '../api/constants.js';
import type { JobSet, JobSetStatus } from '../api/schema.js';

/** Thrown when a timestamp that must be RFC 3339 does not parse. */
export class InvalidTimestampError extends Error {
  override readonly name = 'InvalidTimestampError';
  constructor(readonly value: string) {
    super(`invalid RFC 3339 timestamp ${JSON.stringify(value)}`);
  }
}

function parseTime(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidTimestampError(value);
  return ms;
}

/** The finish time: lastTransitionTime of the True Completed or Failed condition. */
export function finishTime(status: Pick<JobSetStatus, 'conditions'>): string | undefined {
  return status.conditions.find((c) => (c.type === ConditionType.Completed || c.type === ConditionType.Failed) && c.status === 'True')?.lastTransitionTime;
}

/**
 * The instant (RFC 3339, UTC) at which a finished JobSet is to be deleted, or undefined when
 * `ttlSecondsAfterFinished` is unset or the JobSet has not finished.
 */
export function ttlExpiry(js: Pick<JobSet, 'spec'>, status: Pick<JobSetStatus, 'conditions'>): string | undefined {
  const ttl = js.spec.ttlSecondsAfterFinished;
  const finished = finishTime(status);
  if (ttl === undefined || finished === undefined) return undefined;
  return new Date(parseTime(finished) + ttl * 1000).toISOString();
}

/**
 * Milliseconds from `now` until the expiry: 0 when already due (clock skew that puts `now`
 * before the finish time only lengthens the wait), undefined when no TTL applies.
 */
export function ttlRemainingMs(js: Pick<JobSet, 'spec'>, status: Pick<JobSetStatus, 'conditions'>, now: string): number | undefined {
  const expiry = ttlExpiry(js, status);
  if (expiry === undefined) return undefined;
  return Math.max(0, parseTime(expiry) - parseTime(now));
}
