// A stand-in for Slack's Web API and SCIM API over HTTPS with the test CA, for the real
// @slack/web-api client and Revoke's SCIM calls: /api/<method> and /scim/v1/…, on one port.
// Tests inject 429s with Retry-After and HTTP failures, and read the log of what was asked.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';
import { answerScim } from './scim';
import { SlackOrg, type StandinSlackUser } from './slack-org';
import { answerWebApi } from './web-api';

export { SlackOrg, type StandinSlackUser } from './slack-org';

export interface SlackRequestRecord {
  /** A Web API method name, or `SCIM <METHOD> <path>`. */
  call: string;
  status: number;
  /** The Web API's error code, when `ok` was false. */
  error?: string;
  /** The body as sent: form fields or JSON. */
  args: Record<string, string>;
  contentType: string;
}

interface Fault {
  call: RegExp;
  status: number;
  retryAfterSeconds?: number;
  remaining: number;
}

export class SlackStandin {
  readonly org = new SlackOrg();
  readonly requests: SlackRequestRecord[] = [];
  private faults: Fault[] = [];
  private extraSearchResults: StandinSlackUser[] = [];
  private listener: TlsListener | undefined;

  get origin(): string {
    if (!this.listener) throw new Error('Slack stand-in not started');
    return `https://127.0.0.1:${this.listener.port}`;
  }

  get apiUrl(): string {
    return `${this.origin}/api`;
  }

  get scimUrl(): string {
    return `${this.origin}/scim/v1`;
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

  /** The next `times` calls matching `call` (a method name or "SCIM PATCH") answer 429. */
  rateLimitNext(call: string | RegExp, retryAfterSeconds: number, times = 1): void {
    this.faults.push({ call: pattern(call), status: 429, retryAfterSeconds, remaining: times });
  }

  /** The next `times` calls matching `call` answer with HTTP `status` (an outage). */
  failNext(call: string | RegExp, status: number, times = 1): void {
    this.faults.push({ call: pattern(call), status, remaining: times });
  }

  /**
   * The next SCIM user search also lists `user`, whatever the filter: a provider bug or a proxy in
   * the way, which the adapter must not take for a match.
   */
  addToNextSearch(user: StandinSlackUser): void {
    this.extraSearchResults.push(user);
  }

  /** How many requests reached the stand-in for `call`. */
  count(call: string | RegExp): number {
    const p = pattern(call);
    return this.requests.filter((r) => p.test(r.call)).length;
  }

  clear(): void {
    this.requests.length = 0;
    this.faults = [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'https://stand-in');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const contentType = req.headers['content-type'] ?? '';
    const web = /^\/api\/([A-Za-z0-9._]+)$/.exec(url.pathname);
    const scim = /^\/scim\/v1(\/.*)$/.exec(url.pathname);
    const call = web ? (web[1] ?? '') : scim ? `SCIM ${req.method} ${scim[1]}` : url.pathname;
    const args = web ? parseArgs(text, contentType) : {};
    const record = (status: number, error?: string) =>
      this.requests.push({ call, status, args, contentType, ...(error ? { error } : {}) });

    const fault = this.takeFault(call);
    if (fault) {
      record(fault.status, fault.status === 429 ? 'ratelimited' : undefined);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(fault.retryAfterSeconds);
      res.writeHead(fault.status, headers);
      res.end(
        JSON.stringify(
          web
            ? { ok: false, error: 'ratelimited' }
            : { Errors: { description: 'injected', code: fault.status } },
        ),
      );
      return;
    }
    if (web && req.method === 'POST') {
      const answer = answerWebApi(this.org, web[1] ?? '', args, bearer);
      record(200, answer.body['ok'] === false ? String(answer.body['error']) : undefined);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      res.end(JSON.stringify(answer.body));
      return;
    }
    if (scim) {
      const extra = scim[1] === '/Users' ? this.extraSearchResults.splice(0) : [];
      const answer = answerScim(
        this.org,
        req.method ?? '',
        scim[1] ?? '',
        url.searchParams,
        bearer,
        text,
        extra,
      );
      record(answer.status);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
      return;
    }
    record(404);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  private takeFault(call: string): Fault | undefined {
    const index = this.faults.findIndex((f) => f.remaining > 0 && f.call.test(call));
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }
}

function pattern(call: string | RegExp): RegExp {
  return typeof call === 'string'
    ? new RegExp(`^${call.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)
    : call;
}

/** A Web API body: form-urlencoded (what the SDK sends) or JSON. */
function parseArgs(text: string, contentType: string): Record<string, string> {
  if (contentType.includes('application/json')) {
    const json = JSON.parse(text || '{}') as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(json).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(text));
}
