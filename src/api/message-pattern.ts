// `onJobFailureMessagePatterns` are Go RE2 expressions upstream, matched unanchored against the
// Job's Failed condition message (`regexp.MatchString`). We run them with RE2JS, a port of RE2
// itself, so a pattern is read exactly as upstream reads it (the same syntax, the same refusals,
// even Go's error messages) and a match takes time linear in the message: a pattern such as
// `^(.+)+x$` cannot make a backtracking engine spin and wedge the worker that hosts every other
// JobSet. Both the validator and the failure policy must compile patterns the same way, so this
// is the only place that does it. Upstream logs and skips a pattern that does not compile; we
// refuse it at admission instead (docs/api-differences.md).
import { RE2JS } from 're2js';

/** Thrown by {@link compileMessagePattern}; `message` is RE2's reason, as Go's `regexp.Compile` words it. */
export class MessagePatternError extends Error {
  override readonly name = 'MessagePatternError';
}

/** A compiled `onJobFailureMessagePatterns` entry. */
export interface MessagePattern {
  /** Go's `regexp.MatchString`: whether the pattern matches anywhere in `message`. */
  test(message: string): boolean;
}

/**
 * Compiles one `onJobFailureMessagePatterns` entry with RE2's Perl-like syntax, as Go's
 * `regexp.Compile` does. Throws {@link MessagePatternError} when the pattern is not valid RE2.
 */
export function compileMessagePattern(pattern: string): MessagePattern {
  let re: RE2JS;
  try {
    // No flags: RE2JS.LOOKBEHINDS would accept syntax that Go refuses.
    re = RE2JS.compile(pattern);
  } catch (err) {
    throw new MessagePatternError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  // RE2JS `test` is RE2's unanchored match (`matches` would anchor at both ends, like Java's).
  return { test: (message) => re.test(message) };
}
