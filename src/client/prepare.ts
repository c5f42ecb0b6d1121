// Offline preparation of a JobSet for `submit`: parsed, defaulted and validated, with the metadata
// the API server would set (namespace, a name for generateName, uid, creationTimestamp), and the
// form in which a submitted JobSet is compared with one that already runs. No Temporal here, so
// the CLI can check and print a JobSet without connecting.
import { randomInt, randomUUID } from 'node:crypto';

import { JobSetValidationError, ROOT_PATH } from '../api/errors.js';
import { loadJobSets, parseJobSet } from '../api/load.js';
import type { JobSet, JobSetInput } from '../api/schema.js';
import { normalize } from '../api/semantic-equal.js';
import { DEFAULT_NAMESPACE, type SubmitOptions } from './options.js';

/** Server-set metadata and the status are not part of what a user submits. */
export function comparable(js: JobSet): unknown {
  const { uid: _uid, creationTimestamp: _created, resourceVersion: _rv, generation: _gen, managedFields: _mf, ...metadata } = js.metadata;
  return normalize({ ...js, metadata, status: undefined });
}

/** A name for `generateName`, as the API server makes one: the prefix and 5 random characters. */
function generatedName(prefix: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return prefix + Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/**
 * The JobSet exactly as `submit` starts it: parsed, defaulted and validated, with its namespace
 * (the object's, else `options.namespace`, else `options.defaultNamespace`, else `default`), a
 * name for `generateName`, a fresh `metadata.uid` and a `creationTimestamp`. Offline.
 * @throws JobSetValidationError listing every problem (text holding several JobSets included).
 */
export function prepareJobSet(input: JobSetInput | JobSet | string, options: SubmitOptions & { defaultNamespace?: string } = {}): JobSet {
  let parsed: JobSet;
  if (typeof input === 'string') {
    const all = loadJobSets(input);
    if (all.length !== 1) {
      throw new JobSetValidationError([{ path: ROOT_PATH, message: `the text holds ${all.length} JobSets; submit them one at a time` }]);
    }
    parsed = all[0] as JobSet;
  } else {
    parsed = parseJobSet(input);
  }
  const meta = parsed.metadata;
  if (meta.namespace && options.namespace && meta.namespace !== options.namespace) {
    throw new JobSetValidationError([
      {
        path: 'metadata.namespace',
        message: `the JobSet names namespace ${JSON.stringify(meta.namespace)}, which does not match ${JSON.stringify(options.namespace)}`,
      },
    ]);
  }
  const { status: _status, ...withoutStatus } = parsed;
  // Parsed once more so that the namespace and a generated name are validated too.
  return parseJobSet({
    ...withoutStatus,
    metadata: {
      ...meta,
      namespace: meta.namespace ?? options.namespace ?? options.defaultNamespace ?? DEFAULT_NAMESPACE,
      name: meta.name || generatedName(meta.generateName ?? ''),
      uid: meta.uid ?? randomUUID(),
      creationTimestamp: meta.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    },
  });
}
