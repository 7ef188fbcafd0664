// Entra ID role management as Graph v1.0 serves it: role definitions (with isPrivileged), active
// role assignments and PIM eligibility schedule instances, filtered by principalId; and a user's
// transitive memberships, where groups the app may not read come back with every property null.
import type { GraphResult } from './graph-result';
import { badRequest } from './graph-result';
import { context, project, selection } from './odata';
import { pageOf, pageRequest } from './paging';
import type { RouteContext } from './route-types';
import type { StandinRoleGrant } from './state';
import { withUser } from './user-routes';

const DEFINITION_PROPERTIES = {
  id: null,
  description: null,
  displayName: null,
  isBuiltIn: null,
  isEnabled: null,
  isPrivileged: null,
  templateId: null,
  version: null,
  rolePermissions: null,
};
const GRANT_PROPERTIES = {
  id: null,
  roleDefinitionId: null,
  principalId: null,
  directoryScopeId: null,
  appScopeId: null,
};
const INSTANCE_PROPERTIES = {
  ...GRANT_PROPERTIES,
  startDateTime: null,
  endDateTime: null,
  memberType: null,
  roleEligibilityScheduleId: null,
};
const MEMBERSHIP_PROPERTIES = {
  id: null,
  displayName: null,
  description: null,
  isAssignableToRole: null,
  mail: null,
  securityEnabled: null,
  roleTemplateId: null,
};
/** Permissions that let the app read groups' properties in a membership listing. */
const GROUP_READERS = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
/** `principalId eq '…'`, the one filter Revoke sends (Graph also takes others). */
const PRINCIPAL_FILTER = /^principalId eq '([0-9a-fA-F-]{36})'$/;

export function listRoleDefinitions(ctx: RouteContext): GraphResult {
  if (ctx.call.query.has('$filter')) {
    return badRequest(ctx.call, 'Unsupported or invalid query filter clause specified.');
  }
  const paging = pageRequest(ctx);
  if (!paging.ok) return paging.result;
  const sel = selection(ctx, DEFINITION_PROPERTIES, 'microsoft.graph.unifiedRoleDefinition');
  if (!sel.ok) return sel.result;
  const all = [...ctx.state.roleDefinitions.values()];
  const page = pageOf(ctx, all, paging);
  const value = page.items.map((d) =>
    project(
      {
        ...d,
        description: null,
        isEnabled: true,
        version: '1',
        rolePermissions: [],
      },
      sel.props,
    ),
  );
  return collection(ctx, 'roleManagement/directory/roleDefinitions', sel.props, value, page);
}

export function listRoleAssignments(ctx: RouteContext): GraphResult {
  return listGrants(ctx, 'active', GRANT_PROPERTIES, 'roleAssignments', 'unifiedRoleAssignment');
}

export function listRoleEligibilityInstances(ctx: RouteContext): GraphResult {
  return listGrants(
    ctx,
    'eligible',
    INSTANCE_PROPERTIES,
    'roleEligibilityScheduleInstances',
    'unifiedRoleEligibilityScheduleInstance',
  );
}

function listGrants(
  ctx: RouteContext,
  kind: StandinRoleGrant['kind'],
  known: Record<string, unknown>,
  set: string,
  type: string,
): GraphResult {
  const filter = ctx.call.query.get('$filter');
  const m = filter === null ? null : PRINCIPAL_FILTER.exec(filter);
  if (filter !== null && !m) {
    return badRequest(ctx.call, 'Unsupported or invalid query filter clause specified.');
  }
  const paging = pageRequest(ctx);
  if (!paging.ok) return paging.result;
  const sel = selection(ctx, known, `microsoft.graph.${type}`);
  if (!sel.ok) return sel.result;
  const principal = m?.[1]?.toLowerCase();
  const all = ctx.state.roleGrants.filter(
    (g) =>
      g.kind === kind && (principal === undefined || g.principalId.toLowerCase() === principal),
  );
  const page = pageOf(ctx, all, paging);
  const value = page.items.map((g) => {
    const { kind: _kind, ...grant } = g;
    const extra =
      kind === 'eligible'
        ? {
            startDateTime: '2025-01-01T00:00:00Z',
            endDateTime: null,
            memberType: 'Direct',
            roleEligibilityScheduleId: g.id,
          }
        : {};
    return project({ ...grant, appScopeId: null, ...extra }, sel.props);
  });
  return collection(ctx, `roleManagement/directory/${set}`, sel.props, value, page);
}

/** GET /users/{id}/transitiveMemberOf: groups (nesting followed) and activated directory roles. */
export function transitiveMemberOf(ctx: RouteContext): GraphResult {
  return withUser(ctx, (user) => {
    const paging = pageRequest(ctx);
    if (!paging.ok) return paging.result;
    const sel = selection(ctx, MEMBERSHIP_PROPERTIES, 'microsoft.graph.directoryObject');
    if (!sel.ok) return sel.result;
    const mayReadGroups = ctx.call.roles.some((r) => GROUP_READERS.includes(r));
    const groupIds = ctx.state.transitiveGroupsOf(user.id);
    const groups = [...groupIds].flatMap((id) => {
      const group = ctx.state.groups.get(id);
      if (!group) return [];
      const resource = mayReadGroups
        ? {
            id: group.id,
            displayName: group.displayName,
            description: null,
            isAssignableToRole: group.isAssignableToRole ?? false,
            mail: null,
            securityEnabled: true,
          }
        : { id: group.id };
      return [{ '@odata.type': '#microsoft.graph.group', ...project(resource, sel.props) }];
    });
    const page = pageOf(ctx, groups, paging);
    return collection(ctx, 'directoryObjects', sel.props, page.items, page);
  });
}

function collection(
  ctx: RouteContext,
  set: string,
  props: string[] | undefined,
  value: unknown[],
  page: { nextLink?: string },
): GraphResult {
  const body: Record<string, unknown> = { '@odata.context': context(ctx, set, props), value };
  if (page.nextLink) body['@odata.nextLink'] = page.nextLink;
  return { status: 200, body };
}
