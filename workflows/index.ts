// Every workflow the worker hosts. The worker bundles this file (webpack), so it may import only
// @temporalio/workflow, deterministic project code and activity *types*.
export { jobSetWorkflow } from './jobset.js';
export { jobSetCleanupWorkflow } from './cleanup.js';
