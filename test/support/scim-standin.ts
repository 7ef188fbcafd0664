// A small SCIM 2.0 service provider (RFC 7644) over HTTPS with the test CA, as the SCIM adapter
// meets one in production: bearer-token auth, `userName eq "…"` filters with JSON string escapes,
// PatchOp replace of `active`, SCIM error bodies, injected 429s with Retry-After, and injected
// 200 answers that are not what RFC 7643 describes (a provider bug or a proxy in the way).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithTestTls, type TlsListener } from './test-tls-server';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BASE = '/scim/v2';

export interface StandinScimUser {
  id: string;
  userName: string;
  active: boolean;
}

export interface ScimRequestRecord {
  method: string;
  /** Path and query as received, still percent-encoded. */
  url: string;
  status: number;
}

export class ScimStandin {
  readonly users = new Map<string, StandinScimUser>();
  readonly requests: ScimRequestRecord[] = [];
  readonly token = `scim-${randomUUID()}`;
  private listener: TlsListener | undefined;
  private throttles: number[] = [];
  private malformed: unknown[] = [];

  get baseUrl(): string {
    if (!this.listener) throw new Error('SCIM stand-in not started');
    return `https://127.0.0.1:${this.listener.port}${BASE}`;
  }

  addUser(userName: string, active = true): StandinScimUser {
    const user = { id: randomUUID(), userName, active };
    this.users.set(user.id, user);
    return user;
  }

  /** The next `count` requests answer 429 with Retry-After `seconds`. */
  throttleNext(count: number, seconds: number): void {
    this.throttles.push(...Array.from({ length: count }, () => seconds));
  }

  /** The next request (after auth) answers 200 with `body`, whatever it asked for. */
  answerNextWith(body: unknown): void {
    this.malformed.push(body);
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
    const url = req.url ?? '/';
    if (!url.startsWith(`${BASE}/`)) {
      // Outside the SCIM root the app serves its web UI for any path, as single-page apps do: a
      // base URL missing its /scim/v2 suffix gets a 200 HTML page, not a 404.
      this.requests.push({ method: req.method ?? '', url, status: 200 });
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Acme</title><div id="app"></div>');
      return;
    }
    const { status, body, headers } = this.answer(req, Buffer.concat(chunks).toString('utf8'));
    this.requests.push({ method: req.method ?? '', url, status });
    res.writeHead(status, { 'content-type': 'application/scim+json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private answer(
    req: IncomingMessage,
    raw: string,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const throttle = this.throttles.shift();
    if (throttle !== undefined)
      return { ...error(429, 'Too many requests'), headers: { 'retry-after': String(throttle) } };
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return error(401, 'Authorization failure. The authorization header is invalid or missing.');
    if (this.malformed.length > 0) return { status: 200, body: this.malformed.shift() };
    const url = new URL(req.url ?? '/', 'https://standin');
    if (!url.pathname.startsWith(`${BASE}/Users`)) return error(404, 'Resource not found');
    const id = url.pathname.slice(`${BASE}/Users`.length).replace(/^\//, '');
    if (id === '' && req.method === 'GET') return this.list(url.searchParams.get('filter'));
    const user = this.users.get(decodeURIComponent(id));
    if (!user) return error(404, `Resource ${id} not found`);
    if (req.method === 'GET') return { status: 200, body: resource(user) };
    if (req.method === 'PATCH') return this.patch(user, raw);
    return error(405, 'Method not allowed');
  }

  private list(filter: string | null): { status: number; body: unknown } {
    let users = [...this.users.values()];
    if (filter !== null) {
      const m = /^userName eq ("(?:[^"\\]|\\.)*")$/.exec(filter);
      if (!m) return error(400, `Unsupported filter: ${filter}`, 'invalidFilter');
      const wanted = (JSON.parse(m[1] ?? '""') as string).toLowerCase();
      // userName is caseExact=false in the core schema (RFC 7643 §4.1.1).
      users = users.filter((u) => u.userName.toLowerCase() === wanted);
    }
    return {
      status: 200,
      body: {
        schemas: [LIST_SCHEMA],
        totalResults: users.length,
        itemsPerPage: users.length,
        startIndex: 1,
        Resources: users.map(resource),
      },
    };
  }

  private patch(user: StandinScimUser, raw: string): { status: number; body: unknown } {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return error(400, 'The request body is not JSON', 'invalidSyntax');
    }
    const patch = body as { schemas?: unknown; Operations?: unknown };
    if (!Array.isArray(patch.schemas) || !patch.schemas.includes(PATCH_OP))
      return error(400, 'Missing the PatchOp schema', 'invalidSyntax');
    if (!Array.isArray(patch.Operations) || patch.Operations.length === 0)
      return error(400, 'No operations', 'invalidSyntax');
    for (const op of patch.Operations as Array<Record<string, unknown>>) {
      const value = op['value'] as Record<string, unknown> | undefined;
      const active = op['path'] === 'active' ? op['value'] : value?.['active'];
      if (String(op['op']).toLowerCase() !== 'replace' || typeof active !== 'boolean')
        return error(400, 'Only replace of active is supported here', 'invalidValue');
      user.active = active;
    }
    return { status: 200, body: resource(user) };
  }
}

function resource(user: StandinScimUser): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: user.id,
    userName: user.userName,
    active: user.active,
    meta: { resourceType: 'User' },
  };
}

function error(
  status: number,
  detail: string,
  scimType?: string,
): { status: number; body: unknown } {
  return {
    status,
    body: {
      schemas: [ERROR_SCHEMA],
      status: String(status),
      detail,
      ...(scimType ? { scimType } : {}),
    },
  };
}
