// Which Microsoft Graph application permissions Revoke needs, derived from the adapter's own table
// (src/directory/graph/permissions.ts) so the doctor cannot drift from what the calls demand, and
// which broader permissions also satisfy each one.
import type { StepKind } from '../core/model';
import type { RegisteredPath } from '../core/paths/access-path';
import { ACCESS_PATHS } from '../core/paths/registry';
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

/** What every request and click needs, whichever access paths it plans. */
const LOOKUPS: { purpose: string; operations: GraphOperationName[] }[] = [
  {
    purpose: 'look up users and their managers',
    operations: ['findUser', 'getUser', 'getManager'],
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
];

/** Reading the approver and protected groups (the doctor's own group check). */
export const GROUP_READ_PERMISSION = 'GroupMember.Read.All';

/** A Graph need an access path declares that the adapter's table does not know: a bug. */
export class UnknownGraphOperation extends Error {
  constructor(path: string, operation: string) {
    super(`The access path ${path} names a Graph call the adapter does not make: ${operation}.`);
    this.name = 'UnknownGraphOperation';
  }
}

/**
 * The look-ups every request makes, then what each access path declares, in registry order; any
 * call of the adapter's table left over is still checked, as required, so none goes unchecked.
 */
export function permissionNeeds(paths: readonly RegisteredPath[] = ACCESS_PATHS): PermissionNeed[] {
  const needs: PermissionNeed[] = LOOKUPS.map((g) => ({
    purpose: g.purpose,
    operations: g.operations.map((name) => GRAPH_OPERATIONS[name]),
  }));
  for (const path of paths) {
    for (const need of path.graph ?? []) {
      const operations = need.operations.map((name) => {
        if (!isGraphOperationName(name)) throw new UnknownGraphOperation(path.name, name);
        return GRAPH_OPERATIONS[name];
      });
      needs.push({
        purpose: need.purpose ?? operations.map((op) => op.action).join('; '),
        operations,
        ...(need.step ? { step: need.step } : {}),
        ...(need.onlyFor ? { onlyFor: need.onlyFor } : {}),
      });
    }
  }
  const claimed = new Set(needs.flatMap((need) => need.operations.map((op) => op.name)));
  for (const op of Object.values(GRAPH_OPERATIONS).filter((o) => !claimed.has(o.name))) {
    needs.push({ purpose: op.action, operations: [op] });
  }
  return needs;
}

function isGraphOperationName(name: string): name is GraphOperationName {
  return Object.prototype.hasOwnProperty.call(GRAPH_OPERATIONS, name);
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
