// onJobFailureMessagePatterns: read as Go's regexp reads them (RE2 syntax, unanchored match), and
// refused exactly where Go's regexp.Compile fails, with its message.
import { compileMessagePattern, MessagePatternError } from '../../../src/api/message-pattern.js';

describe('issue 12 item 3 (RE2 message patterns): matched as Go regexp.MatchString matches (unanchored)', () => {
  it.each<[string, string, boolean]>([
    ['OOM', 'container killed: OOMKilled', true],
    ['^Job has reached', 'Job has reached the specified backoff limit', true],
    ['^backoff', 'Job has reached the specified backoff limit', false],
    ['limit$', 'Job has reached the specified backoff limit', true],
    ['(?i)BACKOFF limit', 'Job has reached the specified backoff limit', true],
    ['(?s)reached.*limit', 'reached\nlimit', true],
    ['reached.*limit', 'reached\nlimit', false],
    ['(?m)^limit$', 'reached\nlimit\n', true],
    ['^limit$', 'reached\nlimit\n', false],
    ['(?P<what>backoff) limit', 'the backoff limit', true],
    ['(?<what>backoff) limit', 'the backoff limit', true],
    ['(?:a|b)+c', 'xxabac', true],
    ['[]a]', ']', true],
    ['[^]a]', 'b', true],
    ['[^]a]', ']', false],
    ['\\(exit code \\d+\\)', 'failed (exit code 42)', true],
    ['', 'anything', true],
    // Where RE2 and JavaScript's RegExp differ, RE2's reading wins.
    ['a(?i)b', 'aB', true], // flags may change mid-pattern
    ['(?i:a)b', 'Ab', true], // and for one group only
    ['(?i:a)b', 'AB', false],
    ['(?U)a+b', 'aab', true], // non-greedy by default
    ['\\pL+ failed', 'Größe failed', true], // Unicode classes
    ['\\p{Greek}', 'α', true],
    ['[[:alpha:]]+[[:digit:]]', 'exit9', true], // POSIX classes
    ['[[:digit:]]', 'exit', false],
    ['\\Aabc', 'abc', true], // \A: start of text
    ['\\Aabc', 'xabc', false],
    ['abc\\z', 'abc', true], // \z: end of text
    ['abc\\z', 'abc\n', false],
    ['\\Q.*\\E', 'a.*b', true], // \Q..\E: literal text
    ['\\Q.*\\E', 'ab', false],
    ['\\x{41}', 'A', true], // JS (no u flag) reads this as 41 x's
    ['^.$', '😀', true], // `.` is one code point, not one UTF-16 unit
    ['(?i)k', '\u212a', true], // Unicode case folding (KELVIN SIGN)
    ['\\s', '\u00a0', false], // \s is [\t\n\f\r ] only
    ['\\s', '\v', false],
    ['\\d', '٣', false], // \d is ASCII only
  ])('%j on %j -> %p', (pattern, text, want) => {
    expect(compileMessagePattern(pattern).test(text)).toBe(want);
  });
});

describe('issue 12 item 3 (RE2 message patterns): refused as Go regexp.Compile refuses, with its message', () => {
  it.each<[string, string]>([
    ['(unclosed', 'error parsing regexp: missing closing ): `(unclosed`'],
    ['[]', 'error parsing regexp: missing closing ]: `[]`'],
    ['a{2,1}', 'error parsing regexp: invalid repeat count: `{2,1}`'],
    ['x{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['(a{100}){100}', 'error parsing regexp: invalid repeat count: `{100}`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['(?=x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(?!x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
    ['(?<!x)y', 'error parsing regexp: invalid named capture: `(?<!x)y`'],
    ['(?<=x)y', 'error parsing regexp: invalid named capture: `(?<=x)y`'],
    ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['(?<n>a)\\k<n>', 'error parsing regexp: invalid escape sequence: `\\k`'],
    ['\\8', 'error parsing regexp: invalid escape sequence: `\\8`'],
    ['\\uFFFF', 'error parsing regexp: invalid escape sequence: `\\u`'],
    ['\\C', 'error parsing regexp: invalid escape sequence: `\\C`'],
    ['\\Z', 'error parsing regexp: invalid escape sequence: `\\Z`'],
    ['(?x)a', 'error parsing regexp: invalid or unsupported Perl syntax: `(?x`'],
    ['a\\', 'error parsing regexp: trailing backslash at end of expression'],
  ])('%j', (pattern, message) => {
    const err = (() => {
      try {
        compileMessagePattern(pattern);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(MessagePatternError);
    expect((err as MessagePatternError).message).toBe(message);
  });
});
