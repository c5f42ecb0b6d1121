// The codec of a process without a key: it changes nothing, but refuses to hand an encrypted
// payload to the data converter, whose error would be a bare "Unknown encoding".
import type { Payload, PayloadCodec } from '@temporalio/common';

import { encryptedWith } from './aes-gcm.js';
import { PayloadEncryptedError } from './errors.js';

export class EncryptedPayloadGuard implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  /** @throws PayloadEncryptedError for an encrypted payload; the others pass unchanged. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    for (const p of payloads) {
      const keyId = encryptedWith(p);
      if (keyId !== undefined) throw new PayloadEncryptedError(keyId);
    }
    return payloads;
  }
}
