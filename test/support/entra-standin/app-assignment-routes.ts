// Graph v1.0 routes for a user's app role assignments, with the application permissions Microsoft
// Learn lists for each: listing needs Directory.Read.All or AppRoleAssignment.ReadWrite.All
// (https://learn.microsoft.com/graph/api/user-list-approleassignments); removing and granting need
// AppRoleAssignment.ReadWrite.All, nothing broader allows them
// (https://learn.microsoft.com/graph/api/user-delete-approleassignments,
// https://learn.microsoft.com/graph/api/user-post-approleassignments). As Graph does, the list
// also returns the assignments of the groups the user is a direct member of, and `resourceId` is a
// GUID, compared without quotes.
import type { GraphResult } from './graph-result';
import { badRequest, graphError, notFound } from './graph-result';
import { bodyObject } from './odata';
import { pageOf, pageRequest } from './paging';
import type { GraphRoute, RouteContext } from './route-types';
import type { StandinAppRoleAssignment } from './containment-state';
import type { StandinState, StandinUser } from './state';

const SEG = '([^/?]+)';
const V = '^/v1\\.0';
const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const RESOURCE_FILTER = new RegExp(`^\\s*resourceId\\s+eq\\s+(${GUID})\\s*$`);
const QUOTED_RESOURCE_FILTER = /^\s*resourceId\s+eq\s+'/;
const WRITE = [['AppRoleAssignment.ReadWrite.All']];

/** The assignments that put the user in an app: their own and their direct groups'. */
export function assignmentsReaching(
  state: StandinState,
  userId: string,
  servicePrincipalId?: string,
): StandinAppRoleAssignment[] {
  const groups = [...state.groups.values()].filter((g) => g.memberIds.includes(userId));
  return [userId, ...groups.map((g) => g.id)].flatMap((id) =>
    state.containment.assignmentsOf(id, servicePrincipalId),
  );
}

function resource(state: StandinState, a: StandinAppRoleAssignment): Record<string, unknown> {
  const principalDisplayName =
    a.principalType === 'User'
      ? (state.users.get(a.principalId)?.displayName ?? null)
      : (state.groups.get(a.principalId)?.displayName ?? null);
  return {
    id: a.id,
    deletedDateTime: null,
    appRoleId: a.appRoleId,
    createdDateTime: a.createdDateTime,
    principalDisplayName,
    principalId: a.principalId,
    principalType: a.principalType,
    resourceDisplayName: state.containment.servicePrincipals.get(a.resourceId) ?? null,
    resourceId: a.resourceId,
  };
}

function userOf(ctx: RouteContext): StandinUser | GraphResult {
  const key = ctx.params[0] ?? '';
  return ctx.state.findUser(key) ?? notFound(ctx.call, key);
}

function list(ctx: RouteContext): GraphResult {
  const user = userOf(ctx);
  if ('status' in user) return user;
  const filter = ctx.call.query.get('$filter');
  let resourceId: string | undefined;
  if (filter !== null) {
    if (QUOTED_RESOURCE_FILTER.test(filter))
      return badRequest(
        ctx.call,
        "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.",
      );
    const m = RESOURCE_FILTER.exec(filter);
    if (!m)
      return graphError(
        ctx.call,
        400,
        'Request_UnsupportedQuery',
        'Unsupported or invalid query filter clause specified.',
      );
    resourceId = m[1]?.toLowerCase();
  }
  const all = assignmentsReaching(ctx.state, user.id).filter(
    (a) => resourceId === undefined || a.resourceId.toLowerCase() === resourceId,
  );
  const paging = pageRequest(ctx);
  if (!paging.ok) return paging.result;
  const page = pageOf(ctx, all, paging);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.origin}/v1.0/$metadata#users('${user.id}')/appRoleAssignments`,
    value: page.items.map((a) => resource(ctx.state, a)),
  };
  if (page.nextLink) body['@odata.nextLink'] = page.nextLink;
  return { status: 200, body };
}

/** Only the user's own assignment: a group's cannot be removed through the user. */
function remove(ctx: RouteContext): GraphResult {
  const user = userOf(ctx);
  if ('status' in user) return user;
  const id = ctx.params[1] ?? '';
  const assignment = ctx.state.containment.appRoleAssignments.get(id);
  if (!assignment || assignment.principalId !== user.id) return notFound(ctx.call, id);
  ctx.state.containment.appRoleAssignments.delete(id);
  return { status: 204 };
}

function grant(ctx: RouteContext): GraphResult {
  const user = userOf(ctx);
  if ('status' in user) return user;
  const body = bodyObject(ctx.call) ?? {};
  const { principalId, resourceId, appRoleId } = body;
  if (
    typeof principalId !== 'string' ||
    typeof resourceId !== 'string' ||
    typeof appRoleId !== 'string'
  )
    return badRequest(ctx.call, 'principalId, resourceId and appRoleId are required.');
  if (principalId !== user.id)
    return badRequest(ctx.call, 'The principalId must be the user the request is made on.');
  if (!ctx.state.containment.servicePrincipals.has(resourceId))
    return notFound(ctx.call, resourceId);
  const held = ctx.state.containment
    .assignmentsOf(user.id, resourceId)
    .some((a) => a.appRoleId === appRoleId);
  if (held) return badRequest(ctx.call, 'Permission being assigned already exists on the object');
  const assignment = ctx.state.containment.assignToApp(
    resourceId,
    { id: user.id, type: 'User' },
    appRoleId,
  );
  return {
    status: 201,
    body: {
      '@odata.context': `${ctx.origin}/v1.0/$metadata#users('${user.id}')/appRoleAssignments/$entity`,
      ...resource(ctx.state, assignment),
    },
  };
}

export const APP_ASSIGNMENT_ROUTES: GraphRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`${V}/users/${SEG}/appRoleAssignments$`),
    name: 'GET /users/{id}/appRoleAssignments',
    permissions: [
      ['Directory.Read.All'],
      ['AppRoleAssignment.ReadWrite.All'],
      ['Directory.ReadWrite.All'],
    ],
    handle: list,
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`${V}/users/${SEG}/appRoleAssignments/${SEG}$`),
    name: 'DELETE /users/{id}/appRoleAssignments/{id}',
    permissions: WRITE,
    handle: remove,
  },
  {
    method: 'POST',
    pattern: new RegExp(`${V}/users/${SEG}/appRoleAssignments$`),
    name: 'POST /users/{id}/appRoleAssignments',
    permissions: WRITE,
    handle: grant,
  },
];
