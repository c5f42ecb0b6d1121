// The payload codec: AES-256-GCM over each whole payload (metadata and data), so what Temporal
// stores (workflow inputs and results, activity inputs and results, Update and query payloads,
// failure details, memo) is ciphertext. Codecs run outside the workflow sandbox, in the client
// and in the worker's main thread, so workflow code never sees them.
//
// Wire format of an encrypted payload:
//   metadata  encoding: binary/encrypted, encryption-key-id: <first 8 hex of SHA-256(key)>
//   data      IV (12 random bytes) | ciphertext | GCM tag (16 bytes)
// where the plaintext is the JSON {"metadata": {key: base64}, "data": base64} of the payload.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { Payload, PayloadCodec } from '@temporalio/common';

import { PayloadDecryptionError, PayloadKeyMismatchError } from './errors.js';
import { CODEC_KEY_BYTES, codecKeyId } from './key.js';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const ENCODING_METADATA = 'encoding';
export const KEY_ID_METADATA = 'encryption-key-id';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/** The key id of an encrypted payload, or undefined for a payload this codec did not write. */
export function encryptedWith(payload: Payload): string | undefined {
  if (text(payload.metadata?.[ENCODING_METADATA]) !== ENCRYPTED_ENCODING) return undefined;
  return text(payload.metadata?.[KEY_ID_METADATA]) ?? '(none)';
}

/** The payload as the JSON document that gets encrypted. */
function serialize(payload: Payload): Buffer {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload.metadata ?? {})) if (v) metadata[k] = Buffer.from(v).toString('base64');
  return Buffer.from(JSON.stringify({ metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') }), 'utf8');
}

/** The inverse of `serialize`; undefined when `plain` is not such a document. */
function deserialize(plain: Buffer): Payload | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(plain.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const { metadata, data } = doc as { metadata?: unknown; data?: unknown };
  if (typeof data !== 'string' || typeof metadata !== 'object' || metadata === null) return undefined;
  const decoded: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') return undefined;
    decoded[k] = new Uint8Array(Buffer.from(v, 'base64'));
  }
  return { metadata: decoded, data: new Uint8Array(Buffer.from(data, 'base64')) };
}

/**
 * Encrypts every payload with one 256-bit key and a fresh random IV; decrypts those written with
 * the same key, and passes every other payload through unchanged (histories written before
 * encryption was turned on stay readable).
 */
export class AesGcmCodec implements PayloadCodec {
  /** The key's public id, written on every payload (see `codecKeyId`). */
  readonly keyId: string;
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== CODEC_KEY_BYTES) throw new RangeError(`an AES-256 key is ${CODEC_KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
    this.keyId = codecKeyId(key);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  /**
   * @throws PayloadKeyMismatchError for a payload encrypted with another key.
   * @throws PayloadDecryptionError for one that was altered (its GCM tag does not match).
   */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decrypt(p));
  }

  private encrypt(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.#key, iv, { authTagLength: TAG_BYTES });
    const body = Buffer.concat([cipher.update(serialize(payload)), cipher.final()]);
    return {
      metadata: { [ENCODING_METADATA]: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(this.keyId) },
      data: new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()])),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = encryptedWith(payload);
    if (keyId === undefined) return payload;
    if (keyId !== this.keyId) throw new PayloadKeyMismatchError(keyId, this.keyId);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(keyId, `${data.length} bytes is shorter than an IV and a tag`);
    const decipher = createDecipheriv(CIPHER, this.#key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(keyId, 'its authentication tag does not match (the payload was altered or corrupted)');
    }
    const decoded = deserialize(plain);
    if (!decoded) throw new PayloadDecryptionError(keyId, 'its content is not a serialized payload');
    return decoded;
  }
}
