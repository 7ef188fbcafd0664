// The Graph v1.0 routes Revoke uses, with the application permissions each one demands.
import { getDevice, patchDevice, registeredDevices } from './device-routes';
import {
  listRoleAssignments,
  listRoleDefinitions,
  listRoleEligibilityInstances,
  transitiveMemberOf,
} from './role-management-routes';
import { getGroup, groupMembers, transitiveUserMembers } from './group-routes';
import type { GraphRoute } from './route-types';
import { CONTAINMENT_ROUTES } from './containment-routes';
import { PROVISIONING_ROUTES } from './provisioning-routes';
import { APP_ASSIGNMENT_ROUTES } from './app-assignment-routes';
import {
  checkMemberGroups,
  getUser,
  listUsers,
  manager,
  patchUser,
  revokeSessions,
} from './user-routes';

export type { GraphRoute, RouteContext } from './route-types';

const READ_USERS = [
  ['User.Read.All'],
  ['User.ReadWrite.All'],
  ['Directory.Read.All'],
  ['Directory.ReadWrite.All'],
];
const READ_DEVICES = [
  ['Device.Read.All'],
  ['Device.ReadWrite.All'],
  ['Directory.Read.All'],
  ['Directory.ReadWrite.All'],
];

// Reading a group or its members: GroupMember.Read.All is the least privilege (Microsoft Learn,
// "Get group" and "List group members", application permissions).
const READ_GROUPS = [
  ['GroupMember.Read.All'],
  ['Group.Read.All'],
  ['GroupMember.ReadWrite.All'],
  ['Group.ReadWrite.All'],
  ['Directory.Read.All'],
  ['Directory.ReadWrite.All'],
];

// Role management (Microsoft Learn, "List roleDefinitions", "List roleAssignments", directory
// provider, application permissions): RoleManagement.Read.Directory is the least privilege.
const READ_ROLES = [
  ['RoleManagement.Read.Directory'],
  ['RoleManagement.ReadWrite.Directory'],
  ['Directory.Read.All'],
  ['Directory.ReadWrite.All'],
];
// "List roleEligibilityScheduleInstances": RoleEligibilitySchedule.Read.Directory is the least.
const READ_ELIGIBILITIES = [
  ['RoleEligibilitySchedule.Read.Directory'],
  ['RoleEligibilitySchedule.ReadWrite.Directory'],
  ['RoleManagement.Read.All'],
  ['RoleManagement.Read.Directory'],
  ['RoleManagement.ReadWrite.Directory'],
];

const SEG = '([^/?]+)';

export const GRAPH_ROUTES: GraphRoute[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/groups/${SEG}$`),
    name: 'GET /groups/{id}',
    permissions: READ_GROUPS,
    handle: getGroup,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/groups/${SEG}/members$`),
    name: 'GET /groups/{id}/members',
    permissions: READ_GROUPS,
    handle: groupMembers,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/groups/${SEG}/transitiveMembers/microsoft\\.graph\\.user$`),
    name: 'GET /groups/{id}/transitiveMembers/microsoft.graph.user',
    permissions: READ_GROUPS,
    handle: transitiveUserMembers,
  },
  {
    method: 'GET',
    pattern: /^\/v1\.0\/users$/,
    name: 'GET /users',
    permissions: READ_USERS,
    handle: listUsers,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/users/${SEG}$`),
    name: 'GET /users/{id}',
    permissions: READ_USERS,
    handle: getUser,
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`^/v1\\.0/users/${SEG}$`),
    name: 'PATCH /users/{id}',
    permissions: [
      ['User.EnableDisableAccount.All', 'User.Read.All'],
      ['User.ReadWrite.All'],
      ['Directory.ReadWrite.All'],
    ],
    handle: patchUser,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1\\.0/users/${SEG}/revokeSignInSessions$`),
    name: 'POST /users/{id}/revokeSignInSessions',
    permissions: [['User.RevokeSessions.All'], ['User.ReadWrite.All'], ['Directory.ReadWrite.All']],
    handle: revokeSessions,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/users/${SEG}/registeredDevices$`),
    name: 'GET /users/{id}/registeredDevices',
    permissions: READ_USERS,
    handle: registeredDevices,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1\\.0/users/${SEG}/checkMemberGroups$`),
    name: 'POST /users/{id}/checkMemberGroups',
    permissions: [
      ['User.Read.All', 'GroupMember.Read.All'],
      ['User.Read.All', 'Group.Read.All'],
      ['Directory.Read.All'],
      ['Directory.ReadWrite.All'],
    ],
    handle: checkMemberGroups,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/users/${SEG}/manager$`),
    name: 'GET /users/{id}/manager',
    permissions: READ_USERS,
    handle: manager,
  },

  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/users/${SEG}/transitiveMemberOf$`),
    name: 'GET /users/{id}/transitiveMemberOf',
    permissions: READ_USERS,
    handle: transitiveMemberOf,
  },
  {
    method: 'GET',
    pattern: /^\/v1\.0\/roleManagement\/directory\/roleDefinitions$/,
    name: 'GET /roleManagement/directory/roleDefinitions',
    permissions: READ_ROLES,
    handle: listRoleDefinitions,
  },
  {
    method: 'GET',
    pattern: /^\/v1\.0\/roleManagement\/directory\/roleAssignments$/,
    name: 'GET /roleManagement/directory/roleAssignments',
    permissions: READ_ROLES,
    handle: listRoleAssignments,
  },
  {
    method: 'GET',
    pattern: /^\/v1\.0\/roleManagement\/directory\/roleEligibilityScheduleInstances$/,
    name: 'GET /roleManagement/directory/roleEligibilityScheduleInstances',
    permissions: READ_ELIGIBILITIES,
    handle: listRoleEligibilityInstances,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/devices/${SEG}$`),
    name: 'GET /devices/{id}',
    permissions: READ_DEVICES,
    handle: getDevice,
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`^/v1\\.0/devices/${SEG}$`),
    name: 'PATCH /devices/{id}',
    permissions: [['Device.ReadWrite.All'], ['Directory.ReadWrite.All']],
    handle: patchDevice,
  },
  ...CONTAINMENT_ROUTES,
  ...PROVISIONING_ROUTES,
  ...APP_ASSIGNMENT_ROUTES,
];

export function findRoute(
  method: string,
  path: string,
): { route: GraphRoute; params: string[] } | undefined {
  for (const route of GRAPH_ROUTES) {
    if (route.method !== method.toUpperCase()) continue;
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

/** Whether any route answers the path with another method (405 rather than 400). */
export function pathKnown(path: string): boolean {
  return GRAPH_ROUTES.some((r) => r.pattern.test(path));
}
