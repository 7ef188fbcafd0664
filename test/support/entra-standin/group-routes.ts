// Graph routes on groups: GET /groups/{id} and its direct members (paged with $top), as the
// doctor reads the approver and protected groups; the transitive user members, as the bot lists
// the approvers to @mention.
import type { GraphResult } from './graph-result';
import { badRequest, notFound } from './graph-result';
import {
  context,
  project,
  selection,
  USER_DEFAULT_SELECT,
  USER_PROPERTIES,
  userResource,
} from './odata';
import { pageOf, pageRequest } from './paging';
import type { RouteContext } from './route-types';
import type { StandinGroup, StandinState, StandinUser } from './state';

const GROUP_PROPERTIES = ['id', 'displayName', 'mailEnabled', 'securityEnabled', 'groupTypes'];

function groupResource(group: StandinGroup): Record<string, unknown> {
  return {
    id: group.id,
    displayName: group.displayName,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
  };
}

function withGroup(ctx: RouteContext, fn: (group: StandinGroup) => GraphResult): GraphResult {
  const id = ctx.params[0] ?? '';
  // Graph answers a key that is not a GUID with 400, and an unknown GUID with 404.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    return badRequest(ctx.call, `Invalid object identifier '${id}'.`);
  }
  const group = ctx.state.groups.get(id);
  return group ? fn(group) : notFound(ctx.call, id);
}

export function getGroup(ctx: RouteContext): GraphResult {
  return withGroup(ctx, (group) => {
    const resource = groupResource(group);
    const sel = selection(ctx, resource, 'microsoft.graph.group');
    if (!sel.ok) return sel.result;
    return {
      status: 200,
      body: {
        '@odata.context': context(ctx, 'groups', sel.props, '/$entity'),
        ...project(resource, sel.props, GROUP_PROPERTIES),
      },
    };
  });
}

export function groupMembers(ctx: RouteContext): GraphResult {
  return withGroup(ctx, (group) => {
    const q = ctx.call.query;
    const top = q.has('$top') ? Number(q.get('$top')) : 100;
    if (!Number.isInteger(top) || top < 1 || top > 999) {
      return badRequest(
        ctx.call,
        `Invalid page size specified: '${q.get('$top') ?? ''}'. Must be between 1 and 999 inclusive.`,
      );
    }
    const members = group.memberIds.map((id) => {
      const user = ctx.state.users.get(id);
      if (user)
        return { '@odata.type': '#microsoft.graph.user', id, displayName: user.displayName };
      const nested = ctx.state.groups.get(id);
      return {
        '@odata.type': '#microsoft.graph.group',
        id,
        displayName: nested?.displayName ?? null,
      };
    });
    const sel = selection(ctx, { id: null, displayName: null }, 'microsoft.graph.directoryObject');
    if (!sel.ok) return sel.result;
    const body: Record<string, unknown> = {
      '@odata.context': context(ctx, 'directoryObjects', sel.props),
      value: members.slice(0, top).map((m) => ({
        '@odata.type': m['@odata.type'],
        ...project(m, sel.props, ['id', 'displayName']),
      })),
    };
    if (members.length > top) {
      body['@odata.nextLink'] = `${ctx.origin}${ctx.call.path}?$top=${top}&$skiptoken=opaque`;
    }
    return { status: 200, body };
  });
}

/** Without one of these, Graph still lists user members, but with every property null but id. */
const USER_READERS = [
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

/** Users reached through any depth of nesting, each once; a cycle of groups ends the walk. */
function transitiveUsers(state: StandinState, group: StandinGroup): StandinUser[] {
  const users: StandinUser[] = [];
  const seenUsers = new Set<string>();
  const seenGroups = new Set<string>([group.id]);
  const queue = [group];
  while (queue.length > 0) {
    const next = queue.shift() as StandinGroup;
    for (const id of next.memberIds) {
      const user = state.users.get(id);
      if (user && !seenUsers.has(id)) {
        seenUsers.add(id);
        users.push(user);
      }
      const nested = state.groups.get(id);
      if (nested && !seenGroups.has(id)) {
        seenGroups.add(id);
        queue.push(nested);
      }
    }
  }
  return users;
}

/** GET /groups/{id}/transitiveMembers/microsoft.graph.user, paged with $top and $skiptoken. */
export function transitiveUserMembers(ctx: RouteContext): GraphResult {
  return withGroup(ctx, (group) => {
    const paging = pageRequest(ctx);
    if (!paging.ok) return paging.result;
    const sel = selection(ctx, USER_PROPERTIES, 'microsoft.graph.user');
    if (!sel.ok) return sel.result;
    const mayRead = ctx.call.roles.some((r) => USER_READERS.includes(r));
    const all = transitiveUsers(ctx.state, group);
    const page = pageOf(ctx, all, paging);
    const value = page.items.map((user) => {
      const resource = mayRead ? userResource(user) : { id: user.id };
      return project(resource, sel.props, USER_DEFAULT_SELECT);
    });
    const body: Record<string, unknown> = {
      '@odata.context': context(ctx, 'users', sel.props),
      value,
    };
    if (page.nextLink) body['@odata.nextLink'] = page.nextLink;
    return { status: 200, body };
  });
}
