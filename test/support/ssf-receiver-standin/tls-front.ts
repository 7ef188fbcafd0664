// An HTTPS front for a plain-HTTP server (the bot listens on HTTP behind a TLS proxy in a real
// deployment): receivers must reach the transmitter's metadata and JWKS over verified TLS.
import { request } from 'node:http';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';

/** `target`: the port, or a function giving it once the server behind listens. */
export async function tlsFront(
  target: number | (() => number),
): Promise<TlsListener & { origin: string }> {
  const listener = await listenWithTestTls((req, res) => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: typeof target === 'number' ? target : target(),
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return { ...listener, origin: `https://127.0.0.1:${listener.port}` };
}
