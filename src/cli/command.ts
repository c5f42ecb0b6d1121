// What every verb of the `jobset` CLI provides, and what it is given. A verb is one module under
// src/cli/commands/ exporting a Command; main.ts dispatches to it by name.
import type { FlagSpec, ParsedArgs } from './args.js';

/** Process exit codes shared by every verb. */
export const ExitCode = {
  OK: 0,
  /** The JobSet failed or an operation failed. */
  Failed: 1,
  /** Bad command line, or input that is unreadable or invalid. */
  Usage: 2,
  Timeout: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The process streams, passed in so a verb can run inside a test without spawning. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Read when a verb is given `-` as a file. */
  stdin: AsyncIterable<string | Uint8Array>;
  /** Relative file names are resolved against this directory. */
  cwd: string;
}

/** A verb's flags, help and run (its one-line summary is in commands/index.ts, which loads it). */
export interface Command {
  name: string;
  /** Usage line after `jobset`, e.g. `validate -f FILE [-o yaml|json]`. */
  usage: string;
  flags: readonly FlagSpec[];
  /** Extra help text after the flags (examples, exit codes). */
  details?: string;
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}
