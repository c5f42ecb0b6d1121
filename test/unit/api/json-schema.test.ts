// schema/jobset.schema.json is generated from the zod schema (`npm run gen:schema`); this fails
// when someone changes the schema and forgets to regenerate the file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { jobSetJsonSchema, renderJobSetJsonSchema } from '../../../src/api/json-schema.js';

const file = fileURLToPath(new URL('../../../schema/jobset.schema.json', import.meta.url));

it('schema/jobset.schema.json is up to date (run `npm run gen:schema`)', () => {
  expect(readFileSync(file, 'utf8')).toBe(renderJobSetJsonSchema());
});

it('describes the input: defaulted fields are optional and carry their default', () => {
  const schema = jobSetJsonSchema() as { required: string[]; properties: Record<string, any> };
  expect(schema.required).toEqual(['metadata', 'spec']);
  const rj = schema.properties.spec.properties.replicatedJobs.items;
  expect(rj.required).toEqual(['name', 'template']);
  expect(rj.properties.replicas).toMatchObject({ default: 1, minimum: 0 });
  expect(rj.properties.groupName).toMatchObject({ default: 'default' });
  expect(rj.additionalProperties).toBe(false);
});

it('keys are sorted, so the file is stable', () => {
  const keysSorted = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.every(keysSorted);
    if (typeof v !== 'object' || v === null) return true;
    const keys = Object.keys(v);
    return keys.join('\u0000') === [...keys].sort().join('\u0000') && Object.values(v).every(keysSorted);
  };
  expect(keysSorted(jobSetJsonSchema())).toBe(true);
});
