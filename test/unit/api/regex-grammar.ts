// Random `onJobFailureMessagePatterns` and Job failure messages built to make a backtracking
// engine blow up: nested quantifiers ((a+)+, (.+)+x), overlapping alternations (a|aa)+, anchors,
// against long messages of a few repeated characters that almost match. An RE2 engine must stay
// linear on every one of them. Shared by the property test (test/unit/api/
// message-pattern.property.test.ts) and the benchmark (bench/regex.ts), so the figures the
// benchmark prints are for the very patterns the test asserts on.
import fc from 'fast-check';

/** The Job condition messages the patterns run against are this long (10 KiB). */
export const MESSAGE_CHARS = 10 * 1024;

// Few characters, so that patterns and messages overlap a lot (the slow case for backtracking).
const alphabet = ['a', 'b', 'x', ' '] as const;

/** Patterns known to take exponential time on a backtracking engine. */
export const classicPatterns = [
  '(a+)+$',
  '^(a+)+$',
  '(.+)+x',
  '^(.+)+x$',
  '(a|aa)+$',
  '(a|a)*b',
  '(\\w+\\s?)+$',
  '(x+x+)+y',
  '(.*a){12}',
  '^(a|b|ab)*x$',
  '(?i)(A+)+B',
  '^((a+)+)+$',
] as const;

const atomic = fc.constantFrom('a', 'b', 'x', ' ', 'ab', 'aa', '.', '\\w', '\\s', '[ab]', '[^x]', '[a-z]', '\\pL', '[[:alpha:]]');
// Repeat counts stay small: RE2 refuses nested repeats whose product exceeds 1000.
const quantifier = fc.constantFrom('', '', '*', '+', '?', '*?', '+?', '{2,4}', '{3}', '{0,2}');

const { alternation } = fc.letrec<{ atom: string; piece: string; concat: string; alternation: string }>((tie) => ({
  // Past depth 3 only plain atoms are drawn, which bounds the nesting.
  atom: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    atomic,
    fc.tuple(fc.constantFrom('(', '(?:'), tie('alternation')).map(([open, body]) => `${open}${body})`),
  ),
  // Only an atom or a group is quantified: RE2 refuses `a**`, as Go does.
  piece: fc.tuple(tie('atom'), quantifier).map(([atom, q]) => atom + q),
  concat: fc.array(tie('piece'), { minLength: 1, maxLength: 3 }).map((xs) => xs.join('')),
  alternation: fc.array(tie('concat'), { minLength: 1, maxLength: 3 }).map((xs) => xs.join('|')),
}));

/** A valid RE2 pattern: a classic blow-up, or one from the grammar, maybe anchored and flagged. */
export const patternArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...classicPatterns),
  fc
    .record({
      flags: fc.constantFrom('', '', '(?i)', '(?s)', '(?m)'),
      start: fc.constantFrom('', '^'),
      body: alternation,
      tail: fc.constantFrom('', '$', 'x', 'x$', '!'),
    })
    .map(({ flags, start, body, tail }) => `${flags}${start}(?:${body})+${tail}`),
);

/**
 * A message of MESSAGE_CHARS characters: a short unit repeated, then a tail that usually makes
 * the match fail at the very end (`aaaa…a!`), which is what forces a backtracking engine to try
 * every way of splitting the message before it gives up.
 */
export const messageArb: fc.Arbitrary<string> = fc
  .record({
    unit: fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 4 }),
    tail: fc.string({ unit: fc.constantFrom(...alphabet, '!', 'y', '\n'), maxLength: 2 }),
  })
  .map(({ unit, tail }) => unit.repeat(Math.ceil(MESSAGE_CHARS / unit.length)).slice(0, MESSAGE_CHARS - tail.length) + tail);
