// A Shared Signals receiver, over HTTPS, that checks what real receivers check (RFC 8935 push,
// RFC 8417 SETs, SSF 1.0): the signature against the JWKS it fetches over HTTPS from the
// transmitter's metadata, `typ`, `iss`, `aud`, `iat` freshness, one event per SET with the schema
// of its type, the subject identifier, and `jti` uniqueness (a repeated jti is acknowledged and
// dropped, as a receiver deduplicating at-least-once delivery does). It answers 202, 400 with the
// RFC 8935 error codes, 401, and on demand 429 or 5xx, or drops the connection (down).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';
import { eventProblem, subjectProblem } from './event-schemas';

export interface ReceivedSet {
  jti: string;
  kid: string;
  claims: Record<string, unknown>;
  /** The one event's type and members. */
  type: string;
  event: Record<string, unknown>;
}

export interface Refusal {
  status: number;
  err: string;
  description: string;
}

export interface CannedAnswer {
  status: number;
  retryAfter?: string;
  body?: unknown;
}

export interface ReceiverOptions {
  /** The transmitter's issuer: its metadata is read from here. */
  issuer: string;
  audience: string;
  /** The bearer token pushes must carry, if any. */
  token?: string;
  /** How old an `iat` may be (default 5 minutes). */
  maxAgeSeconds?: number;
}

type Verify = (
  jwt: string,
) => Promise<{ header: Record<string, unknown>; claims: Record<string, unknown> }>;

export class SsfReceiverStandin {
  readonly accepted: ReceivedSet[] = [];
  /** jtis received again after they were accepted: acknowledged, not processed. */
  readonly duplicates: string[] = [];
  readonly refused: Refusal[] = [];
  /** Answers for the next pushes, before any check (a receiver having a bad minute). */
  readonly canned: CannedAnswer[] = [];
  /** While true, every connection is dropped (the receiver is down). */
  down = false;
  /** Pushes that reached it, whatever it answered. */
  pushes = 0;
  /**
   * Holds pushes without answering, as a receiver that stalls: `before` checking them (the SET is
   * not taken), or `after` taking them (taken, but the transmitter never hears so).
   */
  hold: 'before' | 'after' | undefined;
  /** The jti of each push held, read without verification. */
  readonly held: string[] = [];
  private listener: TlsListener | undefined;
  private verify: Verify | undefined;

  constructor(private options: ReceiverOptions) {}

  async start(): Promise<string> {
    this.listener = await listenWithTestTls((req, res) => void this.handle(req, res));
    return this.pushUrl;
  }

  get pushUrl(): string {
    return `https://127.0.0.1:${this.listener?.port ?? 0}/events`;
  }

  /** The issuer may only be known once the transmitter listens. */
  expect(options: Partial<ReceiverOptions>): void {
    this.options = { ...this.options, ...options };
    this.verify = undefined;
  }

  async stop(): Promise<void> {
    await this.listener?.close();
  }

  ofType(suffix: string): ReceivedSet[] {
    return this.accepted.filter((s) => s.type.endsWith(suffix));
  }

  async waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline)
        throw new Error('the receiver stand-in did not get what was awaited');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/events') return send(res, 404, {});
    this.pushes += 1;
    const canned = this.canned.shift();
    if (canned) {
      if (canned.retryAfter) res.setHeader('retry-after', canned.retryAfter);
      return send(res, canned.status, canned.body ?? {});
    }
    if (this.hold === 'before') {
      this.held.push(unverifiedJti(body));
      return;
    }
    const refuse = (status: number, err: string, description: string) => {
      this.refused.push({ status, err, description });
      send(res, status, { err, description });
    };
    if (
      this.options.token !== undefined &&
      req.headers.authorization !== `Bearer ${this.options.token}`
    )
      return refuse(401, 'authentication_failed', 'the push token is missing or wrong');
    if (req.headers['content-type'] !== 'application/secevent+jwt')
      return refuse(400, 'invalid_request', 'Content-Type must be application/secevent+jwt');
    let verified: Awaited<ReturnType<Verify>>;
    try {
      verified = await (await this.verifier())(body);
    } catch (error) {
      const code = (error as { code?: string; claim?: string }).code;
      const claim = (error as { claim?: string }).claim;
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'iss')
        return refuse(400, 'invalid_issuer', 'unexpected iss');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'aud')
        return refuse(400, 'invalid_audience', 'unexpected aud');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
        return refuse(
          400,
          'invalid_request',
          `claim ${String(claim)}: ${(error as Error).message}`,
        );
      return refuse(400, 'invalid_key', `signature not verified: ${(error as Error).message}`);
    }
    const { header, claims } = verified;
    const problem = setProblem(claims, this.options.maxAgeSeconds ?? 300);
    if (problem) return refuse(400, 'invalid_request', problem);
    const jti = String(claims.jti);
    if (this.accepted.some((s) => s.jti === jti)) {
      this.duplicates.push(jti);
      return send(res, 202, undefined);
    }
    const [type, event] =
      Object.entries(claims.events as Record<string, Record<string, unknown>>)[0] ?? [];
    this.accepted.push({
      jti,
      kid: String(header.kid),
      claims,
      type: type ?? '',
      event: event ?? {},
    });
    if (this.hold === 'after') {
      this.held.push(jti);
      return;
    }
    send(res, 202, undefined);
  }

  /** Metadata, then the JWKS it names, both over HTTPS; a kid not seen yet refetches the JWKS. */
  private async verifier(): Promise<Verify> {
    if (this.verify) return this.verify;
    const { createRemoteJWKSet, jwtVerify } = await import('jose');
    const { issuer, audience } = this.options;
    const metadata = (await (await fetch(`${issuer}/.well-known/ssf-configuration`)).json()) as {
      issuer?: string;
      jwks_uri?: string;
    };
    if (metadata.issuer !== issuer || !metadata.jwks_uri?.startsWith('https://'))
      throw new Error('the transmitter metadata does not match its issuer');
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration: 0 });
    this.verify = async (jwt) => {
      const result = await jwtVerify(jwt, jwks, {
        issuer,
        audience,
        typ: 'secevent+jwt',
        algorithms: ['RS256', 'ES256'],
      });
      return {
        header: result.protectedHeader as Record<string, unknown>,
        claims: result.payload as Record<string, unknown>,
      };
    };
    return this.verify;
  }
}

function setProblem(claims: Record<string, unknown>, maxAgeSeconds: number): string | undefined {
  if (typeof claims.jti !== 'string' || claims.jti === '') return 'jti is missing';
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.iat !== 'number') return 'iat is missing';
  if (claims.iat < now - maxAgeSeconds) return 'iat is too old';
  if (claims.iat > now + 60) return 'iat is in the future';
  if ('sub' in claims) return 'a SET carries sub_id, not sub';
  if ('exp' in claims) return 'a SET has no exp';
  const subject = subjectProblem(claims.sub_id);
  if (subject) return subject;
  const events = claims.events;
  if (typeof events !== 'object' || events === null) return 'events is missing';
  const entries = Object.entries(events);
  if (entries.length !== 1) return 'a SET carries exactly one event';
  const [type, members] = entries[0] as [string, unknown];
  const inEvent = (members as { subject?: unknown } | null)?.subject;
  if (inEvent !== undefined && JSON.stringify(inEvent) !== JSON.stringify(claims.sub_id))
    return 'the subject in the event differs from sub_id';
  return eventProblem(type, members);
}

function unverifiedJti(jwt: string): string {
  try {
    const payload = JSON.parse(
      Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as {
      jti?: unknown;
    };
    return String(payload.jti);
  } catch {
    return '';
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
