// The workflow contract: the ID format round-trips, and the Python SDK's generated copy is current.
import { readFileSync } from 'node:fs';

import { pythonContractFile, renderPythonContract } from '../../../scripts/gen-contract.js';
import { parseWorkflowId, workflowId } from '../../../workflows/contract.js';

test('clients/python/src/jobset_temporal/_contract.py is up to date (run `npm run gen:contract`)', () => {
  expect(readFileSync(pythonContractFile, 'utf8')).toBe(renderPythonContract());
});

test.each([
  ['default', 'pytorch'],
  ['team-a', 'a.b-c'],
])('workflowId(%j, %j) parses back', (namespace, name) => {
  expect(workflowId(namespace, name)).toBe(`jobset/${namespace}/${name}`);
  expect(parseWorkflowId(workflowId(namespace, name))).toEqual({ namespace, name });
});

test.each(['jobset/', 'jobset/ns', 'jobset/ns/', 'jobset//name', 'jobset/a/b/c', 'cleanup/ns/name', 'ns/name'])('%j is not a JobSet workflow ID', (id) => {
  expect(parseWorkflowId(id)).toBeUndefined();
});
