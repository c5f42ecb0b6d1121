// The codec key: 256 bits read from a file, in one of the three forms key tools write. The file
// content is never echoed back in an error, only its size.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { CodecKeyFileError } from './errors.js';

/** AES-256: 32 bytes. */
export const CODEC_KEY_BYTES = 32;

/** What a key file must hold, as error messages and docs say it. */
export const CODEC_KEY_FORMATS = 'expected 32 raw bytes, 64 hex characters, or the base64 of 32 bytes (make one with `openssl rand -hex 32 > FILE`)';

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=?$/;

/**
 * The key in `content`: exactly 32 bytes that are not all text are the raw key; otherwise the
 * text, less trailing whitespace (a newline), must be 64 hex characters or the base64 of 32 bytes.
 * @throws CodecKeyFileError naming `source` and the accepted forms.
 */
export function parseCodecKey(content: Uint8Array, source: string): Buffer {
  const bytes = Buffer.from(content);
  // 32 random bytes are all printable text with a chance of (95/256)^32, about 1e-14: 32 bytes of
  // text are a passphrase or a 128-bit key in hex, not a raw 256-bit key.
  const isText = bytes.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d);
  if (bytes.length === CODEC_KEY_BYTES && !isText) return bytes;
  const text = bytes.toString('latin1').replace(/\s+$/, '');
  if (HEX.test(text)) return Buffer.from(text, 'hex');
  if (BASE64.test(text)) {
    const key = Buffer.from(text, 'base64');
    if (key.length === CODEC_KEY_BYTES) return key;
  }
  const found = bytes.length === 0 ? 'the file is empty' : `found ${bytes.length} bytes${isText ? ' of text' : ''} that are none of these`;
  throw new CodecKeyFileError(source, `not a 256-bit key: ${CODEC_KEY_FORMATS}; ${found}`);
}

/**
 * Reads the key from `file`.
 * @throws CodecKeyFileError when the file cannot be read or does not hold a key.
 */
export function loadCodecKey(file: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (err) {
    throw new CodecKeyFileError(file, `cannot be read: ${(err as Error).message}`, { cause: err });
  }
  return parseCodecKey(content, file);
}

/**
 * The key's public name: the first 8 hex digits of its SHA-256. It is written next to every
 * encrypted payload, so a process with another key can say which key it would need.
 */
export function codecKeyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}
