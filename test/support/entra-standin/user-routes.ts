// Graph routes on /users: lookup, filter, PATCH, revokeSignInSessions, checkMemberGroups, manager.
import type { GraphResult } from './graph-result';
import { badRequest, graphError, notFound } from './graph-result';
import {
  bodyObject,
  context,
  project,
  selection,
  USER_DEFAULT_SELECT,
  USER_PROPERTIES,
  userResource,
} from './odata';
import { pageOf, pageRequest } from './paging';
import type { RouteContext } from './route-types';
import type { StandinUser } from './state';
import { graphTime } from './state';

export function withUser(ctx: RouteContext, fn: (user: StandinUser) => GraphResult): GraphResult {
  const key = ctx.params[0] ?? '';
  const user = ctx.state.findUser(key);
  return user ? fn(user) : notFound(ctx.call, key);
}

export function getUser(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const resource = userResource(user);
    const sel = selection(ctx, resource, 'microsoft.graph.user');
    if (!sel.ok) return sel.result;
    return {
      status: 200,
      body: {
        '@odata.context': context(ctx, 'users', sel.props, '/$entity'),
        ...project(resource, sel.props, USER_DEFAULT_SELECT),
      },
    };
  });
}

const FILTER = /^\s*(mail|userPrincipalName)\s+eq\s+'((?:[^']|'')*)'\s*$/i;

export function listUsers(ctx: RouteContext): GraphResult {
  const filter = ctx.call.query.get('$filter');
  let users = [...ctx.state.users.values()];
  if (filter !== null) {
    const m = FILTER.exec(filter);
    if (!m) {
      return graphError(
        ctx.call,
        400,
        'Request_UnsupportedQuery',
        'Unsupported or invalid query filter clause specified.',
      );
    }
    const prop = (m[1] ?? '').toLowerCase() === 'mail' ? 'mail' : 'userPrincipalName';
    const value = (m[2] ?? '').replace(/''/g, "'").toLowerCase();
    users = users.filter((u) => (u[prop] ?? '').toLowerCase() === value);
  }
  const sel = selection(ctx, USER_PROPERTIES, 'microsoft.graph.user');
  if (!sel.ok) return sel.result;
  const paging = pageRequest(ctx);
  if (!paging.ok) return paging.result;
  // mail is not unique in Entra ID: every user with it matches, in no promised order.
  const page = pageOf(ctx, users, paging);
  const body: Record<string, unknown> = {
    '@odata.context': context(ctx, 'users', sel.props),
    value: page.items.map((u) => project(userResource(u), sel.props, USER_DEFAULT_SELECT)),
  };
  if (page.nextLink) body['@odata.nextLink'] = page.nextLink;
  return { status: 200, body };
}

const PATCHABLE_USER = new Set(['accountEnabled', 'displayName', 'jobTitle', 'department']);

export function patchUser(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const body = bodyObject(ctx.call);
    if (!body || Object.keys(body).length === 0)
      return badRequest(ctx.call, 'Empty Payload. JSON content expected.');
    for (const key of Object.keys(body)) {
      if (!PATCHABLE_USER.has(key)) {
        return badRequest(
          ctx.call,
          `Property '${key}' does not exist on type 'microsoft.graph.user' or cannot be updated.`,
        );
      }
    }
    // User.EnableDisableAccount.All allows exactly one property to change.
    const broad = ['User.ReadWrite.All', 'Directory.ReadWrite.All'].some((r) =>
      ctx.call.roles.includes(r),
    );
    if (!broad && Object.keys(body).some((k) => k !== 'accountEnabled')) {
      return graphError(
        ctx.call,
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    }
    if ('accountEnabled' in body && typeof body['accountEnabled'] !== 'boolean') {
      return badRequest(
        ctx.call,
        "Invalid value specified for property 'accountEnabled' of resource 'User'.",
      );
    }
    Object.assign(user, body);
    return { status: 204 };
  });
}

export function revokeSessions(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    user.signInSessionsValidFromDateTime = graphTime(new Date());
    return {
      status: 200,
      body: { '@odata.context': `${ctx.origin}/v1.0/$metadata#Edm.Boolean`, value: true },
    };
  });
}

export function checkMemberGroups(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const ids = bodyObject(ctx.call)?.['groupIds'];
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      return badRequest(ctx.call, "Invalid request: 'groupIds' must be an array of strings.");
    }
    if (ids.length > 20) {
      return badRequest(ctx.call, 'Invalid request: the number of group ids cannot exceed 20.');
    }
    const member = ctx.state.transitiveGroupsOf(user.id);
    return {
      status: 200,
      body: {
        '@odata.context': `${ctx.origin}/v1.0/$metadata#Collection(Edm.String)`,
        value: (ids as string[]).filter((id) => member.has(id)),
      },
    };
  });
}

export function manager(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const boss = user.managerId === undefined ? undefined : ctx.state.users.get(user.managerId);
    if (!boss) return notFound(ctx.call, 'manager');
    const resource = userResource(boss);
    const sel = selection(ctx, resource, 'microsoft.graph.directoryObject');
    if (!sel.ok) return sel.result;
    return {
      status: 200,
      body: {
        '@odata.context': context(ctx, 'directoryObjects', sel.props, '/$entity'),
        '@odata.type': '#microsoft.graph.user',
        ...project(resource, sel.props, USER_DEFAULT_SELECT),
      },
    };
  });
}
