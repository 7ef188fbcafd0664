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
  | 'listRoleDefinitions'
  | 'listRoleAssignableGroups'
  | 'listRoleAssignments'
  | 'listRoleEligibilities'
  | 'getRiskState'
  | 'confirmCompromised'
  | 'listAuthMethods'
  | 'deleteAuthMethod'
  | 'listOAuthGrants'
  | 'getServicePrincipalName'
  | 'deleteOAuthGrant'
  | 'getGroupName'
  | 'addGroupMember'
  | 'removeGroupMember'
  | 'listManagedDevices'
  | 'getManagedDevice'
  | 'retireManagedDevice'
  | 'wipeManagedDevice'
  | 'enableUser'
  | 'enableDevice'
  | 'listSyncJobs'
  | 'getSyncSchema'
  | 'provisionOnDemand'
  | 'listAppRoleAssignments'
  | 'removeAppRoleAssignment'
  | 'addAppRoleAssignment';

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
  listRoleDefinitions: {
    name: 'listRoleDefinitions',
    action: 'read the directory role definitions (which roles are privileged)',
    permission: 'RoleManagement.Read.Directory',
  },
  listRoleAssignableGroups: {
    name: 'listRoleAssignableGroups',
    action: "list the user's group memberships (role-assignable groups)",
    permission: 'GroupMember.Read.All (together with User.Read.All)',
    note: 'Without GroupMember.Read.All Graph hides which groups they are, and Revoke then asks for the roles of every one of them.',
  },
  listRoleAssignments: {
    name: 'listRoleAssignments',
    action: "list the user's active directory role assignments",
    permission: 'RoleManagement.Read.Directory',
  },
  listRoleEligibilities: {
    name: 'listRoleEligibilities',
    action: "list the user's Privileged Identity Management role eligibilities",
    permission: 'RoleManagement.Read.Directory',
    note: 'RoleEligibilitySchedule.Read.Directory alone would allow this call, but RoleManagement.Read.Directory (needed for the role definitions and assignments) covers it. Eligibilities need Microsoft Entra ID P2 or Governance.',
  },
  getRiskState: {
    name: 'getRiskState',
    action: "read the user's Identity Protection risk state",
    permission: 'IdentityRiskyUser.Read.All',
    note: 'Identity Protection needs Microsoft Entra ID P2.',
  },
  confirmCompromised: {
    name: 'confirmCompromised',
    action: 'confirm the user compromised in Identity Protection',
    permission: 'IdentityRiskyUser.ReadWrite.All',
    note: 'Identity Protection needs Microsoft Entra ID P2.',
  },
  listAuthMethods: {
    name: 'listAuthMethods',
    action: "list the user's authentication methods",
    permission: 'UserAuthenticationMethod.Read.All',
  },
  deleteAuthMethod: {
    name: 'deleteAuthMethod',
    action: 'remove an authentication method',
    permission: 'UserAuthenticationMethod.ReadWrite.All',
    note: 'Removing methods of an administrator also needs the app to hold Privileged Authentication Administrator.',
  },
  listOAuthGrants: {
    name: 'listOAuthGrants',
    action: 'list the apps the user consented to (delegated permission grants)',
    permission: 'DelegatedPermissionGrant.ReadWrite.All',
    note: 'Directory.Read.All also allows listing, but is far broader; the ReadWrite permission is needed anyway to remove the grants.',
  },
  getServicePrincipalName: {
    name: 'getServicePrincipalName',
    action: "read a consented app's name",
    permission: 'Application.Read.All',
    note: 'Optional: without it the plan names apps by their id.',
  },
  deleteOAuthGrant: {
    name: 'deleteOAuthGrant',
    action: 'remove a delegated permission grant',
    permission: 'DelegatedPermissionGrant.ReadWrite.All',
  },
  getGroupName: {
    name: 'getGroupName',
    action: 'read the containment group',
    permission: 'GroupMember.Read.All',
  },
  addGroupMember: {
    name: 'addGroupMember',
    action: 'add the user to the containment group',
    permission: 'GroupMember.ReadWrite.All',
    note: 'A role-assignable group also needs RoleManagement.ReadWrite.Directory.',
  },
  removeGroupMember: {
    name: 'removeGroupMember',
    action: 'remove the user from the containment group',
    permission: 'GroupMember.ReadWrite.All',
  },
  listManagedDevices: {
    name: 'listManagedDevices',
    action: "list the user's Intune managed devices",
    permission: 'DeviceManagementManagedDevices.Read.All',
  },
  getManagedDevice: {
    name: 'getManagedDevice',
    action: 'read the Intune managed device',
    permission: 'DeviceManagementManagedDevices.Read.All',
  },
  retireManagedDevice: {
    name: 'retireManagedDevice',
    action: 'retire the device in Intune',
    permission: 'DeviceManagementManagedDevices.PrivilegedOperations.All',
  },
  wipeManagedDevice: {
    name: 'wipeManagedDevice',
    action: 'wipe the device in Intune',
    permission: 'DeviceManagementManagedDevices.PrivilegedOperations.All',
  },
  enableUser: {
    name: 'enableUser',
    action: 'enable the user account',
    permission: 'User.EnableDisableAccount.All (together with User.Read.All)',
  },
  enableDevice: {
    name: 'enableDevice',
    action: 'enable the device',
    permission: 'Device.ReadWrite.All',
  },
  listSyncJobs: {
    name: 'listSyncJobs',
    action: "list the enterprise app's provisioning jobs",
    permission: 'Synchronization.Read.All',
    note: 'Only with PROVISIONING_APPS; Synchronization.ReadWrite.All, needed anyway to provision on demand, includes it.',
  },
  getSyncSchema: {
    name: 'getSyncSchema',
    action: "read the provisioning job's schema (its synchronization rules)",
    permission: 'Synchronization.Read.All',
    note: 'Only with PROVISIONING_APPS; Synchronization.ReadWrite.All includes it.',
  },
  provisionOnDemand: {
    name: 'provisionOnDemand',
    action: 'provision the user on demand to the enterprise app',
    permission: 'Synchronization.ReadWrite.All',
    note: 'Only with PROVISIONING_APPS. Application.ReadWrite.OwnedBy also allows it, but only for apps the Revoke app registration owns.',
  },
  // https://learn.microsoft.com/graph/api/user-list-approleassignments: Directory.Read.All is the
  // least for reading alone, but far broader; the write permission below is needed anyway.
  listAppRoleAssignments: {
    name: 'listAppRoleAssignments',
    action: "list the user's app role assignments to the enterprise app",
    permission: 'AppRoleAssignment.ReadWrite.All',
    note: 'Only with PROVISIONING_APPS. Directory.Read.All also allows listing, but is far broader; AppRoleAssignment.ReadWrite.All is needed anyway to remove the assignments. It is powerful: it lets the app assign any app role, Microsoft Graph permissions included, so guard the app registration credentials like an administrator account.',
  },
  // https://learn.microsoft.com/graph/api/user-delete-approleassignments
  removeAppRoleAssignment: {
    name: 'removeAppRoleAssignment',
    action: "remove the user's app role assignment to the enterprise app",
    permission: 'AppRoleAssignment.ReadWrite.All',
    note: 'Only with PROVISIONING_APPS.',
  },
  // https://learn.microsoft.com/graph/api/user-post-approleassignments
  addAppRoleAssignment: {
    name: 'addAppRoleAssignment',
    action: 'assign the user to the enterprise app again',
    permission: 'AppRoleAssignment.ReadWrite.All',
    note: 'Only with PROVISIONING_APPS, when restoring after a false alarm.',
  },
};

export function permissionAdvice(op: GraphOperation): string {
  const base = `Grant the Revoke app registration the Microsoft Graph application permission ${op.permission}, the least privilege needed to ${op.action}, then grant admin consent for the tenant.`;
  return op.note ? `${base} ${op.note}` : base;
}
