// Create and update validation, one import for callers that need both.
export { validateCreate } from './validate-create.js';
export { validateUpdate } from './validate-update.js';
export type { FieldIssue } from './errors.js';
