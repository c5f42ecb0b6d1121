// Ordering of Kubernetes resourceVersions, for one question: has the worker's shared cache of
// child Jobs (src/k8s/child-cache.ts) seen everything up to a given write or observation?
//
// The API documents resourceVersions as opaque. Every API server backed by etcd hands out etcd
// revisions (decimal integers, one global sequence), and client-go's consistent reads from the
// watch cache compare them the same way. A value that is not such an integer is "not comparable":
// the caller then reads the API server directly instead of trusting the cache.
//
// Pure and deterministic: the workflow keeps the latest one it knows across passes.

const DECIMAL = /^(0|[1-9][0-9]*)$/;

export function comparable(rv: string | undefined): rv is string {
  return rv !== undefined && DECIMAL.test(rv);
}

/** a >= b, for comparable versions (compared as integers of any length). */
export function atLeast(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a >= b;
}

/**
 * The latest version known after `next` (undefined: nothing new). `known` undefined means none
 * known yet, or that the run must read the API server: a comparable `next` then becomes the
 * latest, since a write or a read made now comes after anything the run saw before. A `next`
 * that does not compare makes it unknown.
 */
export function advance(known: string | undefined, next: string | undefined): string | undefined {
  if (next === undefined) return known;
  if (!comparable(next)) return undefined;
  if (!comparable(known)) return next;
  return atLeast(known, next) ? known : next;
}
