// /metrics on its own listener, bound to 127.0.0.1 unless METRICS_HOST says otherwise: request
// counts and timings are not for the internet, and a separate port keeps them off the port that
// Azure Bot Service reaches. Anything else on this port is 404. (writeHead is never chained:
// restify replaces it process-wide with a version that does not return the response.)
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/ports';
import type { PrometheusMetrics } from './prometheus-metrics';

function reply(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  res.writeHead(status, headers);
  res.end(body);
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(
  metrics: PrometheusMetrics,
  port: number,
  host: string,
  logger: Logger,
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (req.method !== 'GET' || path !== '/metrics') {
      reply(res, 404, { 'Content-Type': 'text/plain' }, 'not found\n');
      return;
    }
    metrics.render().then(
      (text) => reply(res, 200, { 'Content-Type': metrics.contentType }, text),
      (error: unknown) => {
        logger.warn('metrics rendering failed', { message: String(error) });
        reply(res, 500, { 'Content-Type': 'text/plain' }, 'metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
