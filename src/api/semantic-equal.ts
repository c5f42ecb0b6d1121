// Kubernetes "semantic" equality for JSON objects: like apimachinery's Semantic.DeepEqual, an
// absent field, `null`, an empty list and an empty map are the same value. Update validation
// compares old and new specs with it, so re-serialising an object (which may drop or add empty
// lists) never reads as a change.
import { formatPath } from './errors.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Drops absent, null, empty-list and empty-map values, recursively. Undefined when nothing is left. */
export function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    // List items keep their positions: a null item is still an item.
    const items = value.map((v) => normalize(v) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const n = normalize(v);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/**
 * Paths (as `formatPath` renders them) where two normalized values differ: the deepest field
 * that differs (map keys included), or a list whose length differs.
 */
export function diffPaths(a: unknown, b: unknown, at: readonly PropertyKey[] = []): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [formatPath(at)];
    return a.flatMap((item, i) => diffPaths(item, b[i], [...at, i]));
  }
  // A map that appeared or disappeared is reported key by key, like one that changed.
  const mapA = a === undefined ? {} : a;
  const mapB = b === undefined ? {} : b;
  if (isPlainObject(mapA) && isPlainObject(mapB) && a !== b) {
    const keys = [...Object.keys(mapA), ...Object.keys(mapB).filter((k) => !(k in mapA))];
    return keys.flatMap((k) => diffPaths(mapA[k], mapB[k], [...at, k]));
  }
  return Object.is(a, b) ? [] : [formatPath(at)];
}

/** Semantic deep equality of two JSON values. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return diffPaths(normalize(a), normalize(b)).length === 0;
}
