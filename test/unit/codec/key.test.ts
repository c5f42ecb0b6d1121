// Codec key files: the three accepted forms (raw, hex, base64; a trailing newline allowed), and a
// clear refusal of anything else that names the file and the forms, never the content.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { payloadCodec } from '../../../src/codec/data-converter.js';
import { AesGcmCodec } from '../../../src/codec/aes-gcm.js';
import { CodecKeyFileError } from '../../../src/codec/errors.js';
import { codecKeyId, loadCodecKey, parseCodecKey } from '../../../src/codec/key.js';

const key = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 10) % 256)); // holds 0x0a bytes (a newline)
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'codec-key-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

test.each([
  { form: '32 raw bytes', content: key },
  {
    form: '32 raw bytes that end in a newline byte',
    content: Buffer.concat([key.subarray(0, 31), Buffer.from('\n')]),
    expected: Buffer.concat([key.subarray(0, 31), Buffer.from('\n')]),
  },
  { form: '64 hex characters', content: key.toString('hex') },
  { form: '64 hex characters and a newline', content: `${key.toString('hex')}\n` },
  { form: '64 upper-case hex characters and CRLF', content: `${key.toString('hex').toUpperCase()}\r\n` },
  { form: 'base64 (openssl rand -base64 32)', content: `${key.toString('base64')}\n` },
  { form: 'base64 without padding', content: key.toString('base64').replace(/=+$/, '') },
])('$form is read as the key', ({ content, expected }) => {
  const path = file('k', content);
  expect(loadCodecKey(path).equals(expected ?? key)).toBe(true);
});

const secretish = 'correct horse battery staple';
test.each([
  { what: 'an empty file', content: '', found: 'the file is empty' },
  { what: '31 raw bytes', content: randomBytes(31), found: 'found 31 bytes' },
  { what: '33 raw bytes', content: randomBytes(33), found: 'found 33 bytes' },
  { what: '63 hex characters', content: 'a'.repeat(63), found: 'found 63 bytes' },
  { what: '64 characters that are not all hex', content: `${'a'.repeat(63)}g\n`, found: 'found 65 bytes' },
  { what: 'the hex of 16 bytes (an AES-128 key), 32 characters', content: randomBytes(16).toString('hex'), found: 'found 32 bytes of text' },
  { what: 'a 32-character passphrase', content: 'correct horse battery staple 123', found: 'found 32 bytes of text' },
  { what: 'the base64 of 24 bytes', content: randomBytes(24).toString('base64'), found: 'found 32 bytes of text' },
  { what: 'a passphrase', content: `${secretish}\n`, found: `found ${secretish.length + 1} bytes` },
])('$what is refused naming the file and the accepted forms', ({ content, found }) => {
  const path = file('bad', content);
  let err: unknown;
  try {
    loadCodecKey(path);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CodecKeyFileError);
  const message = (err as Error).message;
  expect(message).toContain(`codec key file ${path}: not a 256-bit key: expected 32 raw bytes, 64 hex characters, or the base64 of 32 bytes`);
  expect(message).toContain(found);
  expect(message).not.toContain(secretish);
});

test('a file that cannot be read is refused naming it', () => {
  const path = join(dir, 'missing');
  expect(() => loadCodecKey(path)).toThrow(new RegExp(`^codec key file ${path}: cannot be read: ENOENT`));
  expect(() => payloadCodec(path)).toThrow(CodecKeyFileError);
});

test('the key id is the first 8 hex digits of the SHA-256 of the key', () => {
  expect(codecKeyId(key)).toBe(createHash('sha256').update(key).digest('hex').slice(0, 8));
  expect(codecKeyId(Buffer.alloc(32))).toBe('66687aad'); // sha256 of 32 zero bytes
  expect(new AesGcmCodec(parseCodecKey(Buffer.from(key.toString('hex')), 'x')).keyId).toBe(codecKeyId(key));
  expect(payloadCodec(file('hex', key.toString('hex')))).toBeInstanceOf(AesGcmCodec);
});
