// An HTTPS stand-in for an Okta org on 127.0.0.1, close enough that the official Node SDK runs
// against it unmodified through its own orgUrl option: real TLS (the test CA), the org
// authorization server's token endpoint for service apps, Bearer tokens checked for their scopes,
// Okta's error bodies, Link paging and X-Rate-Limit headers. Tests seed `state`, inject `faults`
// and read `log`; `now` is the org's clock (Date and X-Rate-Limit-Reset headers, token expiry).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultInjector, type Fault } from '../entra-standin/faults';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';
import { OktaCallLog } from './call-log';
import { E, oktaError, type OktaAnswer } from './okta-answer';
import { OrgState } from './org-state';
import { OktaRateLimits } from './rate-limit';
import { tokenRoute } from './token-route';
import { USER_ROUTES } from './user-routes';

const TOKEN_ROUTE = 'POST /oauth2/v1/token';

export class OktaStandin {
  now: () => number = Date.now;
  readonly state = new OrgState(() => this.now());
  readonly faults = new FaultInjector();
  readonly log = new OktaCallLog();
  readonly rateLimits = new OktaRateLimits();
  private listener: TlsListener | undefined;

  get orgUrl(): string {
    if (!this.listener) throw new Error('Okta stand-in not started');
    return `https://127.0.0.1:${this.listener.port}`;
  }

  async start(): Promise<this> {
    this.listener = await listenWithTestTls((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.orgUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const { route, answer } = this.answer(req, method, url, raw);
    // A hang fault: the request is logged and never answered (until the client gives up).
    if (answer.status === 0) {
      this.log.calls.push({ route, method, url: req.url ?? '/', status: 0 });
      return;
    }
    const retry = req.headers['x-okta-retry-count'];
    this.log.calls.push({
      route,
      method,
      url: req.url ?? '/',
      status: answer.status,
      ...(typeof retry === 'string' ? { retryCount: retry } : {}),
    });
    const headers: Record<string, string> = {
      Date: new Date(this.now()).toUTCString(),
      'X-Okta-Request-Id': randomBytes(12).toString('base64url'),
      ...(answer.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...answer.headers,
    };
    res.writeHead(answer.status, headers);
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  private answer(
    req: IncomingMessage,
    method: string,
    url: URL,
    raw: string,
  ): { route: string; answer: OktaAnswer } {
    const nowMs = this.now();
    if (url.pathname === '/oauth2/v1/token') {
      if (method !== 'POST') return { route: `${method} ${url.pathname}`, answer: unsupported() };
      const fault = this.faults.take(method, url.pathname, false);
      if (fault) return { route: TOKEN_ROUTE, answer: this.faultAnswer(fault, nowMs) };
      const limited = this.rateLimits.take(TOKEN_ROUTE, nowMs);
      if (limited.throttled) return { route: TOKEN_ROUTE, answer: tooMany(limited.headers) };
      const answer = tokenRoute(raw, this.state, this.orgUrl, nowMs);
      return {
        route: TOKEN_ROUTE,
        answer: { ...answer, headers: { ...limited.headers, ...answer.headers } },
      };
    }
    const candidates = USER_ROUTES.filter((r) => r.pattern.test(url.pathname));
    const route = candidates.find((r) => r.method === method);
    if (!route) {
      const name = `${method} ${url.pathname}`;
      if (candidates.length > 0) return { route: name, answer: unsupported() };
      return { route: name, answer: oktaError(404, E.notFound, 'Not found: Resource not found') };
    }
    const fault = this.faults.take(method, url.pathname, false);
    if (fault) return { route: route.name, answer: this.faultAnswer(fault, nowMs) };
    const limited = this.rateLimits.take(route.name, nowMs);
    const withLimits = (answer: OktaAnswer): { route: string; answer: OktaAnswer } => ({
      route: route.name,
      answer: { ...answer, headers: { ...limited.headers, ...answer.headers } },
    });
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const issued = token ? this.state.tokens.get(token) : undefined;
    if (!issued || issued.expiresAtSec <= Math.floor(nowMs / 1000)) {
      return withLimits(
        oktaError(401, E.invalidToken, 'Invalid token provided', [], {
          'WWW-Authenticate':
            'Bearer realm="IdpTenant", error="invalid_token", error_description="The access token is invalid."',
        }),
      );
    }
    if (limited.throttled) return withLimits(tooMany(limited.headers));
    if (!issued.scopes.includes(route.scope)) {
      return withLimits(
        oktaError(
          403,
          E.forbidden,
          'You do not have permission to perform the requested action',
          [],
          {
            'WWW-Authenticate': `Bearer authorization_uri="${this.orgUrl}/oauth2/v1/authorize", realm="IdpTenant", scope="${route.scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."`,
          },
        ),
      );
    }
    const params = route.pattern.exec(url.pathname)?.slice(1) ?? [];
    return withLimits(route.handle({ params, url, state: this.state, origin: this.orgUrl }));
  }

  private faultAnswer(fault: Fault, nowMs: number): OktaAnswer {
    if (fault.spec.hang) return { status: 0 };
    if (fault.status === 429) {
      // Okta's 429: the window's headers, Remaining 0, Reset when the caller may come back.
      const resetSec = Math.floor(nowMs / 1000) + (fault.spec.retryAfterSeconds ?? 60);
      return tooMany({
        'X-Rate-Limit-Limit': '600',
        'X-Rate-Limit-Remaining': '0',
        'X-Rate-Limit-Reset': String(resetSec),
      });
    }
    return oktaError(
      fault.status,
      fault.spec.code ?? E.internal,
      fault.spec.message ?? 'Internal Server Error',
    );
  }
}

function tooMany(headers: Record<string, string> | object): OktaAnswer {
  return oktaError(
    429,
    E.rateLimit,
    'API call exceeded rate limit due to too many requests.',
    [],
    headers as Record<string, string>,
  );
}

function unsupported(): OktaAnswer {
  return oktaError(
    405,
    E.unsupportedMethod,
    'The endpoint does not support the provided HTTP method',
  );
}
