// Writes schema/jobset.schema.json and its copy in the Python package from the zod schema
// (`npm run gen:schema`). A unit test (and a Python test) fails when a committed file differs.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { renderJobSetJsonSchema } from '../src/api/json-schema.js';

export const schemaFile = fileURLToPath(new URL('../schema/jobset.schema.json', import.meta.url));
/** The copy shipped in the Python package (its tests check that it is identical). */
export const pythonSchemaFile = fileURLToPath(new URL('../clients/python/src/jobset_temporal/jobset.schema.json', import.meta.url));

function run(): void {
  for (const file of [schemaFile, pythonSchemaFile]) {
    writeFileSync(file, renderJobSetJsonSchema());
    console.log(`wrote ${file}`);
  }
}

try {
  run();
} catch (err) {
  console.error(err);
  process.exit(1);
}
