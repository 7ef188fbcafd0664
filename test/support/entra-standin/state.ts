// The directory the stand-in serves. Tests seed it directly and read it back to check what the
// adapter changed; the routes mutate it the way Entra ID would.
import { randomUUID } from 'node:crypto';
import { ContainmentState } from './containment-state';

export interface StandinUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  department: string | null;
  accountEnabled: boolean;
  onPremisesSyncEnabled: boolean | null;
  onPremisesSamAccountName: string | null;
  onPremisesSecurityIdentifier: string | null;
  onPremisesUserPrincipalName: string | null;
  signInSessionsValidFromDateTime: string;
  managerId?: string;
}

export interface StandinDevice {
  /** Object id (what /devices/{id} takes). */
  id: string;
  /** The device's own id, as registered. */
  deviceId: string;
  displayName: string;
  accountEnabled: boolean;
  operatingSystem: string | null;
  operatingSystemVersion: string | null;
  registeredUserIds: string[];
  /** Override to plant a non-device directory object in registeredDevices. */
  odataType?: string;
}

export interface StandinGroup {
  id: string;
  displayName: string;
  /** Users or groups (nesting). */
  memberIds: string[];
  /** A group roles can be assigned to (set at creation in Entra ID). */
  isAssignableToRole?: boolean;
}

/** A directory role definition; a built-in one's id is its template id. */
export interface StandinRoleDefinition {
  id: string;
  displayName: string;
  templateId: string;
  isBuiltIn: boolean;
  /** Microsoft's own flag for roles that can lead to elevation of privilege. */
  isPrivileged: boolean;
}

/** An active role assignment, or a PIM eligibility (an instance of an eligibility schedule). */
export interface StandinRoleGrant {
  id: string;
  roleDefinitionId: string;
  principalId: string;
  /** "/" for the whole tenant, "/administrativeUnits/{id}" for one unit. */
  directoryScopeId: string;
  kind: 'active' | 'eligible';
}

/** An activated directory role; members are users or role-assignable groups. */
export interface StandinDirectoryRole {
  id: string;
  displayName: string;
  roleTemplateId: string;
  memberIds: string[];
}

export interface StandinApp {
  clientId: string;
  displayName: string;
  secrets: string[];
  /** PEM certificate whose key may sign client assertions. */
  certificatePem?: string;
  /** Application permissions granted with admin consent (become the token's `roles`). */
  roles: string[];
  /** Served through the managed identity endpoint instead of client credentials. */
  managedIdentity?: boolean;
}

/** Graph timestamps have whole seconds. */
export function graphTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class StandinState {
  readonly users = new Map<string, StandinUser>();
  readonly devices = new Map<string, StandinDevice>();
  readonly groups = new Map<string, StandinGroup>();
  readonly apps = new Map<string, StandinApp>();
  readonly directoryRoles = new Map<string, StandinDirectoryRole>();
  readonly roleDefinitions = new Map<string, StandinRoleDefinition>();
  readonly roleGrants: StandinRoleGrant[] = [];
  /** Identity Protection, authentication methods, consent grants, Intune. */
  readonly containment = new ContainmentState();

  constructor(readonly tenantId: string = randomUUID()) {}

  addUser(seed: Partial<StandinUser> & { userPrincipalName: string }): StandinUser {
    const user: StandinUser = {
      id: randomUUID(),
      displayName: seed.userPrincipalName.split('@')[0] ?? seed.userPrincipalName,
      mail: null,
      givenName: null,
      surname: null,
      jobTitle: null,
      department: null,
      accountEnabled: true,
      onPremisesSyncEnabled: null,
      onPremisesSamAccountName: null,
      onPremisesSecurityIdentifier: null,
      onPremisesUserPrincipalName: null,
      signInSessionsValidFromDateTime: '2024-01-01T00:00:00Z',
      ...seed,
    };
    this.users.set(user.id, user);
    return user;
  }

  addDevice(seed: Partial<StandinDevice> & { displayName: string }): StandinDevice {
    const device: StandinDevice = {
      id: randomUUID(),
      deviceId: randomUUID(),
      accountEnabled: true,
      operatingSystem: null,
      operatingSystemVersion: null,
      registeredUserIds: [],
      ...seed,
    };
    this.devices.set(device.id, device);
    return device;
  }

  addGroup(seed: Partial<StandinGroup> & { displayName: string }): StandinGroup {
    const group: StandinGroup = { id: randomUUID(), memberIds: [], ...seed };
    this.groups.set(group.id, group);
    return group;
  }

  addApp(seed: Partial<StandinApp> & { roles: string[] }): StandinApp {
    const app: StandinApp = {
      clientId: randomUUID(),
      displayName: 'Revoke test app',
      secrets: [],
      ...seed,
    };
    this.apps.set(app.clientId, app);
    return app;
  }

  /**
   * An activated built-in role with active assignments to `memberIds`: the directoryRole object
   * (transitiveMemberOf) and, in role management, its definition and one assignment per member.
   */
  addDirectoryRole(
    seed: Partial<StandinDirectoryRole> & {
      displayName: string;
      roleTemplateId: string;
      isPrivileged?: boolean;
    },
  ): StandinDirectoryRole {
    const { isPrivileged, ...rest } = seed;
    const role: StandinDirectoryRole = { id: randomUUID(), memberIds: [], ...rest };
    this.directoryRoles.set(role.id, role);
    this.addRoleDefinition({
      displayName: role.displayName,
      templateId: role.roleTemplateId,
      isPrivileged: isPrivileged ?? false,
    });
    for (const principalId of role.memberIds) {
      this.grantRole(role.roleTemplateId, principalId, 'active');
    }
    return role;
  }

  addRoleDefinition(
    seed: Omit<StandinRoleDefinition, 'id' | 'isBuiltIn'> & { isBuiltIn?: boolean },
  ): StandinRoleDefinition {
    const existing = this.roleDefinitions.get(seed.templateId);
    if (existing) return existing;
    const definition = { id: seed.templateId, isBuiltIn: true, ...seed };
    this.roleDefinitions.set(definition.id, definition);
    return definition;
  }

  /** Assigns (active) or makes eligible (PIM) a principal for a role, tenant-wide by default. */
  grantRole(
    roleDefinitionId: string,
    principalId: string,
    kind: StandinRoleGrant['kind'],
    directoryScopeId = '/',
  ): StandinRoleGrant {
    const grant = { id: randomUUID(), roleDefinitionId, principalId, directoryScopeId, kind };
    this.roleGrants.push(grant);
    return grant;
  }

  setManager(userId: string, managerId: string | undefined): void {
    const user = this.users.get(userId);
    if (!user) throw new Error(`no user ${userId}`);
    user.managerId = managerId;
  }

  /** By object id or (case-insensitive) UPN, as Graph resolves `/users/{id | userPrincipalName}`. */
  findUser(key: string): StandinUser | undefined {
    const byId = this.users.get(key);
    if (byId) return byId;
    const lower = key.toLowerCase();
    for (const user of this.users.values()) {
      if (user.userPrincipalName.toLowerCase() === lower) return user;
    }
    return undefined;
  }

  /** Group ids the object is a member of, directly or through nested groups. */
  transitiveGroupsOf(objectId: string): Set<string> {
    const found = new Set<string>();
    const queue = [objectId];
    while (queue.length > 0) {
      const member = queue.shift() as string;
      for (const group of this.groups.values()) {
        if (!found.has(group.id) && group.memberIds.includes(member)) {
          found.add(group.id);
          queue.push(group.id);
        }
      }
    }
    return found;
  }
}
