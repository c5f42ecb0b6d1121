// Starting a Node HTTP server on host:port and stopping it, shared by the worker's and bridge's
// /metrics server and the codec server.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningHttpServer {
  /** The port it listens on (the one the OS chose for port 0). */
  port: number;
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

export async function listen(server: Server, port: number, host: string): Promise<RunningHttpServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
