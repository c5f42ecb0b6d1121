import { createHash } from 'node:crypto';

import fc from 'fast-check';

import { sha1Hex, utf8Bytes } from '../../../src/core/sha1.js';

describe('sha1Hex', () => {
  // FIPS 180 / RFC 3174 vectors, plus inputs that cross the 55/56/64-byte padding boundaries.
  test.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    ['The quick brown fox jumps over the lazy dog', '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'],
    ['a'.repeat(1_000_000), '34aa973cd4c4daa4f61eeb2bdbad27316534016f'],
  ])('known vector %#', (input, hex) => {
    expect(sha1Hex(input)).toBe(hex);
  });

  test.each([55, 56, 63, 64, 65, 119, 120, 128])('padding boundary at %i bytes matches node:crypto', (n) => {
    const s = 'x'.repeat(n);
    expect(sha1Hex(s)).toBe(createHash('sha1').update(s, 'utf8').digest('hex'));
  });

  test('job-key of a namespaced job name', () => {
    expect(sha1Hex('default/js-workers-0')).toBe(createHash('sha1').update('default/js-workers-0').digest('hex'));
  });

  test('agrees with node:crypto on arbitrary unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        expect(sha1Hex(s)).toBe(createHash('sha1').update(s, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('utf8Bytes', () => {
  test.each([
    ['a', [0x61]],
    ['é', [0xc3, 0xa9]],
    ['€', [0xe2, 0x82, 0xac]],
    ['😀', [0xf0, 0x9f, 0x98, 0x80]],
    // A lone surrogate cannot be encoded: U+FFFD, like TextEncoder.
    ['\ud800', [0xef, 0xbf, 0xbd]],
  ])('%j', (s, bytes) => {
    expect(utf8Bytes(s)).toEqual(bytes);
    expect(utf8Bytes(s)).toEqual([...new TextEncoder().encode(s)]);
  });
});
