// An HTTPS server on a free loopback port with the test CA's server certificate, for the
// stand-ins that the real SDKs and clients must reach over verified TLS.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureTestCa } from './entra-standin/test-ca';

export interface TlsListener {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function listenWithTestTls(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TlsListener> {
  const ca = ensureTestCa();
  const server = createServer(
    { cert: readFileSync(ca.serverCertPath), key: readFileSync(ca.serverKeyPath) },
    handle,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async close() {
      // Hung requests hold their sockets open; close them or `close` never calls back.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
