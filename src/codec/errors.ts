// The errors of the payload codec. Each says which key is involved by its id (the first 8 hex
// digits of the key's SHA-256), never by the key itself, so the messages are safe to log.

/** Any payload the codec cannot turn back into the payload that was encrypted. */
export class PayloadCodecError extends Error {
  override readonly name: string = 'PayloadCodecError';
}

/**
 * Thrown by `decode` for a payload encrypted with another key than this process's: the worker,
 * bridge, CLI, SDK and codec server must all read the same key file.
 */
export class PayloadKeyMismatchError extends PayloadCodecError {
  override readonly name = 'PayloadKeyMismatchError';
  constructor(
    /** Id of the key the payload was encrypted with. */
    readonly payloadKeyId: string,
    /** Id of this process's key. */
    readonly keyId: string,
  ) {
    super(`payload encrypted with key ${payloadKeyId}, this process has key ${keyId}: give every process the same codec key file`);
  }
}

/**
 * Thrown by `decode` in a process without a codec key when it meets an encrypted payload, instead
 * of the data converter's "Unknown encoding" (or of handing out ciphertext as data).
 */
export class PayloadEncryptedError extends PayloadCodecError {
  override readonly name = 'PayloadEncryptedError';
  constructor(readonly payloadKeyId: string) {
    super(
      `payload encrypted with key ${payloadKeyId}, this process has no codec key: ` +
        'set JOBSET_CODEC_KEY_FILE (CLI: --codec-key-file, SDK: codecKeyFile) to the key file the worker uses',
    );
  }
}

/**
 * Thrown by `decode` when an encrypted payload does not decrypt with the right key: its GCM
 * authentication tag does not match (the payload was altered or truncated) or its content is not
 * what this codec writes.
 */
export class PayloadDecryptionError extends PayloadCodecError {
  override readonly name = 'PayloadDecryptionError';
  constructor(
    readonly payloadKeyId: string,
    reason: string,
  ) {
    super(`payload encrypted with key ${payloadKeyId} does not decrypt: ${reason}`);
  }
}

/** Thrown when a codec key file cannot be read or does not hold a 256-bit key. */
export class CodecKeyFileError extends Error {
  override readonly name = 'CodecKeyFileError';
  constructor(
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`codec key file ${file}: ${message}`, options);
  }
}
