// Classifies Kubernetes API errors so that activities can decide between "that is fine"
// (AlreadyExists on create, NotFound on delete), "retry" (conflicts, throttling, server and
// network errors) and "give up" (the request itself is wrong).
import { ApiException } from '@kubernetes/client-node';

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
 * True when the request is wrong in itself (invalid, forbidden, unauthorized): retrying the same
 * request cannot succeed. Everything else (5xx, 429, 409 Conflict, timeouts, refused connections)
 * is worth retrying.
 */
export function isPermanent(err: unknown): boolean {
  const code = statusCode(err);
  return code === 400 || code === 401 || code === 403 || code === 405 || code === 415 || code === 422;
}

/** The `reason` of a Kubernetes Status body (AlreadyExists, Conflict, NotFound, Invalid, ...). */
export function reasonOf(err: unknown): string | undefined {
  if (!(err instanceof ApiException)) return undefined;
  const body = err.body as unknown;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { reason?: string }).reason;
    } catch {
      return undefined;
    }
  }
  return (body as { reason?: string } | undefined)?.reason;
}

/** A one-line description of a Kubernetes API error, with the server's message when there is one. */
export function describeError(err: unknown): string {
  if (err instanceof ApiException) {
    const body = err.body as unknown;
    let message: string | undefined;
    if (typeof body === 'string') {
      try {
        message = (JSON.parse(body) as { message?: string }).message;
      } catch {
        message = body;
      }
    } else message = (body as { message?: string } | undefined)?.message;
    return `HTTP ${err.code}${message ? `: ${message}` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}
