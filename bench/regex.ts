// `npm run bench -- --only regex`: the time one `onJobFailureMessagePatterns` match takes, over the
// random nested-quantifier patterns and 10 KiB messages the property test asserts on
// (test/unit/api/regex-grammar.ts). The patterns run in the workflow, on the worker every JobSet
// shares, so the target is 5 ms per match. No cluster and no Temporal server are needed.
import fc from 'fast-check';

import { compileMessagePattern } from '../src/api/message-pattern.js';
import { MESSAGE_CHARS, messageArb, patternArb } from '../test/unit/api/regex-grammar.js';

export const REGEX_TARGET_MS = 5;

export interface RegexFigures {
  patterns: number;
  messageChars: number;
  /** Per pattern: the time of its first match, as a pass pays it (RE2 builds its DFA lazily). */
  matchMs: number[];
  compileMs: number[];
  /**
   * A pattern at RE2's size limit (a repeat count of 1,000 over a Unicode class) on a 32 KiB
   * message (the bound Kubernetes puts on a metav1.Condition message; a Job condition's has
   * none): the time is linear in the message but also in the pattern's size, so this is about
   * the slowest single match a valid pattern can cost.
   */
  largest: { pattern: string; messageChars: number; ms: number };
}

const timed = (f: () => void): number => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

export function measureRegex(patterns = 1000, seed = 12): RegexFigures {
  const samples = fc.sample(fc.tuple(patternArb, messageArb), { numRuns: patterns, seed });
  // Warm the engine's code up first, as it is in a worker that has been running: each pattern
  // is then compiled afresh, so its own DFA is built again within the timed match.
  for (const [pattern, message] of samples) compileMessagePattern(pattern).test(message);
  const matchMs: number[] = [];
  const compileMs: number[] = [];
  for (const [pattern, message] of samples) {
    const t0 = performance.now();
    const re = compileMessagePattern(pattern);
    compileMs.push(performance.now() - t0);
    matchMs.push(timed(() => re.test(message)));
  }
  // A pass tests a compiled pattern against every failed Job's message: the slowest of three.
  const pattern = '\\pL{1000}\\d';
  const big = compileMessagePattern(pattern);
  const text = 'b'.repeat(32 * 1024);
  const largest = { pattern, messageChars: text.length, ms: Math.max(...[0, 1, 2].map(() => timed(() => big.test(text)))) };
  return { patterns, messageChars: MESSAGE_CHARS, matchMs, compileMs, largest };
}

/** The `q` quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))] ?? NaN;
}
