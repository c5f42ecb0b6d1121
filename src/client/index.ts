// The TypeScript SDK of jobset-temporal (the package's main export):
//
//   import { JobSetClient } from 'jobset-temporal';
//   const jobsets = await JobSetClient.connect({ address: '127.0.0.1:7233' });
//   await jobsets.submit(yamlText);
//   const status = await jobsets.wait('default', 'pytorch', { for: 'Completed', timeoutMs: 300_000 });
export { JobSetClient } from './client.js';
export { prepareJobSet } from './prepare.js';
export {
  DEFAULT_NAMESPACE,
  DEFAULT_TASK_QUEUE,
  type JobSetClientOptions,
  type JobSetConnectOptions,
  type JobSetInfo,
  type ListOptions,
  type SubmitOptions,
  type SubmitResult,
  type WaitOptions,
  type WaitTarget,
  type WatchOptions,
} from './options.js';
export {
  InvalidLabelSelectorError,
  JobSetConditionUnreachableError,
  JobSetConflictError,
  JobSetFailedError,
  JobSetNotFoundError,
  JobSetUpdateRejectedError,
  JobSetValidationError,
  JobSetWaitTimeoutError,
} from './errors.js';
// The workflow contract, for code that reads JobSet workflows with its own Temporal client.
export {
  InvalidJobSetFailure,
  JobSetFailedFailure,
  parseWorkflowId,
  workflowId,
  WorkflowIdPrefix,
  WorkflowType,
  type FinishedJobSet,
} from '../../workflows/contract.js';
export { matchesLabels, parseLabelSelector, type Requirement } from './selector.js';
export { tlsOptions, type TlsFiles } from '../net/tls.js';
export { AesGcmCodec } from '../codec/aes-gcm.js';
export { codecDataConverter, payloadCodec } from '../codec/data-converter.js';
export { CodecKeyFileError, PayloadCodecError, PayloadDecryptionError, PayloadEncryptedError, PayloadKeyMismatchError } from '../codec/errors.js';
export { EncryptedPayloadGuard } from '../codec/guard.js';
export { codecKeyId, loadCodecKey } from '../codec/key.js';
export { startCodecServer } from '../codec/server.js';
export { JobSetState } from '../core/state.js';
export type { FieldIssue } from '../api/errors.js';
export type { JobSet, JobSetInput, JobSetStatus } from '../api/schema.js';
export type { ResumeRequest } from '../api/updates.js';
