// An HTTPS stand-in of GitHub's REST and GraphQL APIs, for the routes the GitHub adapter calls, as
// GitHub documents them: error bodies {message, documentation_url}; 401 for a bad token; 403 with
// x-accepted-github-permissions for a token without the permission; 404 for what is not there (or
// hidden); Link-header paging; x-ratelimit-* headers on every answer; and, injected, a primary
// rate limit (403, remaining 0, reset), a secondary one (403 with Retry-After) and 429.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';
import type { Answer } from './answer';
import { answerGraphql } from './graphql';
import { GithubState, type StandinPermission } from './state';

export type { Answer } from './answer';
export { GithubState } from './state';
export type * from './state';

const DOCS = 'https://docs.github.com/rest';
const RATE_LIMIT = 5000;

export interface StandinFault {
  method: string;
  path: RegExp;
  times: number;
  answer: (now: number) => Answer;
}

export interface GithubRequestRecord {
  method: string;
  url: string;
  status: number;
  authorization: string | undefined;
}

/** Answers as GitHub words them. */
export const githubErrors = {
  primaryRateLimit:
    (resetInSeconds: number) =>
    (now: number): Answer => ({
      status: 403,
      body: {
        message: 'API rate limit exceeded for user ID 1.',
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
      },
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(now / 1000) + resetInSeconds),
      },
    }),
  secondaryRateLimit: (retryAfterSeconds: number) => (): Answer => ({
    status: 403,
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
    },
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  tooMany: (retryAfterSeconds: number) => (): Answer => ({
    status: 429,
    body: { message: 'Too Many Requests', documentation_url: DOCS },
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  serverError: () => (): Answer => ({ status: 502, body: { message: 'Server Error' } }),
};

export class GithubStandin {
  readonly requests: GithubRequestRecord[] = [];
  private readonly faults: StandinFault[] = [];
  private listener: TlsListener | undefined;
  /** How many calls are left in the window; shown in x-ratelimit-remaining. */
  private remaining = RATE_LIMIT;

  constructor(readonly state = new GithubState()) {}

  get baseUrl(): string {
    if (!this.listener) throw new Error('GitHub stand-in not started');
    return `https://127.0.0.1:${this.listener.port}`;
  }

  /** The next `times` requests matching method and path get `answer` instead. */
  fail(method: string, path: RegExp, answer: StandinFault['answer'], times = 1): void {
    this.faults.push({ method, path, times, answer });
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
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', this.baseUrl);
    const now = Date.now();
    const answer = this.answer(method, url, Buffer.concat(chunks).toString('utf8'), req, now);
    this.requests.push({
      method,
      url: `${url.pathname}${url.search}`,
      status: answer.status,
      authorization: req.headers.authorization,
    });
    this.remaining = Math.max(0, this.remaining - 1);
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-reset': String(Math.floor(now / 1000) + 3600),
      'x-ratelimit-used': String(RATE_LIMIT - this.remaining),
      'x-ratelimit-resource': url.pathname === '/graphql' ? 'graphql' : 'core',
      'x-github-request-id': `STANDIN:${this.requests.length}`,
      ...answer.headers,
    };
    if (answer.body === undefined) {
      res.writeHead(answer.status, headers);
      res.end();
      return;
    }
    const scim = url.pathname.startsWith('/scim/');
    headers['content-type'] =
      `${scim ? 'application/scim+json' : 'application/json'}; charset=utf-8`;
    res.writeHead(answer.status, headers);
    res.end(JSON.stringify(answer.body));
  }

  private answer(
    method: string,
    url: URL,
    text: string,
    req: IncomingMessage,
    now: number,
  ): Answer {
    const permissions = this.state.tokens.get(tokenOf(req.headers.authorization));
    if (!permissions)
      return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } };
    const fault = this.faults.find((f) => f.method === method && f.path.test(url.pathname));
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      return fault.answer(now);
    }
    if (method === 'POST' && url.pathname === '/graphql')
      return answerGraphql(this.state, permissions, parseJson(text));
    if (method === 'GET' && url.pathname === '/user')
      return {
        status: 200,
        body: {
          login: this.state.tokenOwners.get(tokenOf(req.headers.authorization)) ?? 'revoke-bot',
          id: 1,
        },
      };
    return this.rest(method, url, parseJson(text), permissions);
  }

  private rest(
    method: string,
    url: URL,
    body: unknown,
    permissions: ReadonlySet<StandinPermission>,
  ): Answer {
    const { state } = this;
    const path = url.pathname;
    const org = new RegExp(`^/orgs/${state.org}`, 'i');
    const need = (permission: StandinPermission): Answer | undefined =>
      permissions.has(permission) ||
      (permission === 'members=read' && permissions.has('members=write'))
        ? undefined
        : forbidden(permission);
    let m: RegExpExecArray | null;

    if (method === 'GET' && org.test(path) && /^\/orgs\/[^/]+$/.test(path))
      return { status: 200, body: { login: state.org, id: 1, plan: { name: 'enterprise' } } };
    if (path.startsWith('/orgs/') && !org.test(path)) return notFound();

    if ((m = /^\/orgs\/[^/]+\/memberships\/([^/]+)$/.exec(path)) && method === 'GET') {
      const denied = need('members=read');
      if (denied) return denied;
      const member = state.members.get(decodeURIComponent(m[1] ?? '').toLowerCase());
      if (!member) return notFound();
      return {
        status: 200,
        body: {
          state: member.state,
          role: member.role,
          organization: { login: state.org },
          user: { login: member.login, id: member.id },
        },
      };
    }
    if ((m = /^\/orgs\/[^/]+\/members\/([^/]+)$/.exec(path)) && method === 'DELETE') {
      const denied = need('members=write');
      if (denied) return denied;
      const login = decodeURIComponent(m[1] ?? '').toLowerCase();
      if (!state.members.delete(login)) return notFound();
      return { status: 204 };
    }
    if (/^\/orgs\/[^/]+\/invitations$/.test(path) && method === 'GET') {
      const denied = need('members=read');
      if (denied) return denied;
      return this.page(url, state.invitations);
    }
    if ((m = /^\/orgs\/[^/]+\/invitations\/(\d+)$/.exec(path)) && method === 'DELETE') {
      const denied = need('members=write');
      if (denied) return denied;
      const index = state.invitations.findIndex((i) => i.id === Number(m?.[1]));
      if (index < 0) return notFound();
      state.invitations.splice(index, 1);
      return { status: 204 };
    }
    if (path.startsWith(`/scim/v2/enterprises/`)) return this.scim(method, url, body, permissions);
    return notFound();
  }

  /** One page of a list, with a Link header to the next and last pages as GitHub sends them. */
  private page<T>(url: URL, items: readonly T[]): Answer {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const target = new URL(url);
      target.searchParams.set('page', String(n));
      target.searchParams.set('per_page', String(perPage));
      return `<${target.toString()}>; rel="${rel}"`;
    };
    const links = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  }

  private scim(
    method: string,
    url: URL,
    body: unknown,
    permissions: ReadonlySet<StandinPermission>,
  ): Answer {
    const { state } = this;
    const m = /^\/scim\/v2\/enterprises\/([^/]+)\/Users(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m || m[1] !== state.enterprise) return scimError(404, 'Resource not found');
    if (!permissions.has('scim')) return forbidden('scim');
    const id = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    if (id === undefined && method === 'GET') {
      const filter = url.searchParams.get('filter');
      const count = Number(url.searchParams.get('count') ?? 100);
      const eq = /^userName eq "((?:[^"\\]|\\.)*)"$/.exec(filter ?? '');
      if (filter !== null && !eq) return scimError(400, `Invalid filter: ${filter}`);
      const userName = eq ? (JSON.parse(`"${eq[1] ?? ''}"`) as string) : undefined;
      const found = [...state.managedUsers.values()]
        .filter(
          (u) => userName === undefined || u.userName.toLowerCase() === userName.toLowerCase(),
        )
        .slice(0, count);
      return {
        status: 200,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
          totalResults: found.length,
          itemsPerPage: found.length,
          startIndex: 1,
          Resources: found.map(scimUser),
        },
      };
    }
    const user = id === undefined ? undefined : state.managedUsers.get(id);
    if (!user) return scimError(404, 'Resource not found');
    if (method === 'GET') return { status: 200, body: scimUser(user) };
    if (method === 'PATCH') {
      const ops = (body as { Operations?: Array<{ op?: string; path?: string; value?: unknown }> })
        ?.Operations;
      const op = ops?.[0];
      if (!op || op.op !== 'replace' || op.path !== 'active' || typeof op.value !== 'boolean')
        return scimError(400, 'Unsupported patch operation');
      user.active = op.value;
      return { status: 200, body: scimUser(user) };
    }
    return scimError(405, 'Method not allowed');
  }
}

function scimUser(user: { id: string; userName: string; active: boolean }) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: user.id,
    userName: user.userName,
    active: user.active,
    meta: { resourceType: 'User' },
  };
}

function scimError(status: number, detail: string): Answer {
  return {
    status,
    body: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: String(status),
      detail,
    },
  };
}

function notFound(): Answer {
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
}

function forbidden(permission: StandinPermission): Answer {
  return {
    status: 403,
    body: {
      message: 'Resource not accessible by personal access token',
      documentation_url: DOCS,
    },
    headers:
      permission === 'identities' || permission === 'scim'
        ? {}
        : { 'x-accepted-github-permissions': permission },
  };
}

function tokenOf(authorization: string | undefined): string {
  return (authorization ?? '').replace(/^(token|bearer)\s+/i, '');
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
