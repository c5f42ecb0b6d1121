// TLS settings of a Temporal connection, shared by the worker and the clients (SDK, CLI,
// bridge): plain TCP to a local dev server, or mTLS to a secured Temporal.
import { readFileSync } from 'node:fs';

import type { TLSConfig } from '@temporalio/client';

export interface TlsFiles {
  cert?: string | undefined;
  key?: string | undefined;
  ca?: string | undefined;
  serverName?: string | undefined;
}

/** The `tls` option of Connection/NativeConnection.connect, or undefined for plain TCP. */
export function tlsOptions(files: TlsFiles): TLSConfig | undefined {
  if (!files.cert && !files.key && !files.ca) return undefined;
  return {
    ...(files.cert && files.key ? { clientCertPair: { crt: readFileSync(files.cert), key: readFileSync(files.key) } } : {}),
    ...(files.ca ? { serverRootCACertificate: readFileSync(files.ca) } : {}),
    ...(files.serverName ? { serverNameOverride: files.serverName } : {}),
  };
}
