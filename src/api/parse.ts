// One JobSet object (already decoded) to a defaulted, validated JobSet: the zod schema applies
// every default, then create validation runs. Used by every boundary: the SDK and CLI (load.ts),
// the bridge, and the worker's admission activity.
import type { z } from 'zod';

import { type FieldIssue, issuesFromZod, joinPath } from './errors.js';
import { ValidationMessage as M } from './messages.js';
import { type JobSet, jobSetSchema } from './schema.js';
import { validateCreate } from './validate-create.js';

export type JobSetParseResult = { success: true; data: JobSet } | { success: false; issues: FieldIssue[] };

// A field that is missing reads better as the Kubernetes "Required value" than as zod's
// "expected string, received undefined".
const parseOptions = {
  error: (iss: z.core.$ZodRawIssue) => (iss.code === 'invalid_type' && iss.input === undefined ? M.Required : undefined),
};

/** Parses, defaults and validates one JobSet object without throwing. */
export function safeParseJobSet(input: unknown, pathPrefix = ''): JobSetParseResult {
  const parsed = jobSetSchema.safeParse(input, parseOptions);
  if (!parsed.success) return { success: false, issues: issuesFromZod(parsed.error, pathPrefix) };
  const issues = validateCreate(parsed.data).map((i) => ({ ...i, path: joinPath(pathPrefix, i.path) }));
  return issues.length > 0 ? { success: false, issues } : { success: true, data: parsed.data };
}

/**
 * A JobSet that reached a workflow, from any client (the Python SDK and `temporal workflow start`
 * can only check its shape): defaulted and validated, and named (a workflow has no generateName).
 */
export function admitJobSet(input: unknown): { jobSet: JobSet } | { issues: FieldIssue[] } {
  const result = safeParseJobSet(input);
  if (!result.success) return { issues: result.issues };
  if (!result.data.metadata.name) return { issues: [{ path: 'metadata.name', message: M.Required }] };
  return { jobSet: result.data };
}
