// The Users, User Lifecycle and User Sessions routes Revoke uses, with the scope Okta's reference
// names for each and Okta's state rules: suspend only from ACTIVE, unsuspend only from SUSPENDED,
// deactivate from anything but DEPROVISIONED (and it ends the user's sessions, as deprovisioning
// does); the sessions DELETE ends every session and, with oauthTokens=true, every OAuth token.
import { E, oktaError, type OktaAnswer } from './okta-answer';
import { userResource, type OrgState, type StandinOktaUser } from './org-state';
import { matches, pageLimit, pageOf, parseExpression } from './user-query';

export interface RouteContext {
  params: string[];
  url: URL;
  state: OrgState;
  origin: string;
}

export interface UserRoute {
  method: string;
  pattern: RegExp;
  /** Counter key, e.g. `POST /api/v1/users/{id}/lifecycle/suspend`. */
  name: string;
  scope: 'okta.users.read' | 'okta.users.manage';
  handle(ctx: RouteContext): OktaAnswer;
}

const ID = '([^/]+)';

function notFound(id: string): OktaAnswer {
  return oktaError(404, E.notFound, `Not found: Resource not found: ${id} (User)`);
}

function withUser(
  ctx: RouteContext,
  byLogin: boolean,
  then: (user: StandinOktaUser) => OktaAnswer,
): OktaAnswer {
  const id = decodeURIComponent(ctx.params[0] ?? '');
  const user = byLogin ? ctx.state.findByIdOrLogin(id) : ctx.state.users.get(id);
  return user ? then(user) : notFound(id);
}

function lifecycle(
  verb: string,
  allowed: (u: StandinOktaUser) => boolean,
  cause: string,
  apply: (u: StandinOktaUser, state: OrgState) => void,
): UserRoute {
  return {
    method: 'POST',
    pattern: new RegExp(`^/api/v1/users/${ID}/lifecycle/${verb}$`),
    name: `POST /api/v1/users/{id}/lifecycle/${verb}`,
    scope: 'okta.users.manage',
    handle: (ctx) =>
      withUser(ctx, true, (user) => {
        if (!allowed(user))
          return oktaError(400, E.validation, `Api validation failed: ${verb}`, [cause]);
        apply(user, ctx.state);
        // Okta answers these operations 200 with an empty JSON object.
        return { status: 200, body: {} };
      }),
  };
}

function listUsers(ctx: RouteContext): OktaAnswer {
  const { url, state, origin } = ctx;
  const search = url.searchParams.get('search');
  const filter = url.searchParams.get('filter');
  let users = [...state.users.values()];
  if (search !== null) {
    const expr = parseExpression(search, 'search');
    if (!expr) return oktaError(400, E.invalidSearch, 'Invalid search criteria.');
    users = users.filter((u) => matches(u, expr, true));
  } else if (filter !== null) {
    const expr = parseExpression(filter, 'filter');
    if (!expr) return oktaError(400, E.invalidSearch, 'Invalid search criteria.');
    users = users.filter((u) => matches(u, expr, false));
  } else {
    users = users.filter((u) => u.status !== 'DEPROVISIONED');
  }
  const limit = pageLimit(url.searchParams.get('limit'));
  const page = pageOf(users, url.searchParams.get('after'), limit);
  const self = new URL(url.pathname + url.search, origin);
  const links = [`<${self.href}>; rel="self"`];
  if (page.nextAfter) {
    const next = new URL(self.href);
    next.searchParams.set('after', page.nextAfter);
    next.searchParams.set('limit', String(limit));
    links.push(`<${next.href}>; rel="next"`);
  }
  return {
    status: 200,
    body: page.users.map((u) => userResource(u, origin)),
    headers: { Link: links.join(', ') },
  };
}

export const USER_ROUTES: UserRoute[] = [
  {
    method: 'GET',
    pattern: /^\/api\/v1\/users$/,
    name: 'GET /api/v1/users',
    scope: 'okta.users.read',
    handle: listUsers,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/v1/users/${ID}$`),
    name: 'GET /api/v1/users/{id}',
    scope: 'okta.users.read',
    handle: (ctx) =>
      withUser(ctx, true, (u) => ({ status: 200, body: userResource(u, ctx.origin) })),
  },
  lifecycle(
    'suspend',
    (u) => u.status === 'ACTIVE',
    'Only users in ACTIVE status can be suspended.',
    (u, state) => state.setStatus(u, 'SUSPENDED'),
  ),
  lifecycle(
    'unsuspend',
    (u) => u.status === 'SUSPENDED',
    'Only users in SUSPENDED status can be unsuspended.',
    (u, state) => state.setStatus(u, 'ACTIVE'),
  ),
  lifecycle(
    'deactivate',
    (u) => u.status !== 'DEPROVISIONED',
    'The user is already deactivated.',
    (u, state) => {
      state.setStatus(u, 'DEPROVISIONED');
      u.sessions = 0;
      u.oauthTokens = 0;
    },
  ),
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/v1/users/${ID}/sessions$`),
    name: 'DELETE /api/v1/users/{id}/sessions',
    scope: 'okta.users.manage',
    // This one takes the user's id only, not a login.
    handle: (ctx) =>
      withUser(ctx, false, (u) => {
        u.sessions = 0;
        if (ctx.url.searchParams.get('oauthTokens') === 'true') u.oauthTokens = 0;
        return { status: 204 };
      }),
  },
];
