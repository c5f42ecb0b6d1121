// Writes clients/python/src/jobset_temporal/_contract.py from workflows/contract.ts
// (`npm run gen:contract`), so the Python SDK names the workflow types, IDs, queries, Updates,
// search attributes, memo keys and failure types exactly as the TypeScript side does. A unit test
// fails when the committed file differs.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import * as contract from '../workflows/contract.js';

export const pythonContractFile = fileURLToPath(new URL('../clients/python/src/jobset_temporal/_contract.py', import.meta.url));

/** The Python module: one constant per value of the contract. */
export function renderPythonContract(): string {
  const constants: [string, string | number][] = [
    ['WORKFLOW_TYPE_JOBSET', contract.WorkflowType.JobSet],
    ['WORKFLOW_TYPE_CLEANUP', contract.WorkflowType.Cleanup],
    ['WORKFLOW_ID_PREFIX', contract.WorkflowIdPrefix],
    ['MEMO_RESOURCE_UID', contract.ResourceUidMemo],
    ['SEARCH_ATTRIBUTE_NAMESPACE', contract.JobSetNamespaceKey.name],
    ['SEARCH_ATTRIBUTE_NAME', contract.JobSetNameKey.name],
    ['SEARCH_ATTRIBUTE_STATE', contract.JobSetStateKey.name],
    ['SEARCH_ATTRIBUTE_RESTARTS', contract.JobSetRestartsKey.name],
    ['QUERY_STATUS', contract.statusQuery.name],
    ['QUERY_JOBSET', contract.jobSetQuery.name],
    ['UPDATE_SUSPEND', contract.suspendUpdate.name],
    ['UPDATE_RESUME', contract.resumeUpdate.name],
    ['UPDATE_ADMITTED', contract.admittedUpdate.name],
    ['SIGNAL_CHILDREN_CHANGED', contract.childrenChangedSignal.name],
    ['FAILURE_INVALID_JOBSET', contract.InvalidJobSetFailure],
    ['FAILURE_JOBSET_FAILED', contract.JobSetFailedFailure],
    ['FAILURE_OWNER_DELETED', contract.OwnerDeletedFailure],
  ];
  return [
    '"""The JobSet workflow contract (workflow types, IDs, messages, keys, failure types).',
    '',
    'Generated from workflows/contract.ts by `npm run gen:contract`; do not edit.',
    '"""',
    '',
    ...constants.map(([name, value]) => `${name} = ${JSON.stringify(value)}`),
    '',
    '',
    'def workflow_id(namespace: str, name: str) -> str:',
    '    """The workflow ID of a JobSet: one live workflow per namespace/name."""',
    '    return f"{WORKFLOW_ID_PREFIX}{namespace}/{name}"',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(pythonContractFile, renderPythonContract());
  console.log(`wrote ${pythonContractFile}`);
}
