// The errors of the TypeScript SDK. Each names what went wrong in JobSet terms and keeps the
// Temporal error it came from as `cause`, so a caller can branch on the class and still log the
// details. The CLI maps them to exit codes (src/cli/client-errors.ts).
import type { JobSetStatus } from '../api/schema.js';

export { JobSetValidationError } from '../api/errors.js';

/** `namespace/name`, the way the errors name a JobSet. */
const ref = (namespace: string, name: string) => `${namespace}/${name}`;

/**
 * Thrown when no JobSet of that namespace and name exists: no workflow ran under its ID, or the
 * JobSet was deleted (its last run was cancelled or was a cleanup run).
 */
export class JobSetNotFoundError extends Error {
  override readonly name = 'JobSetNotFoundError';
  constructor(
    readonly namespace: string,
    readonly jobSetName: string,
    options?: { cause?: unknown },
  ) {
    super(`JobSet ${ref(namespace, jobSetName)} not found`, options);
  }
}

/**
 * Thrown by `submit` when a JobSet of the same namespace and name exists (running or finished)
 * with a different spec. Submitting the same spec again is not an error. `differences` lists
 * the field paths that differ.
 */
export class JobSetConflictError extends Error {
  override readonly name = 'JobSetConflictError';
  constructor(
    readonly namespace: string,
    readonly jobSetName: string,
    readonly differences: readonly string[],
    options?: { cause?: unknown },
  ) {
    const shown = differences.slice(0, 5).join(', ') + (differences.length > 5 ? ', ...' : '');
    super(
      `JobSet ${ref(namespace, jobSetName)} already exists with a different spec (differs at ${shown || 'an unreadable field'}); ` +
        `delete it first: jobset delete ${jobSetName} -n ${namespace}`,
      options,
    );
  }
}

/**
 * Thrown by `wait` (and `submit` with `wait`) when the JobSet ended Failed while the caller
 * waited for it to complete. `status` is the final status (its Failed condition says why).
 */
export class JobSetFailedError extends Error {
  override readonly name = 'JobSetFailedError';
  constructor(
    readonly namespace: string,
    readonly jobSetName: string,
    readonly status: JobSetStatus,
    options?: { cause?: unknown },
  ) {
    const failed = status.conditions.find((c) => c.type === 'Failed' && c.status === 'True');
    super(`JobSet ${ref(namespace, jobSetName)} failed${failed ? `: ${failed.reason}: ${failed.message}` : ''}`, options);
  }
}

/**
 * Thrown by `wait` when the JobSet finished without ever meeting the awaited condition (for
 * example it Completed while the caller waited for Failed): waiting longer cannot help.
 */
export class JobSetConditionUnreachableError extends Error {
  override readonly name = 'JobSetConditionUnreachableError';
  constructor(
    readonly namespace: string,
    readonly jobSetName: string,
    readonly condition: string,
    readonly status: JobSetStatus,
    options?: { cause?: unknown },
  ) {
    super(`JobSet ${ref(namespace, jobSetName)} finished (${status.terminalState || 'closed'}) without condition ${condition}`, options);
  }
}

/** Thrown by `wait` when the timeout passes first. `status` is the last status seen, if any. */
export class JobSetWaitTimeoutError extends Error {
  override readonly name = 'JobSetWaitTimeoutError';
  constructor(
    readonly namespace: string,
    readonly jobSetName: string,
    readonly condition: string,
    readonly timeoutMs: number,
    readonly status?: JobSetStatus,
    options?: { cause?: unknown },
  ) {
    super(`timed out after ${timeoutMs} ms waiting for JobSet ${ref(namespace, jobSetName)} to be ${condition}`, options);
  }
}

/**
 * Thrown by `suspend` and `resume` when the JobSet cannot take the request: it has finished, or
 * the workflow's validator refused the request. The message is the workflow's reason.
 */
export class JobSetUpdateRejectedError extends Error {
  override readonly name = 'JobSetUpdateRejectedError';
  constructor(
    readonly namespace: string,
    readonly jobSetName: string,
    readonly update: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${update} of JobSet ${ref(namespace, jobSetName)} rejected: ${reason}`, options);
  }
}

/** Thrown by `list` for a label selector that cannot be parsed; the message says where. */
export class InvalidLabelSelectorError extends Error {
  override readonly name = 'InvalidLabelSelectorError';
  constructor(
    readonly selector: string,
    reason: string,
  ) {
    super(`invalid label selector ${JSON.stringify(selector)}: ${reason}`);
  }
}
