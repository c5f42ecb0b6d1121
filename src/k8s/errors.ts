// Classifies Kubernetes API errors so that activities can decide between "that is fine"
// (AlreadyExists on create, NotFound on delete), "retry" (conflicts, throttling, server and
// network errors) and "give up" (the request itself is wrong).
import { ApiException } from './kube.js';

/** HTTP status of a Kubernetes API error, or undefined for network-level failures. */
export function statusCode(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  const code = (err as { code?: unknown; statusCode?: unknown } | null)?.statusCode ?? (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export const isNotFound = (err: unknown): boolean => statusCode(err) === 404;
export const isAlreadyExists = (err: unknown): boolean => statusCode(err) === 409 && reasonOf(err) !== 'Conflict';
export const isConflict = (err: unknown): boolean => statusCode(err) === 409 && reasonOf(err) === 'Conflict';

/**
 * True when the request is wrong in itself (malformed or invalid: 400, 405, 415, 422): retrying
 * the same request cannot succeed. Everything else is worth retrying, as upstream requeues: 401
 * and 403 too, because what refuses the request can change while the JobSet waits (a
 * ResourceQuota is raised, a policy webhook is fixed, RBAC is re-applied), and so can 5xx, 429,
 * 409 Conflict, 404 (a namespace created later), timeouts and refused connections.
 */
export function isPermanent(err: unknown): boolean {
  const code = statusCode(err);
  return code === 400 || code === 405 || code === 415 || code === 422;
}

/** One `details.causes` entry of a Kubernetes Status body (a field the API server refused). */
export interface StatusCause {
  field?: string;
  message?: string;
  reason?: string;
}

/** The `details.causes` of a Kubernetes Status body (empty when there are none). */
export function causesOf(err: unknown): StatusCause[] {
  const causes = (statusBody(err)?.details as { causes?: unknown } | undefined)?.causes;
  return Array.isArray(causes) ? (causes as StatusCause[]) : [];
}

function statusBody(err: unknown): Record<string, unknown> | undefined {
  if (!(err instanceof ApiException)) return undefined;
  const body = err.body as unknown;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
}

/** The `reason` of a Kubernetes Status body (AlreadyExists, Conflict, NotFound, Invalid, ...). */
export function reasonOf(err: unknown): string | undefined {
  const reason = statusBody(err)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** A one-line description of a Kubernetes API error, with the server's message when there is one. */
export function describeError(err: unknown): string {
  if (err instanceof ApiException) {
    const body = statusBody(err);
    const message = typeof body?.message === 'string' ? body.message : typeof err.body === 'string' && err.body ? err.body : undefined;
    return `HTTP ${err.code}${message ? `: ${message}` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}
