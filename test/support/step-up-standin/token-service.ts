// A stand-in for the Bot Framework token service (the OAuthUrl botbuilder's UserTokenClient
// calls), over HTTPS with the test CA, answering the three calls step-up makes as the service
// does: GetSignInResource (a sign-in link), GetToken (with the magic code shown after sign-in; a
// wrong or missing code is 404, "no token", not an error), and SignOut.
import { randomInt, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';

interface TokenExchangeState {
  connectionName?: string;
  msAppId?: string;
  conversation?: { user?: { id?: string }; conversation?: { id?: string } };
}

interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
}

export class TokenServiceStandin {
  private listener: TlsListener | undefined;
  readonly calls: Call[] = [];
  /** Sign-in links handed out, with the state they were asked for. */
  readonly signIns: { id: string; state: TokenExchangeState }[] = [];
  /** userId + connection → the code shown after sign-in and the token it unlocks. */
  private readonly pending = new Map<string, { code: string; token: string }>();
  /** userId + connection → the token the service keeps until sign-out. */
  private readonly cached = new Map<string, string>();

  get origin(): string {
    if (!this.listener) throw new Error('token service not started');
    return `https://127.0.0.1:${this.listener.port}`;
  }

  async start(): Promise<this> {
    this.listener = await listenWithTestTls((req, res) => {
      const { status, body } = this.handle(req);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.listener?.close();
  }

  /**
   * The person completes the sign-in page: the service now holds `token` for them and shows the
   * magic code Teams sends back to the bot as the invoke's `state`.
   */
  completeSignIn(userId: string, connectionName: string, token: string): string {
    const code = String(randomInt(100_000, 999_999));
    this.pending.set(key(userId, connectionName), { code, token });
    return code;
  }

  /** Whether the service still holds a token for the person (it must not after a decision). */
  holdsToken(userId: string, connectionName: string): boolean {
    return this.cached.has(key(userId, connectionName));
  }

  signOuts(userId: string): number {
    return this.calls.filter(
      (c) => c.path === '/api/usertoken/SignOut' && c.query['userId'] === userId,
    ).length;
  }

  private handle(req: IncomingMessage): { status: number; body?: unknown } {
    const url = new URL(req.url ?? '/', 'https://token.invalid');
    const query = Object.fromEntries(url.searchParams.entries());
    this.calls.push({ method: req.method ?? '', path: url.pathname, query });
    if (req.method === 'GET' && url.pathname === '/api/botsignin/GetSignInResource') {
      const state = JSON.parse(
        Buffer.from(query['state'] ?? '', 'base64').toString('utf8') || '{}',
      ) as TokenExchangeState;
      if (!state.connectionName) return { status: 400, body: error('BadArgument', 'state') };
      const id = randomUUID();
      this.signIns.push({ id, state });
      return {
        status: 200,
        body: { signInLink: `${this.origin}/api/oauth/signin?signin=${id}` },
      };
    }
    if (req.method === 'GET' && url.pathname === '/api/usertoken/GetToken') {
      const { userId, connectionName, code } = query;
      if (!userId || !connectionName) return { status: 400, body: error('BadArgument', 'userId') };
      const k = key(userId, connectionName);
      const pending = this.pending.get(k);
      if (code !== undefined && code !== '') {
        // A code is good once, for the person it was shown to.
        if (!pending || pending.code !== code) return { status: 404 };
        this.pending.delete(k);
        this.cached.set(k, pending.token);
      }
      const token = this.cached.get(k);
      if (!token) return { status: 404 };
      return {
        status: 200,
        body: {
          channelId: query['channelId'],
          connectionName,
          token,
          expiration: new Date(Date.now() + 3_600_000).toISOString(),
        },
      };
    }
    if (req.method === 'DELETE' && url.pathname === '/api/usertoken/SignOut') {
      const { userId, connectionName } = query;
      if (!userId) return { status: 400, body: error('BadArgument', 'userId') };
      for (const k of [...this.cached.keys()]) {
        if (k.startsWith(`${userId}\n`) && (!connectionName || k === key(userId, connectionName)))
          this.cached.delete(k);
      }
      return { status: 200, body: {} };
    }
    return { status: 404, body: error('NotFound', url.pathname) };
  }
}

function key(userId: string, connectionName: string): string {
  return `${userId}\n${connectionName}`;
}

function error(code: string, message: string): unknown {
  return { error: { code, message } };
}
