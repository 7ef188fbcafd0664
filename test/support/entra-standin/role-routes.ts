// GET /users/{id}/transitiveMemberOf/microsoft.graph.directoryRole, paged like Graph. Without a
// permission that may read roles, Graph still lists them but with every property null except the
// id and type ("limited information for inaccessible member objects"); the stand-in does the same.
import type { GraphResult } from './graph-result';
import { context, project, selection } from './odata';
import { pageOf, pageRequest } from './paging';
import type { RouteContext } from './route-types';
import { withUser } from './user-routes';

const ROLE_PROPERTIES = { id: null, displayName: null, description: null, roleTemplateId: null };
const ROLE_READERS = [
  'RoleManagement.Read.Directory',
  'RoleManagement.ReadWrite.Directory',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

export function transitiveDirectoryRoles(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const paging = pageRequest(ctx);
    if (!paging.ok) return paging.result;
    const sel = selection(ctx, ROLE_PROPERTIES, 'microsoft.graph.directoryRole');
    if (!sel.ok) return sel.result;
    const mayRead = ctx.call.roles.some((r) => ROLE_READERS.includes(r));
    const all = ctx.state.transitiveRolesOf(user.id);
    const page = pageOf(ctx, all, paging);
    const value = page.items.map((role) => {
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
      value,
    };
    if (page.nextLink) body['@odata.nextLink'] = page.nextLink;
    return { status: 200, body };
  });
}
