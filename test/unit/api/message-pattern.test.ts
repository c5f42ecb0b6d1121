// onJobFailureMessagePatterns: RE2 syntax read the same way in JavaScript, or refused.
import { compileMessagePattern, MessagePatternError } from '../../../src/api/message-pattern.js';

describe('accepted patterns match as Go regexp.MatchString would (unanchored)', () => {
  it.each<[string, string, boolean]>([
    ['OOM', 'container killed: OOMKilled', true],
    ['^Job has reached', 'Job has reached the specified backoff limit', true],
    ['^backoff', 'Job has reached the specified backoff limit', false],
    ['(?i)BACKOFF limit', 'Job has reached the specified backoff limit', true],
    ['(?s)reached.*limit', 'reached\nlimit', true],
    ['reached.*limit', 'reached\nlimit', false],
    ['(?m)^limit$', 'reached\nlimit\n', true],
    ['(?P<what>backoff) limit', 'the backoff limit', true],
    ['(?:a|b)+c', 'xxabac', true],
    ['[]a]', ']', true],
    ['[^]a]', 'b', true],
    ['[^]a]', ']', false],
    ['\\(exit code \\d+\\)', 'failed (exit code 42)', true],
    ['[\\]]x', ']x', true],
  ])('%j on %j -> %p', (pattern, text, want) => {
    expect(compileMessagePattern(pattern).test(text)).toBe(want);
  });
});

describe('refused patterns say why', () => {
  it.each<[string, RegExp]>([
    ['(unclosed', /Unterminated group/],
    ['[]', /Unterminated character class/],
    ['a{2,1}', /numbers out of order/],
    ['(?=x)', /lookaround/],
    ['(?<!x)y', /lookaround/],
    ['(a)\\1', /backreferences/],
    ['(?<n>a)\\k<n>', /backreferences/],
    ['\\pL', /Unicode classes/],
    ['[[:alpha:]]', /POSIX/],
    ['[a[:digit:]]', /POSIX/],
    ['\\Aabc', /escape \\A/],
    ['abc\\z', /escape \\z/],
    ['\\Q.\\E', /escape \\Q/],
    ['a(?i)b', /inline flags/],
    ['(?i:a)', /inline flags/],
    ['(?U)a+', /unsupported flag 'U'/],
  ])('%j', (pattern, reason) => {
    expect(() => compileMessagePattern(pattern)).toThrow(MessagePatternError);
    expect(() => compileMessagePattern(pattern)).toThrow(reason);
  });
});
