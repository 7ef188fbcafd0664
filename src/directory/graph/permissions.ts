// Each Graph call Revoke makes, with the least-privileged application permission that allows it,
// so a 403 can tell the administrator exactly what to grant.

export type GraphOperationName =
  | 'findUser'
  | 'getUser'
  | 'listRegisteredDevices'
  | 'getDevice'
  | 'disableUser'
  | 'revokeSignInSessions'
  | 'disableDevice'
  | 'memberGroups'
  | 'listGroupMembers'
  | 'getManager'
  | 'listDirectoryRoles';

export interface GraphOperation {
  name: GraphOperationName;
  /** "disable the user account", to complete "Microsoft Graph refused to …". */
  action: string;
  permission: string;
  note?: string;
}

export const GRAPH_OPERATIONS: Record<GraphOperationName, GraphOperation> = {
  findUser: { name: 'findUser', action: 'look up the user', permission: 'User.Read.All' },
  getUser: { name: 'getUser', action: 'read the user', permission: 'User.Read.All' },
  listRegisteredDevices: {
    name: 'listRegisteredDevices',
    action: "list the user's registered devices",
    permission: 'User.Read.All',
  },
  getDevice: { name: 'getDevice', action: 'read the device', permission: 'Device.Read.All' },
  disableUser: {
    name: 'disableUser',
    action: 'disable the user account',
    permission: 'User.EnableDisableAccount.All (together with User.Read.All)',
    note: 'If the user holds an administrator role, the app also needs a directory role allowed to manage that administrator (for example Privileged Authentication Administrator).',
  },
  revokeSignInSessions: {
    name: 'revokeSignInSessions',
    action: "revoke the user's sign-in sessions",
    permission: 'User.RevokeSessions.All',
  },
  disableDevice: {
    name: 'disableDevice',
    action: 'disable the device',
    permission: 'Device.ReadWrite.All',
  },
  memberGroups: {
    name: 'memberGroups',
    action: "check the user's group memberships",
    permission: 'GroupMember.Read.All (together with User.Read.All)',
  },
  listGroupMembers: {
    name: 'listGroupMembers',
    action: "list the group's members",
    permission: 'GroupMember.Read.All (together with User.Read.All)',
    note: "Without User.Read.All Graph leaves the members' names out.",
  },
  getManager: {
    name: 'getManager',
    action: "read the user's manager",
    permission: 'User.Read.All',
  },
  listDirectoryRoles: {
    name: 'listDirectoryRoles',
    action: "list the user's directory roles",
    permission: 'RoleManagement.Read.Directory (together with User.Read.All)',
    note: 'Without RoleManagement.Read.Directory Graph hides which roles they are, and Revoke then treats every role as privileged.',
  },
};

export function permissionAdvice(op: GraphOperation): string {
  const base = `Grant the Revoke app registration the Microsoft Graph application permission ${op.permission}, the least privilege needed to ${op.action}, then grant admin consent for the tenant.`;
  return op.note ? `${base} ${op.note}` : base;
}
