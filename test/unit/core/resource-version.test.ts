// The order of resourceVersions that decides whether the worker's cache may answer an observation.
import { advance, atLeast, comparable } from '../../../src/core/resource-version.js';

describe('resourceVersion order', () => {
  test.each([
    ['10', '9', true],
    ['9', '10', false],
    ['10', '10', true],
    ['123456789012345678901', '99', true],
    ['0', '0', true],
    ['0', '1', false],
  ])('atLeast(%s, %s) = %s', (a, b, expected) => {
    expect(atLeast(a, b)).toBe(expected);
  });

  test.each([
    ['12', true],
    ['0', true],
    ['012', false],
    ['', false],
    ['abc', false],
    ['1.5', false],
    [undefined, false],
  ])('comparable(%p) = %s', (rv, expected) => {
    expect(comparable(rv)).toBe(expected);
  });

  test.each<[string, string | undefined, string | undefined, string | undefined]>([
    ['a later write moves it on', '10', '12', '12'],
    ['an earlier one does not', '12', '10', '12'],
    ['nothing written keeps it', '12', undefined, '12'],
    ['nothing known yet: the write is the latest', undefined, '7', '7'],
    ['a version that does not compare makes it unknown', '12', 'x7', undefined],
    ['unknown stays unknown without a write', undefined, undefined, undefined],
  ])('advance: %s', (_, known, next, expected) => {
    expect(advance(known, next)).toBe(expected);
  });
});
