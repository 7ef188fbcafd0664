// A receiver of Revoke's alert webhook, over HTTPS, that checks what docs/paging.md tells
// receivers to check, written independently of the sender: the X-Revoke-Timestamp is within 5
// minutes of its own clock, the X-Revoke-Signature "v1=<hex>" is HMAC-SHA-256 under the shared
// secret of "<timestamp>.<raw body>", compared in constant time, before the body is parsed; an
// X-Revoke-Event-Id seen before is acknowledged and dropped. It answers 200, 400 for a body that
// is not an event, 401 for a bad signature or timestamp, and on demand 429 or 5xx.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithTestTls, type TlsListener } from './test-tls-server';

export interface ReceivedWebhook {
  eventId: string;
  timestamp: number;
  event: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  raw: string;
}

export interface Refused {
  status: number;
  reason: string;
}

export interface CannedAnswer {
  status: number;
  retryAfter?: string;
  location?: string;
}

export interface ReceiverOptions {
  secret: Buffer;
  /** How far X-Revoke-Timestamp may be from the receiver's clock; 300 s by default. */
  toleranceSeconds?: number;
  /** The receiver's clock, in milliseconds. */
  now?: () => number;
}

export class AlertWebhookReceiver {
  readonly events: ReceivedWebhook[] = [];
  readonly duplicates: string[] = [];
  readonly refused: Refused[] = [];
  readonly canned: CannedAnswer[] = [];
  /** While true, deliveries are never answered. */
  hold = false;
  /** Requests that reached it, whatever it answered. */
  requests = 0;
  private listener: TlsListener | undefined;

  constructor(private readonly options: ReceiverOptions) {}

  async start(): Promise<string> {
    this.listener = await listenWithTestTls((req, res) => void this.handle(req, res));
    return this.url;
  }

  get url(): string {
    return `https://127.0.0.1:${this.listener?.port ?? 0}/hooks/revoke`;
  }

  async stop(): Promise<void> {
    await this.listener?.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    this.requests += 1;
    if (req.method !== 'POST' || req.url !== '/hooks/revoke') return send(res, 404);
    if (this.hold) return;
    const canned = this.canned.shift();
    if (canned) {
      if (canned.retryAfter) res.setHeader('retry-after', canned.retryAfter);
      if (canned.location) res.setHeader('location', canned.location);
      return send(res, canned.status);
    }
    const refuse = (status: number, reason: string) => {
      this.refused.push({ status, reason });
      send(res, status);
    };
    const verdict = verifyDelivery(
      req.headers,
      raw,
      this.options.secret,
      (this.options.now ?? Date.now)(),
      this.options.toleranceSeconds ?? 300,
    );
    if (typeof verdict === 'string') return refuse(401, verdict);
    let event: unknown;
    try {
      event = JSON.parse(raw);
    } catch {
      return refuse(400, 'the body is not JSON');
    }
    const shape = eventShapeProblem(event);
    if (shape) return refuse(400, shape);
    const eventId = String(req.headers['x-revoke-event-id'] ?? '');
    if (eventId === '') return refuse(400, 'no X-Revoke-Event-Id');
    if (this.events.some((e) => e.eventId === eventId)) {
      this.duplicates.push(eventId);
      return send(res, 200);
    }
    this.events.push({
      eventId,
      timestamp: verdict.timestamp,
      event: event as Record<string, unknown>,
      headers: req.headers,
      raw,
    });
    send(res, 200);
  }
}

/** A careful receiver's check: the timestamp window first, then the signature, in constant time. */
export function verifyDelivery(
  headers: IncomingMessage['headers'],
  raw: string,
  secret: Buffer,
  nowMs: number,
  toleranceSeconds: number,
): { timestamp: number } | string {
  const timestampText = headers['x-revoke-timestamp'];
  const signature = headers['x-revoke-signature'];
  if (typeof timestampText !== 'string' || !/^\d+$/.test(timestampText))
    return 'no X-Revoke-Timestamp';
  if (typeof signature !== 'string') return 'no X-Revoke-Signature';
  const timestamp = Number(timestampText);
  if (Math.abs(nowMs / 1_000 - timestamp) > toleranceSeconds)
    return 'the timestamp is outside the window';
  const expected = createHmac('sha256', secret).update(`${timestampText}.${raw}`).digest();
  const match = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => Buffer.from(part.slice(3), 'hex'))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  return match ? { timestamp } : 'the signature does not match';
}

function eventShapeProblem(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return 'the body is not an object';
  const e = event as Record<string, unknown>;
  if (e.type !== 'revoke.page.triggered' && e.type !== 'revoke.page.resolved')
    return 'unknown type';
  if (typeof e.key !== 'string' || e.key === '') return 'no key';
  if (typeof e.at !== 'string' || Number.isNaN(Date.parse(e.at))) return 'no at';
  if (e.type === 'revoke.page.triggered' && (typeof e.alert !== 'object' || e.alert === null))
    return 'a trigger without its alert';
  if (e.type === 'revoke.page.resolved' && typeof e.resolution !== 'string')
    return 'a resolve without its resolution';
  return undefined;
}

function send(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
