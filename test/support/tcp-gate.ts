// A TCP relay that a test can slow down or hold shut, put between the bot and a server it reaches
// over TLS (the Samba DC's LDAPS port). The bytes pass through untouched, so TLS and certificate
// checks are end to end; holding the gate stops the bot's requests before they reach the server,
// which is how a test freezes a run in the middle of an AD step.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export class TcpGate {
  /** Added before each chunk the client sends is passed on. */
  delayMs = 0;
  held = false;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private opened: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;

  constructor(
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {}

  async start(): Promise<number> {
    const server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  /** Client bytes from now on wait (bytes already delayed included) until release(). */
  hold(): void {
    if (this.held) return;
    this.opened = new Promise((resolve) => (this.open = resolve));
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.open();
  }

  async stop(): Promise<void> {
    this.release();
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    const upstream = connect(this.upstreamPort, this.upstreamHost);
    this.sockets.add(client).add(upstream);
    let toUpstream = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      // One chain per connection keeps the bytes in order however long each wait is.
      toUpstream = toUpstream.then(async () => {
        if (this.delayMs > 0) await delay(this.delayMs);
        await this.opened;
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!client.destroyed) client.write(chunk);
    });
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('close', close);
      socket.on('error', close);
    }
  }
}
