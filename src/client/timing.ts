// Time and concurrency for the SDK's verbs: sleeping (abortably, for `watch`), bounding Temporal
// requests by a caller's deadline (`wait`, `list`), and a bounded parallel map (`list` reads many
// runs, but not all at once).
import type { Client } from '@temporalio/client';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sleeps `ms`, or less when `signal` aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return sleep(ms);
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `fn` with its Temporal requests cancelled at `deadline` (then throws `onTimeout()`), so
 * no request outlives the caller's timeout.
 */
export async function within<T>(client: Client, deadline: number | undefined, fn: () => Promise<T>, onTimeout: () => Error): Promise<T> {
  if (deadline === undefined) return fn();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
  try {
    return await client.withAbortSignal(controller.signal, fn);
  } catch (err) {
    if (controller.signal.aborted) throw onTimeout();
    throw err;
  } finally {
    clearTimeout(timer);
    // Requests `fn` started and no longer awaits (a parallel query after the other failed).
    controller.abort();
  }
}

/** Maps with at most `limit` calls in flight, keeping the order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
