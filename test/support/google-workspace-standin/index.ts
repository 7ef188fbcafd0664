// Google Workspace as the Admin SDK meets it, over HTTPS with the test CA: the OAuth 2.0 token
// endpoint for service accounts with domain-wide delegation, and the Directory API's users.get,
// users.list (search by `email=`, paging with pageToken), users.signOut and users.update. Scopes
// are enforced per method as Google documents them; errors come in Google's shapes; throttling is
// injected as 429 or 403 rateLimitExceeded, with Retry-After.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithTestTls, type TlsListener } from '../test-tls-server';
import { GOOGLE_ERRORS, type GoogleErrorAnswer } from './google-error-bodies';
import { makeServiceAccount, writeKeyFile, type TestServiceAccount } from './service-account';
import { checkJwtBearer, type DelegatedClient, type Grant } from './token-endpoint';

export { makeServiceAccount, writeKeyFile, keyFileJson } from './service-account';
export type { TestServiceAccount } from './service-account';

export const SCOPES = {
  user: 'https://www.googleapis.com/auth/admin.directory.user',
  userReadonly: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
  security: 'https://www.googleapis.com/auth/admin.directory.user.security',
} as const;

const USERS = '/admin/directory/v1/users';
const CUSTOMER_ID = 'C03revoke';

export interface StandinGoogleUser {
  id: string;
  primaryEmail: string;
  aliases: string[];
  suspended: boolean;
  isAdmin: boolean;
  /** users.signOut calls that reached this user. */
  signOuts: number;
}

export interface GoogleCall {
  /** "GET /users", "GET /users/{userKey}", "POST /users/{userKey}/signOut", "PUT /users/{userKey}", "POST /token". */
  route: string;
  userKey?: string;
  query?: string;
  status: number;
}

export interface GoogleFault {
  route: string;
  answer: () => GoogleErrorAnswer;
  retryAfterSeconds?: number;
  times: number;
}

export class GoogleWorkspaceStandin {
  readonly users: StandinGoogleUser[] = [];
  readonly clients: DelegatedClient[] = [];
  readonly calls: GoogleCall[] = [];
  readonly faults: GoogleFault[] = [];
  /** Users per users.list page (Google's default is 100). */
  pageSize = 100;
  private readonly tokens = new Map<string, Grant>();
  private listener: TlsListener | undefined;
  private nextId = 1;

  get origin(): string {
    if (!this.listener) throw new Error('Google Workspace stand-in not started');
    return `https://127.0.0.1:${this.listener.port}`;
  }

  get tokenUrl(): string {
    return `${this.origin}/token`;
  }

  async start(): Promise<this> {
    this.listener = await listenWithTestTls((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.listener?.close();
  }

  addUser(
    primaryEmail: string,
    options: Partial<Pick<StandinGoogleUser, 'aliases' | 'suspended' | 'isAdmin'>> = {},
  ): StandinGoogleUser {
    const user: StandinGoogleUser = {
      id: String(104_000_000_000_000_000_000n + BigInt(this.nextId++)),
      primaryEmail,
      aliases: options.aliases ?? [],
      suspended: options.suspended ?? false,
      isAdmin: options.isAdmin ?? false,
      signOuts: 0,
    };
    this.users.push(user);
    return user;
  }

  /** A service account whose client id is delegated `scopes` in the Admin console. */
  addServiceAccount(scopes: readonly string[], account = makeServiceAccount()): TestServiceAccount {
    this.clients.push({
      clientEmail: account.clientEmail,
      clientId: account.clientId,
      publicKey: account.publicKey,
      scopes: new Set(scopes),
    });
    return account;
  }

  /** Writes the account's key file pointing at this stand-in's token endpoint. */
  writeKeyFile(path: string, account: TestServiceAccount): string {
    return writeKeyFile(path, account, this.tokenUrl);
  }

  /** The next `times` calls of `route` get `answer` (with Retry-After when given). */
  fail(fault: Omit<GoogleFault, 'times'> & { times?: number }): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  callsOf(route: string): GoogleCall[] {
    return this.calls.filter((c) => c.route === route);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'https://standin');
    const call = route(req.method ?? 'GET', url.pathname);
    const answer = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({ ...call, status, ...queryOf(url) });
      res.writeHead(status, {
        ...(json === undefined ? {} : { 'content-type': 'application/json; charset=UTF-8' }),
        ...headers,
      });
      res.end(json === undefined ? undefined : JSON.stringify(json));
    };
    const fault = this.faults.find((f) => f.route === call.route && f.times > 0);
    if (fault) {
      fault.times--;
      const injected = fault.answer();
      const retry: Record<string, string> =
        fault.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(fault.retryAfterSeconds) };
      answer(injected.status, injected.body, { ...retry, ...injected.headers });
      return;
    }
    const result =
      call.route === 'POST /token' ? this.token(body) : this.directory(req, url, call, body);
    answer(result.status, result.body, result.headers);
  }

  private token(body: string): GoogleErrorAnswer {
    const outcome = checkJwtBearer(
      new URLSearchParams(body),
      this.clients,
      (email) => this.byKey(email) !== undefined,
      Math.floor(Date.now() / 1000),
    );
    if (!('grant' in outcome)) return outcome;
    const accessToken = `ya29.standin-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(accessToken, outcome.grant);
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' },
    };
  }

  private directory(
    req: IncomingMessage,
    url: URL,
    call: Pick<GoogleCall, 'route' | 'userKey'>,
    body: string,
  ): GoogleErrorAnswer {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const grant = bearer === undefined ? undefined : this.tokens.get(bearer);
    if (!grant) return GOOGLE_ERRORS.unauthenticated();
    const needs = NEEDS[call.route];
    if (!needs) return GOOGLE_ERRORS.notFound(url.pathname);
    if (!grant.scopes.some((scope) => needs.includes(scope)))
      return GOOGLE_ERRORS.insufficientScopes();
    // The service account can do only what the administrator it acts as may do.
    if (!this.byKey(grant.subject)?.isAdmin) return GOOGLE_ERRORS.notAdmin();
    if (call.route === 'GET /users') return this.list(url);
    const user = this.byKey(call.userKey ?? '');
    if (!user) return GOOGLE_ERRORS.notFound('userKey');
    if (call.route === 'GET /users/{userKey}') return { status: 200, body: toJson(user) };
    if (call.route === 'POST /users/{userKey}/signOut') {
      if (body !== '') return GOOGLE_ERRORS.invalid('The request body must be empty.');
      user.signOuts++;
      return { status: 204, body: undefined };
    }
    // PUT: users.update. Only `suspended` is modelled; other fields are left as they are.
    const update = parseJson(body);
    if (typeof update !== 'object' || update === null) return GOOGLE_ERRORS.invalid();
    const suspended = (update as { suspended?: unknown }).suspended;
    if (suspended !== undefined && typeof suspended !== 'boolean') return GOOGLE_ERRORS.invalid();
    if (typeof suspended === 'boolean') user.suspended = suspended;
    return { status: 200, body: toJson(user) };
  }

  /** users.list: a customer is required; `email=` matches primary addresses and aliases exactly. */
  private list(url: URL): GoogleErrorAnswer {
    const customer = url.searchParams.get('customer');
    if (!customer && !url.searchParams.get('domain')) return GOOGLE_ERRORS.badRequest();
    if (customer && customer !== 'my_customer' && customer !== CUSTOMER_ID)
      return GOOGLE_ERRORS.badRequest('Bad Request');
    const query = url.searchParams.get('query');
    let matching = this.users;
    if (query !== null) {
      const wanted = parseEmailQuery(query);
      if (wanted === undefined) return GOOGLE_ERRORS.invalid('Invalid Input: query');
      matching = this.users.filter((u) =>
        [u.primaryEmail, ...u.aliases].some((a) => a.toLowerCase() === wanted.toLowerCase()),
      );
    }
    const max = Number(url.searchParams.get('maxResults') ?? this.pageSize);
    const size = Math.min(this.pageSize, Number.isInteger(max) && max > 0 ? max : this.pageSize);
    const token = url.searchParams.get('pageToken');
    const start = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0)
      return GOOGLE_ERRORS.invalid('Invalid Input: pageToken');
    const page = matching.slice(start, start + size);
    const next = start + size < matching.length;
    return {
      status: 200,
      body: {
        kind: 'admin#directory#users',
        etag: '"standin"',
        ...(page.length > 0 ? { users: page.map(toJson) } : {}),
        ...(next ? { nextPageToken: Buffer.from(String(start + size)).toString('base64url') } : {}),
      },
    };
  }

  /** A userKey: the unique id, the primary email or an alias (case aside). */
  private byKey(key: string): StandinGoogleUser | undefined {
    const wanted = key.toLowerCase();
    return this.users.find(
      (u) =>
        u.id === key ||
        u.primaryEmail.toLowerCase() === wanted ||
        u.aliases.some((a) => a.toLowerCase() === wanted),
    );
  }
}

/** The scopes Google accepts for each method (any one of them). */
const NEEDS: Record<string, readonly string[]> = {
  'GET /users': [SCOPES.user, SCOPES.userReadonly],
  'GET /users/{userKey}': [SCOPES.user, SCOPES.userReadonly],
  'PUT /users/{userKey}': [SCOPES.user],
  'POST /users/{userKey}/signOut': [SCOPES.security],
};

function route(method: string, path: string): Pick<GoogleCall, 'route' | 'userKey'> {
  if (method === 'POST' && path === '/token') return { route: 'POST /token' };
  if (path === USERS) return { route: `${method} /users` };
  const signOut = new RegExp(`^${USERS}/([^/]+)/signOut$`).exec(path);
  if (signOut)
    return {
      route: `${method} /users/{userKey}/signOut`,
      userKey: decodeURIComponent(signOut[1] ?? ''),
    };
  const one = new RegExp(`^${USERS}/([^/]+)$`).exec(path);
  if (one)
    return { route: `${method} /users/{userKey}`, userKey: decodeURIComponent(one[1] ?? '') };
  return { route: `${method} ${path}` };
}

function queryOf(url: URL): Pick<GoogleCall, 'query'> {
  const query = url.searchParams.get('query');
  return query === null ? {} : { query };
}

/** `email=value` or `email='value'` with \' and \\ escapes; anything else is not modelled. */
export function parseEmailQuery(query: string): string | undefined {
  const quoted = /^email='((?:[^'\\]|\\.)*)'$/.exec(query);
  if (quoted) return (quoted[1] ?? '').replace(/\\(.)/g, '$1');
  const bare = /^email=([^\s']+)$/.exec(query);
  return bare?.[1];
}

function toJson(user: StandinGoogleUser): Record<string, unknown> {
  return {
    kind: 'admin#directory#user',
    id: user.id,
    etag: `"${user.id}-${user.suspended ? 's' : 'a'}"`,
    primaryEmail: user.primaryEmail,
    name: { fullName: user.primaryEmail.split('@')[0] },
    isAdmin: user.isAdmin,
    isDelegatedAdmin: false,
    suspended: user.suspended,
    customerId: CUSTOMER_ID,
    orgUnitPath: '/',
    ...(user.aliases.length > 0 ? { aliases: [...user.aliases] } : {}),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
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
