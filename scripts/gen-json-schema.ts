// Writes schema/jobset.schema.json from the zod schema (`npm run gen:schema`). A unit test fails
// when the committed file differs from what this would write.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { renderJobSetJsonSchema } from '../src/api/json-schema.js';

export const schemaFile = fileURLToPath(new URL('../schema/jobset.schema.json', import.meta.url));

function run(): void {
  writeFileSync(schemaFile, renderJobSetJsonSchema());
  console.log(`wrote ${schemaFile}`);
}

try {
  run();
} catch (err) {
  console.error(err);
  process.exit(1);
}
