// Which Microsoft Graph application permissions Revoke needs, derived from the adapter's own table
// (src/directory/graph/permissions.ts) so the doctor cannot drift from what the calls demand, and
// which broader permissions also satisfy each one.
import type { StepKind } from '../core/model';
import {
  GRAPH_OPERATIONS,
  type GraphOperation,
  type GraphOperationName,
} from '../directory/graph/permissions';

export interface PermissionNeed {
  /** What the permission is for, as shown on the doctor's line. */
  purpose: string;
  step?: StepKind;
  operations: GraphOperation[];
  /** Set when only some requests need it: what uses it. A missing one is a warning, not a failure. */
  onlyFor?: string;
}

/** Calls only the compromised profile, device retire or a restore make. */
const OPTIONAL_OPERATIONS: Partial<Record<GraphOperationName, string>> = {
  getRiskState: 'the compromised profile',
  confirmCompromised: 'the compromised profile',
  listAuthMethods: 'the compromised profile',
  deleteAuthMethod: 'the compromised profile',
  listOAuthGrants: 'the compromised profile',
  deleteOAuthGrant: 'the compromised profile',
  getServicePrincipalName: 'naming apps in the compromised profile',
  getGroupName: 'the containment group (CONTAINMENT_GROUP_ID)',
  addGroupMember: 'the containment group (CONTAINMENT_GROUP_ID)',
  removeGroupMember: 'restoring after a false alarm',
  listManagedDevices: '--retire-devices',
  getManagedDevice: '--retire-devices',
  retireManagedDevice: '--retire-devices',
  wipeManagedDevice: 'wiping devices',
  enableUser: 'restoring after a false alarm',
  enableDevice: 'restoring after a false alarm',
  listSyncJobs: 'provisioning on demand (PROVISIONING_APPS)',
  getSyncSchema: 'provisioning on demand (PROVISIONING_APPS)',
  provisionOnDemand: 'provisioning on demand (PROVISIONING_APPS)',
};

/** Calls grouped by what they serve; calls not listed here land in a catch-all need. */
const GROUPING: { purpose: string; step?: StepKind; operations: GraphOperationName[] }[] = [
  {
    purpose: 'look up users, their devices and managers',
    operations: ['findUser', 'getUser', 'listRegisteredDevices', 'getManager'],
  },
  {
    purpose: 'check approvers and protected accounts (group membership)',
    operations: ['memberGroups', 'listGroupMembers'],
  },
  {
    purpose: 'find privileged targets (active and PIM-eligible directory roles, isPrivileged)',
    operations: [
      'listRoleDefinitions',
      'listRoleAssignableGroups',
      'listRoleAssignments',
      'listRoleEligibilities',
    ],
  },
  {
    purpose: 'step "disable the Entra ID account"',
    step: 'entra.disableAccount',
    operations: ['disableUser'],
  },
  {
    purpose: 'step "revoke sign-in sessions"',
    step: 'entra.revokeSessions',
    operations: ['revokeSignInSessions'],
  },
  {
    purpose: 'step "disable registered devices"',
    step: 'entra.disableDevice',
    operations: ['getDevice', 'disableDevice'],
  },
];

/** Reading the approver and protected groups (the doctor's own group check). */
export const GROUP_READ_PERMISSION = 'GroupMember.Read.All';

export function permissionNeeds(): PermissionNeed[] {
  const all = Object.values(GRAPH_OPERATIONS);
  const grouped = new Set(GROUPING.flatMap((g) => g.operations));
  const needs: PermissionNeed[] = GROUPING.map((g) => ({
    purpose: g.purpose,
    ...(g.step ? { step: g.step } : {}),
    operations: g.operations.map((name) => GRAPH_OPERATIONS[name]),
  }));
  for (const op of all.filter((o) => !grouped.has(o.name))) {
    const onlyFor = OPTIONAL_OPERATIONS[op.name];
    needs.push({ purpose: op.action, operations: [op], ...(onlyFor ? { onlyFor } : {}) });
  }
  return needs;
}

/** "User.EnableDisableAccount.All (together with User.Read.All)" → both names. */
export function permissionNames(op: GraphOperation): string[] {
  return [...op.permission.matchAll(/\b[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)+\b/g)].map((m) => m[0]);
}

export function requiredPermissions(need: PermissionNeed): string[] {
  return [...new Set(need.operations.flatMap(permissionNames))];
}

/**
 * Broader application permissions that include each least-privilege one, as Microsoft Graph's
 * permission reference lists them for these calls. Anything not here is satisfied only by itself.
 */
const SATISFIED_BY: Record<string, string[]> = {
  'User.Read.All': ['User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'User.EnableDisableAccount.All': ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  'User.RevokeSessions.All': ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  'Device.Read.All': ['Device.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'Device.ReadWrite.All': ['Directory.ReadWrite.All'],
  'GroupMember.Read.All': [
    'Group.Read.All',
    'GroupMember.ReadWrite.All',
    'Group.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  'Synchronization.Read.All': ['Synchronization.ReadWrite.All'],
  'RoleManagement.Read.Directory': [
    'RoleManagement.ReadWrite.Directory',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
};

export interface Coverage {
  /** Granted exactly. */
  exact: string[];
  /** Satisfied only through a broader permission: required → the broader one granted. */
  broader: Map<string, string>;
  missing: string[];
}

export function coverage(required: readonly string[], granted: readonly string[]): Coverage {
  const have = new Set(granted);
  const result: Coverage = { exact: [], broader: new Map(), missing: [] };
  for (const permission of required) {
    if (have.has(permission)) {
      result.exact.push(permission);
      continue;
    }
    const wider = (SATISFIED_BY[permission] ?? []).find((p) => have.has(p));
    if (wider) result.broader.set(permission, wider);
    else result.missing.push(permission);
  }
  return result;
}
