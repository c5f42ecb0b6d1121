// The one entry point from user input to a JobSet: read (YAML or JSON, one or many documents),
// parse with the zod schema (which applies every default), then run create validation. Anything
// wrong comes back as one JobSetValidationError listing every problem, each with its path.
import { parseAllDocuments } from 'yaml';

import { type FieldIssue, JobSetValidationError, ROOT_PATH } from './errors.js';
import { safeParseJobSet } from './parse.js';
import type { JobSet } from './schema.js';

/**
 * Parses, defaults and validates one JobSet object (already decoded from YAML or JSON).
 * @throws JobSetValidationError listing every problem found.
 */
export function parseJobSet(input: unknown): JobSet {
  const result = safeParseJobSet(input);
  if (!result.success) throw new JobSetValidationError(result.issues, { subject: subjectOf(input) });
  return result.data;
}

/**
 * Reads YAML or JSON text holding one or more JobSets: several YAML documents separated by
 * `---`, or a `kind: List` / `JobSetList` with `items` (as `kubectl get -o yaml` prints).
 * Empty documents are skipped.
 * @throws JobSetValidationError for unreadable text, no JobSet at all, or any invalid JobSet;
 * every problem of every document is listed, with its document number when there are several.
 */
export function loadJobSets(text: string): JobSet[] {
  const documents = readDocuments(text);
  const numbered = documents.length > 1;
  const issues: FieldIssue[] = [];
  const jobSets: JobSet[] = [];
  for (const doc of documents) {
    const tag = (issue: FieldIssue): FieldIssue => (numbered ? { ...issue, document: doc.number } : issue);
    if ('error' in doc) {
      issues.push(doc.error); // its path already names the document
      continue;
    }
    for (const { value, prefix } of expandList(doc.value)) {
      const result = safeParseJobSet(value, prefix);
      if (result.success) jobSets.push(result.data);
      else issues.push(...result.issues.map(tag));
    }
  }
  if (issues.length === 0 && jobSets.length === 0) {
    issues.push({ path: ROOT_PATH, message: 'no JobSet found in the input' });
  }
  if (issues.length > 0) {
    const only = documents.length === 1 && documents[0] && 'value' in documents[0] ? documents[0].value : undefined;
    throw new JobSetValidationError(issues, { subject: only === undefined ? 'input' : subjectOf(only) });
  }
  return jobSets;
}

/** A non-empty document (numbered from 1 in the stream), or why it cannot be read. */
type ReadDocument = { number: number } & ({ value: unknown } | { error: FieldIssue });

/** Decodes the text into its non-empty documents, or the reason each cannot be read. */
function readDocuments(text: string): ReadDocument[] {
  // JSON is YAML, but the YAML reader refuses some valid JSON (tab indentation), so JSON-looking
  // text goes to the JSON reader first; the YAML reader then only serves to locate a syntax error.
  if (/^\s*[{[]/.test(text)) {
    try {
      return [{ number: 1, value: JSON.parse(text) as unknown }];
    } catch {
      // fall through to the YAML reader for a located error message
    }
  }
  const out: ReadDocument[] = [];
  parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true }).forEach((doc, i) => {
    const number = i + 1;
    const path = `(document ${number})`;
    const first = doc.errors[0];
    if (first) {
      const pos = first.linePos?.[0];
      const where = pos ? `line ${pos.line}, column ${pos.col}: ` : '';
      // yaml's pretty messages end with " at line L, column C:" and a source excerpt: keep one line.
      const what = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      out.push({ number, error: { path, message: `unreadable YAML: ${where}${what}` } });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (err) {
      // e.g. an alias to an anchor that is not defined
      out.push({ number, error: { path, message: `unreadable YAML: ${(err as Error).message}` } });
      return;
    }
    // An alias inside the node it refers to makes a cyclic object: nothing downstream (JSON,
    // Temporal payloads) can carry it.
    if (isCyclic(value)) {
      out.push({ number, error: { path, message: 'unreadable YAML: an alias refers to a node that contains it' } });
      return;
    }
    if (value !== null && value !== undefined) out.push({ number, value });
  });
  return out;
}

function isCyclic(value: unknown, ancestors: Set<unknown> = new Set()): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const cyclic = Object.values(value).some((v) => isCyclic(v, ancestors));
  ancestors.delete(value);
  return cyclic;
}

/** A `List`/`JobSetList` stands for its items (paths `items[i]...`); anything else for itself. */
function expandList(value: unknown): { value: unknown; prefix: string }[] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if ((v.kind === 'List' || v.kind === 'JobSetList') && Array.isArray(v.items)) {
      return v.items.map((item: unknown, i) => ({ value: item, prefix: `items[${i}]` }));
    }
  }
  return [{ value, prefix: '' }];
}

/** `JobSet "name"` for messages, when the input carries a usable name. */
function subjectOf(input: unknown): string {
  const meta = (input as { metadata?: { name?: unknown; generateName?: unknown } } | null)?.metadata;
  if (typeof meta?.name === 'string' && meta.name !== '') return `JobSet ${JSON.stringify(meta.name)}`;
  if (typeof meta?.generateName === 'string' && meta.generateName !== '') {
    return `JobSet ${JSON.stringify(`${meta.generateName}*`)}`;
  }
  return 'JobSet';
}
