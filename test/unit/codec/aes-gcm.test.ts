// The AES-256-GCM payload codec: round trip, what Temporal gets to store, tamper detection (the GCM
// tag), a wrong key, payloads written before encryption was on, and the guard of keyless processes.
import { randomBytes } from 'node:crypto';

import { defaultPayloadConverter, type Payload } from '@temporalio/common';

import { AesGcmCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../../src/codec/aes-gcm.js';
import { codecDataConverter, fromRawPayload, payloadCodec } from '../../../src/codec/data-converter.js';
import { PayloadDecryptionError, PayloadEncryptedError, PayloadKeyMismatchError } from '../../../src/codec/errors.js';
import { EncryptedPayloadGuard } from '../../../src/codec/guard.js';
import { codecKeyId } from '../../../src/codec/key.js';

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 9);
const codec = new AesGcmCodec(key);
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const secret = 'hunter2-s3cr3t-value';
const spec = { jobSet: { metadata: { name: 'a' }, spec: { env: [{ name: 'DB_PASSWORD', value: secret }] } } };

/** Payloads as the SDK's converter writes them, and odd ones it may meet. */
const payloads: Array<{ what: string; payload: Payload }> = [
  { what: 'a JSON spec', payload: defaultPayloadConverter.toPayload(spec) },
  { what: 'undefined (binary/null, no data)', payload: defaultPayloadConverter.toPayload(undefined) },
  { what: 'binary/plain bytes with every byte value', payload: defaultPayloadConverter.toPayload(new Uint8Array(Array.from({ length: 256 }, (_, i) => i))) },
  {
    what: 'a payload with several metadata keys',
    payload: { metadata: { encoding: Buffer.from('json/plain'), messageType: Buffer.from('x.y.Z'), empty: new Uint8Array() }, data: Buffer.from('"v"') },
  },
  { what: 'a payload without metadata or data', payload: {} },
  { what: 'a large payload (1 MiB)', payload: defaultPayloadConverter.toPayload('x'.repeat(1 << 20)) },
];

/** The payload as plain, comparable values. */
const plain = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

describe('round trip', () => {
  test.each(payloads)('$what decodes to exactly what was encoded', async ({ payload }) => {
    const [encoded] = await codec.encode([payload]);
    const [decoded] = await codec.decode([encoded as Payload]);
    expect(plain(decoded as Payload)).toEqual(plain(payload));
  });

  test('a batch keeps its order and length, also empty', async () => {
    const all = payloads.map((p) => p.payload);
    expect((await codec.decode(await codec.encode(all))).map(plain)).toEqual(all.map(plain));
    expect(await codec.encode([])).toEqual([]);
  });

  test('through a data converter, as the SDK and raw-history readers use it', async () => {
    const converter = { payloadConverter: defaultPayloadConverter, payloadCodecs: [codec], failureConverter: undefined as never };
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(spec)]);
    expect(await fromRawPayload(converter, encoded as Payload)).toEqual(spec);
  });
});

describe('what Temporal stores', () => {
  test('binary/encrypted with the key id, and nothing of the plaintext', async () => {
    const [encoded] = (await codec.encode([defaultPayloadConverter.toPayload(spec)])) as [Payload];
    expect(Object.keys(encoded.metadata ?? {}).sort()).toEqual(['encoding', KEY_ID_METADATA]);
    expect(text(encoded.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.metadata?.[KEY_ID_METADATA])).toBe(codecKeyId(key));
    expect(codec.keyId).toMatch(/^[0-9a-f]{8}$/);
    const stored = Buffer.from(encoded.data as Uint8Array);
    for (const needle of [secret, 'json/plain', 'DB_PASSWORD']) {
      expect(stored.includes(needle)).toBe(false);
      expect(stored.toString('base64').includes(Buffer.from(needle).toString('base64'))).toBe(false);
    }
  });

  test('a fresh IV every time: the same payload never encrypts the same way twice', async () => {
    const p = defaultPayloadConverter.toPayload(spec);
    const [a, b] = (await codec.encode([p, p])) as [Payload, Payload];
    expect(Buffer.from(a.data as Uint8Array).equals(Buffer.from(b.data as Uint8Array))).toBe(false);
    expect(
      Buffer.from(a.data as Uint8Array)
        .subarray(0, 12)
        .equals(Buffer.from(b.data as Uint8Array).subarray(0, 12)),
    ).toBe(false);
  });
});

describe('tamper detection', () => {
  const alter: Array<{ what: string; change: (d: Buffer) => Buffer }> = [
    { what: 'a flipped bit in the IV', change: (d) => flip(d, 0) },
    { what: 'a flipped bit in the ciphertext', change: (d) => flip(d, 20) },
    { what: 'a flipped bit in the tag', change: (d) => flip(d, d.length - 1) },
    { what: 'the tag cut off', change: (d) => d.subarray(0, d.length - 16) },
    { what: 'a byte appended', change: (d) => Buffer.concat([d, Buffer.from([0])]) },
    { what: 'a random body of the same length', change: (d) => randomBytes(d.length) },
  ];
  function flip(d: Buffer, at: number): Buffer {
    const copy = Buffer.from(d);
    copy[at] = (copy[at] as number) ^ 1;
    return copy;
  }

  test.each(alter)('$what is refused as not decrypting', async ({ change }) => {
    const [encoded] = (await codec.encode([defaultPayloadConverter.toPayload(spec)])) as [Payload];
    const altered = { ...encoded, data: change(Buffer.from(encoded.data as Uint8Array)) };
    const err = await codec.decode([altered]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadDecryptionError);
    expect((err as Error).message).toMatch(new RegExp(`^payload encrypted with key ${codec.keyId} does not decrypt: `));
  });

  test.each([
    { what: 'empty data', data: new Uint8Array() },
    { what: 'shorter than an IV and a tag', data: new Uint8Array(27) },
  ])('$what is refused, naming the size', async ({ data }) => {
    const payload = { metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(codec.keyId) }, data };
    await expect(codec.decode([payload])).rejects.toThrow(`${data.length} bytes is shorter than an IV and a tag`);
  });
});

describe('wrong key', () => {
  test('a payload of another key names both keys', async () => {
    const other = new AesGcmCodec(otherKey);
    const [encoded] = await other.encode([defaultPayloadConverter.toPayload(spec)]);
    const err = await codec.decode([encoded as Payload]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadKeyMismatchError);
    expect((err as Error).message).toContain(`payload encrypted with key ${other.keyId}, this process has key ${codec.keyId}`);
  });

  test('a payload relabelled with this key id still does not decrypt (the tag)', async () => {
    const [encoded] = (await new AesGcmCodec(otherKey).encode([defaultPayloadConverter.toPayload(spec)])) as [Payload];
    const relabelled = { ...encoded, metadata: { ...encoded.metadata, [KEY_ID_METADATA]: Buffer.from(codec.keyId) } };
    await expect(codec.decode([relabelled])).rejects.toBeInstanceOf(PayloadDecryptionError);
  });

  test('a key of the wrong size is refused', () => {
    expect(() => new AesGcmCodec(Buffer.alloc(16))).toThrow('an AES-256 key is 32 bytes, not 16');
  });
});

describe('unencrypted payloads pass through (histories from before encryption was on)', () => {
  test.each(payloads)('$what is returned unchanged by decode', async ({ payload }) => {
    expect(await codec.decode([payload])).toEqual([payload]);
    expect(await new EncryptedPayloadGuard().decode([payload])).toEqual([payload]);
  });

  test('a mixed batch decodes the encrypted ones only', async () => {
    const old = defaultPayloadConverter.toPayload({ before: true });
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ after: true })]);
    const decoded = await codec.decode([old, encrypted as Payload]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ before: true }, { after: true }]);
  });
});

describe('a process without a key (the guard)', () => {
  test('encodes nothing, and refuses an encrypted payload naming its key and the setting', async () => {
    const guard = new EncryptedPayloadGuard();
    const p = defaultPayloadConverter.toPayload(spec);
    expect(await guard.encode([p])).toEqual([p]);
    const [encrypted] = await codec.encode([p]);
    const err = await guard.decode([encrypted as Payload]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadEncryptedError);
    expect((err as Error).message).toBe(
      `payload encrypted with key ${codec.keyId}, this process has no codec key: ` +
        'set JOBSET_CODEC_KEY_FILE (CLI: --codec-key-file, SDK: codecKeyFile) to the key file the worker uses',
    );
  });

  test('payloadCodec and codecDataConverter without a file give the guard', () => {
    expect(payloadCodec()).toBeInstanceOf(EncryptedPayloadGuard);
    expect(codecDataConverter(undefined).payloadCodecs?.[0]).toBeInstanceOf(EncryptedPayloadGuard);
  });
});
