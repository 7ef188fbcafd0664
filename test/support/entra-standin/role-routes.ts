// GET /users/{id}/transitiveMemberOf/microsoft.graph.directoryRole, paged like Graph. Without a
// permission that may read roles, Graph still lists them but with every property null except the
// id and type ("limited information for inaccessible member objects"); the stand-in does the same.
import type { GraphResult } from './graph-result';
import { badRequest } from './graph-result';
import { context, project, selection } from './odata';
import type { RouteContext } from './route-types';
import { withUser } from './user-routes';

const ROLE_PROPERTIES = { id: null, displayName: null, description: null, roleTemplateId: null };
const ROLE_READERS = [
  'RoleManagement.Read.Directory',
  'RoleManagement.ReadWrite.Directory',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

function skipToken(offset: number): string {
  return Buffer.from(`RoleSkip:${offset}`).toString('base64url');
}

function readSkipToken(token: string): number | undefined {
  const m = /^RoleSkip:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export function transitiveDirectoryRoles(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const q = ctx.call.query;
    const top = q.has('$top') ? Number(q.get('$top')) : 100;
    if (!Number.isInteger(top) || top < 1 || top > 999) {
      return badRequest(ctx.call, `Invalid page size specified: '${q.get('$top') ?? ''}'.`);
    }
    const token = q.get('$skiptoken');
    const offset = token === null ? 0 : readSkipToken(token);
    if (offset === undefined) return badRequest(ctx.call, 'Invalid skip token.');
    const sel = selection(ctx, ROLE_PROPERTIES, 'microsoft.graph.directoryRole');
    if (!sel.ok) return sel.result;
    const mayRead = ctx.call.roles.some((r) => ROLE_READERS.includes(r));
    const all = ctx.state.transitiveRolesOf(user.id);
    const page = all.slice(offset, offset + top).map((role) => {
      const resource = mayRead
        ? {
            id: role.id,
            displayName: role.displayName,
            description: null,
            roleTemplateId: role.roleTemplateId,
          }
        : { id: role.id, displayName: null, description: null, roleTemplateId: null };
      return { '@odata.type': '#microsoft.graph.directoryRole', ...project(resource, sel.props) };
    });
    const body: Record<string, unknown> = {
      '@odata.context': context(ctx, 'directoryRoles', sel.props),
      value: page,
    };
    if (offset + top < all.length) {
      const next = new URLSearchParams();
      if (sel.props) next.set('$select', sel.props.join(','));
      next.set('$top', String(top));
      next.set('$skiptoken', skipToken(offset + top));
      body['@odata.nextLink'] = `${ctx.origin}${ctx.call.path}?${next.toString()}`;
    }
    return { status: 200, body };
  });
}
