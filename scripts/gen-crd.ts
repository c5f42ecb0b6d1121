// Writes deploy/crd/jobsets.jobset.x-k8s.io.yaml from the JSON Schema of the zod schema
// (`npm run gen:crd`). A unit test fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { renderJobSetCrd } from '../src/api/crd.js';

export const crdFile = fileURLToPath(new URL('../deploy/crd/jobsets.jobset.x-k8s.io.yaml', import.meta.url));

function run(): void {
  writeFileSync(crdFile, renderJobSetCrd());
  console.log(`wrote ${crdFile}`);
}

try {
  run();
} catch (err) {
  console.error(err);
  process.exit(1);
}
