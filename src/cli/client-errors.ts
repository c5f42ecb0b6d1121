// Runs a client verb: connects, and turns the SDK's typed errors into a message on standard
// error and the exit code every verb shares (1 failed, 2 invalid input, 3 timeout).
import { formatIssue, JobSetValidationError } from '../api/errors.js';
import type { JobSetClient } from '../client/client.js';
import {
  InvalidLabelSelectorError,
  JobSetConditionUnreachableError,
  JobSetConflictError,
  JobSetFailedError,
  JobSetNotFoundError,
  JobSetUpdateRejectedError,
  JobSetWaitTimeoutError,
} from '../client/errors.js';
import { UsageError, type ParsedArgs } from './args.js';
import { type CliIO, ExitCode } from './command.js';
import { connect } from './connection.js';

/** The exit code for an error and the lines to print, or undefined for an unexpected error. */
export function describeError(err: unknown): { code: ExitCode; lines: string[] } | undefined {
  if (err instanceof JobSetValidationError) return { code: ExitCode.Usage, lines: err.issues.map(formatIssue) };
  if (err instanceof InvalidLabelSelectorError) return { code: ExitCode.Usage, lines: [`error: ${err.message}`] };
  if (err instanceof JobSetWaitTimeoutError) return { code: ExitCode.Timeout, lines: [`error: ${err.message}`] };
  if (err instanceof JobSetNotFoundError) {
    return { code: ExitCode.Failed, lines: [`Error from server (NotFound): jobsets "${err.jobSetName}" not found in namespace "${err.namespace}"`] };
  }
  if (
    err instanceof JobSetConflictError ||
    err instanceof JobSetFailedError ||
    err instanceof JobSetConditionUnreachableError ||
    err instanceof JobSetUpdateRejectedError
  ) {
    return { code: ExitCode.Failed, lines: [`error: ${err.message}`] };
  }
  return undefined;
}

/** Connects, runs `fn`, closes; maps errors to exit codes. Unexpected errors exit 1 with their message. */
export async function withClient(args: ParsedArgs, io: CliIO, fn: (client: JobSetClient) => Promise<number>): Promise<number> {
  let client: JobSetClient | undefined;
  try {
    client = await connect(args);
    return await fn(client);
  } catch (err) {
    if (err instanceof UsageError) throw err; // main.ts prints it with the verb's usage hint
    const known = describeError(err);
    if (known) {
      for (const line of known.lines) io.stderr.write(`${line}\n`);
      return known.code;
    }
    io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.Failed;
  } finally {
    await client?.close().catch(() => undefined);
  }
}
