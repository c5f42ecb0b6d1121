// The one error type for a JobSet that cannot be accepted: every problem found, each with the
// field path a user can look up in their YAML (`spec.replicatedJobs[1].replicas`).
import type { z } from 'zod';

import { ValidationMessage } from './messages.js';

/** One problem with one field. */
export interface FieldIssue {
  /** Field path in the object as written: `metadata.name`, `spec.replicatedJobs[1].replicas`. */
  path: string;
  message: string;
  /** 1-based document number, set only when the input held more than one document. */
  document?: number;
}

/** Path of an issue about the whole object rather than one field. */
export const ROOT_PATH = '(root)';

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Renders path segments the way Kubernetes field paths read: `.field` for plain names,
 * `[3]` for list indexes and `[key]` for map keys that are not plain names (label keys such as
 * `kwok-sim/fail`).
 */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      out += identifier.test(s) ? (out === '' ? s : `.${s}`) : `[${s}]`;
    }
  }
  return out === '' ? ROOT_PATH : out;
}

/** Joins a prefix path (`items[2]`) and a path relative to it. */
export function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === ROOT_PATH) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/**
 * Turns zod issues into field issues. An unknown key becomes one issue at the key's own path
 * (`spec.foo: unknown field "foo"`) rather than one at its parent listing all keys, so every
 * line names the exact field to fix.
 */
export function issuesFromZod(error: z.ZodError, prefix = ''): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: joinPath(prefix, formatPath([...issue.path, key])), message: ValidationMessage.UnknownField(key) });
      }
      continue;
    }
    out.push({ path: joinPath(prefix, formatPath(issue.path)), message: issue.message });
  }
  return out;
}

/** `path: message`, preceded by `(document N)` when the input held several documents. */
export function formatIssue(issue: FieldIssue): string {
  const doc = issue.document === undefined ? '' : `(document ${issue.document}) `;
  return `${doc}${issue.path}: ${issue.message}`;
}

/**
 * Thrown when a JobSet cannot be read, parsed or validated. `issues` lists every problem found
 * (never empty); `message` renders them one per line.
 */
export class JobSetValidationError extends Error {
  override readonly name = 'JobSetValidationError';
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[], options?: { subject?: string; cause?: unknown }) {
    const list = issues.length > 0 ? issues : [{ path: ROOT_PATH, message: 'invalid JobSet' }];
    const subject = options?.subject ?? 'JobSet';
    const head = `${subject} is invalid (${list.length} ${list.length === 1 ? 'error' : 'errors'}):`;
    super([head, ...list.map((i) => `  ✖ ${formatIssue(i)}`)].join('\n'), { cause: options?.cause });
    this.issues = list;
  }
}
