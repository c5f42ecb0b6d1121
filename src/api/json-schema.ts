// The JSON Schema of a JobSet as a user writes it (defaults are optional fields carrying their
// `default`), generated from the zod schema so the two cannot drift. It feeds the CRD and the
// Python SDK; `npm run gen:schema` writes it to schema/jobset.schema.json.
import { z } from 'zod';

import { API_VERSION } from './constants.js';
import { jobSetSchema } from './schema.js';

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
};

/** The input JSON Schema, keys sorted so the file only changes when the schema does. */
export function jobSetJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(jobSetSchema, { io: 'input' });
  return sortKeys({
    ...generated,
    $id: 'https://jobset-temporal.io/schema/jobset.schema.json',
    title: 'JobSet',
    description: `A ${API_VERSION} JobSet as accepted by jobset-temporal (before defaulting).`,
  }) as Record<string, unknown>;
}

/** The file content of schema/jobset.schema.json. */
export const renderJobSetJsonSchema = (): string => `${JSON.stringify(jobSetJsonSchema(), null, 2)}\n`;
