// Graph routes on groups: GET /groups/{id} and its direct members (paged with $top), as the
// doctor reads the approver and protected groups.
import type { GraphResult } from './graph-result';
import { badRequest, notFound } from './graph-result';
import { context, project, selection } from './odata';
import type { RouteContext } from './route-types';
import type { StandinGroup } from './state';

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
