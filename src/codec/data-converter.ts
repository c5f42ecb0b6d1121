// The one way every process (worker, bridge, CLI, SDK, codec server) gets its codec from the
// optional key file (JOBSET_CODEC_KEY_FILE, --codec-key-file, codecKeyFile).
import type { DataConverter, LoadedDataConverter, Payload } from '@temporalio/common';

import { AesGcmCodec } from './aes-gcm.js';
import { EncryptedPayloadGuard } from './guard.js';
import { loadCodecKey } from './key.js';

/**
 * AES-256-GCM with the key in `keyFile`; without a file, the guard that leaves payloads in the
 * clear and reports encrypted ones clearly.
 * @throws CodecKeyFileError when the file cannot be read or holds no key.
 */
export function payloadCodec(keyFile?: string): AesGcmCodec | EncryptedPayloadGuard {
  return keyFile ? new AesGcmCodec(loadCodecKey(keyFile)) : new EncryptedPayloadGuard();
}

/** The `dataConverter` option of Client and Worker.create for `payloadCodec(keyFile)`. */
export function codecDataConverter(keyFile?: string): DataConverter {
  return { payloadCodecs: [payloadCodec(keyFile)] };
}

/**
 * Decodes one payload read from raw history (`workflowService`) with a client's codecs and
 * payload converter, as the SDK does for the payloads it reads itself.
 */
export async function fromRawPayload<T>(converter: LoadedDataConverter, payload: Payload): Promise<T> {
  let payloads = [payload];
  for (const codec of [...converter.payloadCodecs].reverse()) payloads = await codec.decode(payloads);
  return converter.payloadConverter.fromPayload<T>(payloads[0] as Payload);
}
