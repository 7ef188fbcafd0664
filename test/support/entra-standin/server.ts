// An HTTPS stand-in for Microsoft Entra ID and Microsoft Graph v1.0 on 127.0.0.1, close enough to
// the real services that the real SDKs run against it unmodified: real TLS, real tokens, Graph's
// status codes and error bodies. Tests seed `state`, inject `faults` and read `log`.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';
import { setTimeout as delay } from 'node:timers/promises';
import { runBatch } from './batch';
import { CallLog } from './call-log';
import {
  jwks,
  managedIdentityToken,
  openIdConfiguration,
  token,
  type EntraContext,
  type HttpAnswer,
} from './entra-routes';
import { FaultInjector } from './faults';
import { GraphRateLimit } from './rate-limit';
import { GraphWriteLimit, type WriteLimitSpec } from './write-limit';
import { authenticate } from './graph-auth';
import { dispatchGraph, writeThrottled, type DispatchDeps } from './graph-dispatch';
import type { GraphCall, GraphResult } from './graph-result';
import { graphError } from './graph-result';
import { createSigningKey, type SigningKey } from './jwt';
import { StandinState } from './state';

const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export interface StandinOptions {
  tenantId?: string;
  tokenLifetimeSeconds?: number;
}

export class EntraStandin {
  readonly state: StandinState;
  readonly faults = new FaultInjector();
  readonly log = new CallLog();
  /** Added before every answer (Entra and Graph). */
  latencyMs = 0;
  /** Throttling past a rate (429 + Retry-After), for load tests; none by default. */
  rateLimit: GraphRateLimit | undefined;
  /**
   * Graph's write budget per app and tenant (GRAPH_WRITE_BUDGET: 3,000 writes per 150 s), when
   * set; none by default. Each app gets its own window, as Graph counts.
   */
  writeBudget: WriteLimitSpec | undefined;
  /** The windows per app id, for a test or benchmark to read what went through. */
  readonly writeLimits = new Map<string, GraphWriteLimit>();
  /** What the managed identity endpoint wants in X-IDENTITY-HEADER (IDENTITY_HEADER env). */
  readonly identityHeader = randomUUID();
  /** Every access token handed out, so a test can prove none of them leaked anywhere. */
  readonly issuedTokens: string[] = [];

  private readonly key: SigningKey = createSigningKey();
  private readonly tokenLifetimeSeconds: number;
  private listener: TlsListener | undefined;

  constructor(options: StandinOptions = {}) {
    this.state = new StandinState(options.tenantId);
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
  }

  get origin(): string {
    if (!this.listener) throw new Error('stand-in not started');
    return `https://127.0.0.1:${this.listener.port}`;
  }

  get tenantId(): string {
    return this.state.tenantId;
  }

  /** Where the App Service managed identity endpoint lives (IDENTITY_ENDPOINT). */
  get identityEndpoint(): string {
    return `${this.origin}/msi/token`;
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

  private entraContext(): EntraContext {
    return {
      state: this.state,
      origin: this.origin,
      key: this.key,
      identityHeader: this.identityHeader,
      tokenLifetimeSeconds: this.tokenLifetimeSeconds,
    };
  }

  private deps(): DispatchDeps {
    return {
      state: this.state,
      faults: this.faults,
      log: this.log,
      origin: this.origin,
      rateLimit: this.rateLimit,
      writeLimit: (appId) => this.writeLimitFor(appId),
      tenantId: this.tenantId,
    };
  }

  private writeLimitFor(appId: string): GraphWriteLimit | undefined {
    const spec = this.writeBudget;
    if (!spec) return undefined;
    let limit = this.writeLimits.get(appId);
    if (!limit || limit.spec !== spec) {
      limit = new GraphWriteLimit(spec);
      this.writeLimits.set(appId, limit);
    }
    return limit;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const raw = await readBody(req);
      if (this.latencyMs > 0) await delay(this.latencyMs);
      const url = new URL(req.url ?? '/', this.origin);
      const method = (req.method ?? 'GET').toUpperCase();
      if (url.pathname.startsWith('/v1.0/')) {
        this.handleGraph(req, res, method, url, raw);
      } else {
        this.handleEntra(req, res, method, url, raw);
      }
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`stand-in failure: ${String(error)}`);
    }
  }

  private handleEntra(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    raw: string,
  ): void {
    const ctx = this.entraContext();
    const path = url.pathname;
    const [route, respond] = entraRoute(ctx, req, method, url, raw);
    const fault = this.faults.take(method, path, false);
    if (fault?.spec.hang) {
      this.log.record(route, 0, false);
      return;
    }
    const answer: HttpAnswer = fault
      ? entraFault(fault.status, fault.spec.retryAfterSeconds)
      : respond();
    const issued = (answer.body as { access_token?: unknown } | undefined)?.access_token;
    if (typeof issued === 'string') this.issuedTokens.push(issued);
    this.log.record(route, answer.status, false);
    res.writeHead(answer.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store, no-cache',
      'x-ms-request-id': randomUUID(),
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.body));
  }

  private handleGraph(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    raw: string,
  ): void {
    const header = req.headers['client-request-id'];
    const call: GraphCall = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: undefined,
      roles: [],
      requestId: randomUUID(),
      clientRequestId: (Array.isArray(header) ? header[0] : header) ?? randomUUID(),
      insideBatch: false,
    };
    const result = this.graphResult(req, call, raw);
    if (result.hang) return;
    const headers: Record<string, string> = {
      'request-id': call.requestId,
      'client-request-id': call.clientRequestId,
      'x-ms-ags-diagnostic': JSON.stringify({
        ServerInfo: { DataCenter: 'Local', Slice: 'E', Ring: '0', ScaleUnit: '0' },
      }),
      'Cache-Control': 'no-cache',
      ...result.headers,
    };
    if (result.status === 401) {
      headers['WWW-Authenticate'] =
        `Bearer realm="", authorization_uri="${this.origin}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`;
    }
    if (result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
      return;
    }
    res.writeHead(result.status, { ...headers, 'Content-Type': GRAPH_JSON });
    res.end(JSON.stringify(result.body));
  }

  private graphResult(req: IncomingMessage, call: GraphCall, raw: string): GraphResult {
    const caller = authenticate(req.headers.authorization, this.key, this.origin, this.tenantId);
    if (!caller.ok) {
      this.log.record(`${call.method} ${call.path}`, 401, false);
      return graphError(call, 401, 'InvalidAuthenticationToken', caller.message);
    }
    call.roles = caller.roles;
    call.appId = caller.appId;
    // A $batch is not throttled as a whole: each sub-request is, inside the 200 (runBatch).
    const whole = call.path !== '/v1.0/$batch';
    const retryAfter = whole ? this.rateLimit?.take(1) : undefined;
    if (retryAfter !== undefined) {
      this.log.record(`${call.method} ${call.path}`, 429, false, call.path);
      return graphError(call, 429, 'TooManyRequests', 'Too many requests.', {
        'Retry-After': String(retryAfter),
      });
    }
    const writeRefused = whole ? writeThrottled(this.deps(), call) : undefined;
    if (writeRefused) {
      this.log.record(`${call.method} ${call.path}`, 429, false, call.path);
      return writeRefused;
    }
    if (raw.length > 0) {
      try {
        call.body = JSON.parse(raw) as unknown;
      } catch {
        return graphError(
          call,
          400,
          'BadRequest',
          'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
        );
      }
    }
    if (call.method === 'POST' && call.path === '/v1.0/$batch') {
      const fault = this.faults.take(call.method, call.path, false);
      if (fault) {
        this.log.record('POST /$batch', fault.spec.hang ? 0 : fault.status, false);
        if (fault.spec.hang) return { status: 0, hang: true };
        const headers: Record<string, string> =
          fault.spec.retryAfterSeconds === undefined
            ? {}
            : { 'Retry-After': String(fault.spec.retryAfterSeconds) };
        return graphError(
          call,
          fault.status,
          fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
          'Injected fault.',
          headers,
        );
      }
      const result = runBatch(this.deps(), call);
      this.log.record('POST /$batch', result.status, false);
      return result;
    }
    return dispatchGraph(this.deps(), call);
  }
}

/** Route name for the log, and the answer when no fault intervenes. */
function entraRoute(
  ctx: EntraContext,
  req: IncomingMessage,
  method: string,
  url: URL,
  raw: string,
): [string, () => HttpAnswer] {
  const path = url.pathname;
  const tenant = (m: RegExpExecArray): string => decodeURIComponent(m[1] ?? '');
  let m: RegExpExecArray | null;
  if (
    method === 'GET' &&
    (m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path))
  ) {
    const match = m;
    return [
      'GET /{tenant}/v2.0/.well-known/openid-configuration',
      () => openIdConfiguration(ctx, tenant(match)),
    ];
  }
  if (method === 'GET' && (m = /^\/([^/]+)\/discovery\/v2\.0\/keys$/.exec(path))) {
    const match = m;
    return ['GET /{tenant}/discovery/v2.0/keys', () => jwks(ctx, tenant(match))];
  }
  if (method === 'POST' && (m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path))) {
    const match = m;
    return [
      'POST /{tenant}/oauth2/v2.0/token',
      () => token(ctx, tenant(match), new URLSearchParams(raw)),
    ];
  }
  if (method === 'GET' && path === '/msi/token') {
    const header = req.headers['x-identity-header'];
    return [
      'GET /msi/token',
      () => managedIdentityToken(ctx, url.searchParams, Array.isArray(header) ? header[0] : header),
    ];
  }
  return [
    `${method} ${path}`,
    () => ({
      status: 404,
      body: { error: 'not_found', error_description: `No such endpoint: ${method} ${path}` },
    }),
  ];
}

/** Injected faults on the login side answer in the OAuth error shape MSAL parses. */
function entraFault(status: number, retryAfterSeconds: number | undefined): HttpAnswer {
  const [code, text] =
    status === 429
      ? [90055, 'The request was throttled: too many requests.']
      : [90033, 'A transient error has occurred. Please try again.'];
  return {
    status,
    body: {
      error: status === 429 ? 'invalid_request' : 'temporarily_unavailable',
      error_description: `AADSTS${code}: ${text}`,
      error_codes: [code],
    },
    headers: retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startEntraStandin(options: StandinOptions = {}): Promise<EntraStandin> {
  return new EntraStandin(options).start();
}
