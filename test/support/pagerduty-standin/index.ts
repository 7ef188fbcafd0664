// PagerDuty's Events API v2 over HTTPS, as its documentation describes it: POST /v2/enqueue with a
// JSON event; 202 {status:'success', message:'Event processed', dedup_key} when taken, 400
// {status:'invalid event', message:'Event object is invalid', errors:[…]} when not. It keeps
// alerts by dedup_key: a trigger opens one or is deduplicated into the open one (a trigger without
// a key gets a new UUID key), a resolve closes the open one, and a resolve with no open alert is
// taken and dropped. Tests queue 429s or 5xx answers, hold requests unanswered, and read what it
// received.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';
import { eventProblems } from './event-rules';

export interface ReceivedEvent {
  headers: IncomingMessage['headers'];
  /** The parsed body, or the raw text when it was not JSON. */
  body: unknown;
  /** What the stand-in answered. */
  status: number;
}

export interface PagerDutyAlert {
  dedupKey: string;
  routingKey: string;
  status: 'triggered' | 'resolved';
  /** Every trigger event taken into it, first the one that opened it. */
  triggers: Record<string, unknown>[];
}

export interface CannedAnswer {
  status: number;
  body?: unknown;
  /** Sent as text/html when set: a proxy's error page. */
  html?: string;
  retryAfter?: string;
  location?: string;
}

export class PagerDutyStandin {
  readonly received: ReceivedEvent[] = [];
  readonly alerts: PagerDutyAlert[] = [];
  /** Resolves and acknowledges that found no open alert: taken (202) and dropped. */
  readonly dropped: Record<string, unknown>[] = [];
  /** Answers for the next requests, before any check. */
  readonly canned: CannedAnswer[] = [];
  /** While true, requests are read and recorded but never answered. */
  hold = false;
  private listener: TlsListener | undefined;

  async start(): Promise<string> {
    this.listener = await listenWithTestTls((req, res) => void this.handle(req, res));
    return this.host;
  }

  /** What PAGERDUTY_EVENTS_HOST is set to for this stand-in. */
  get host(): string {
    return `127.0.0.1:${this.listener?.port ?? 0}`;
  }

  async stop(): Promise<void> {
    await this.listener?.close();
  }

  alertsFor(dedupKey: string): PagerDutyAlert[] {
    return this.alerts.filter((alert) => alert.dedupKey === dedupKey);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Recorded as text; refused below.
    }
    const record = { headers: req.headers, body, status: 0 };
    this.received.push(record);
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || req.url !== '/v2/enqueue')
      return answer(404, { status: 'error', message: 'Not found' });
    if (this.hold) return;
    const canned = this.canned.shift();
    if (canned) {
      const headers: Record<string, string> = {};
      if (canned.retryAfter) headers['retry-after'] = canned.retryAfter;
      if (canned.location) headers.location = canned.location;
      if (canned.html === undefined) return answer(canned.status, canned.body ?? {}, headers);
      record.status = canned.status;
      res.writeHead(canned.status, { 'content-type': 'text/html', ...headers });
      res.end(canned.html);
      return;
    }
    const problems =
      typeof body === 'string' ? ['The request body is not valid JSON'] : eventProblems(body);
    if (problems.length > 0) {
      return answer(400, {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: problems,
      });
    }
    const event = body as Record<string, unknown>;
    const dedupKey = typeof event.dedup_key === 'string' ? event.dedup_key : randomUUID();
    this.apply(event, dedupKey);
    answer(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  }

  /** Alerts are matched by dedup_key and routing key, as PagerDuty documents. */
  private apply(event: Record<string, unknown>, dedupKey: string): void {
    const routingKey = String(event.routing_key);
    const open = this.alerts.find(
      (a) => a.dedupKey === dedupKey && a.routingKey === routingKey && a.status === 'triggered',
    );
    if (event.event_action === 'trigger') {
      if (open) open.triggers.push(event);
      else this.alerts.push({ dedupKey, routingKey, status: 'triggered', triggers: [event] });
    } else if (event.event_action === 'resolve' && open) {
      open.status = 'resolved';
    } else if (!open) {
      this.dropped.push(event);
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
