// An in-memory Entra ID that behaves like Microsoft Graph where Revoke can tell the difference:
// lookups, idempotent disables, session revocation timestamps, transitive group membership.
import type { Clock } from '../../core/clock';
import { DirectoryError } from '../../core/errors';
import type { Device, DirectoryRole, DirectoryUser, Person } from '../../core/model';
import type { EntraDirectory } from '../../core/ports';
import type { SandboxBehaviour } from './behaviour';
import type { SandboxTenantFile, SandboxUserSeed } from './tenant-file';

interface UserState {
  seed: SandboxUserSeed;
  accountEnabled: boolean;
  signInSessionsValidFrom: string | undefined;
  deviceIds: string[];
}

interface DeviceState {
  device: Device;
}

export class SandboxEntraDirectory implements EntraDirectory {
  private readonly users = new Map<string, UserState>();
  private readonly devices = new Map<string, DeviceState>();
  /** member id → ids of the groups that list it directly. */
  private readonly parents = new Map<string, string[]>();
  /** group id → the ids it lists directly (users or groups). */
  private readonly members = new Map<string, readonly string[]>();
  private readonly groupNames = new Map<string, string>();

  constructor(
    file: SandboxTenantFile,
    private readonly clock: Clock,
    private readonly behaviour: SandboxBehaviour,
  ) {
    for (const seed of file.users) {
      this.users.set(key(seed.id), {
        seed,
        accountEnabled: seed.accountEnabled,
        signInSessionsValidFrom: undefined,
        deviceIds: seed.devices.map((d) => d.id),
      });
      for (const d of seed.devices) {
        this.devices.set(key(d.id), {
          device: {
            id: d.id,
            displayName: d.displayName,
            accountEnabled: d.accountEnabled,
            ...(d.operatingSystem === undefined ? {} : { operatingSystem: d.operatingSystem }),
          },
        });
      }
    }
    for (const group of file.groups) {
      this.members.set(key(group.id), group.members);
      this.groupNames.set(key(group.id), group.displayName);
      for (const member of group.members) {
        const list = this.parents.get(key(member)) ?? [];
        list.push(group.id);
        this.parents.set(key(member), list);
      }
    }
  }

  findUser(upnOrMail: string): Promise<DirectoryUser | undefined> {
    const wanted = upnOrMail.trim().toLowerCase();
    return this.behaviour.run('findUser', [upnOrMail], () => {
      const all = [...this.users.values()];
      const match =
        all.find((u) => u.seed.userPrincipalName.toLowerCase() === wanted) ??
        all.find((u) => u.seed.mail?.toLowerCase() === wanted);
      return match && toDirectoryUser(match);
    });
  }

  getUser(id: string): Promise<DirectoryUser | undefined> {
    return this.behaviour.run('getUser', [id], () => {
      const user = this.users.get(key(id));
      return user && toDirectoryUser(user);
    });
  }

  listRegisteredDevices(userId: string): Promise<Device[]> {
    return this.behaviour.run('listRegisteredDevices', [userId], () =>
      this.requireUser(userId).deviceIds.map((id) => ({ ...this.requireDevice(id).device })),
    );
  }

  getDevice(deviceId: string): Promise<Device | undefined> {
    return this.behaviour.run('getDevice', [deviceId], () => {
      const state = this.devices.get(key(deviceId));
      return state && { ...state.device };
    });
  }

  disableUser(userId: string): Promise<void> {
    return this.behaviour.run('disableUser', [userId], () => {
      this.requireUser(userId).accountEnabled = false;
    });
  }

  revokeSignInSessions(userId: string): Promise<void> {
    return this.behaviour.run('revokeSignInSessions', [userId], () => {
      const user = this.requireUser(userId);
      // Graph reports signInSessionsValidFromDateTime to the second.
      user.signInSessionsValidFrom = this.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
    });
  }

  getSignInSessionsValidFrom(userId: string): Promise<string | undefined> {
    return this.behaviour.run(
      'getSignInSessionsValidFrom',
      [userId],
      () => this.requireUser(userId).signInSessionsValidFrom,
    );
  }

  disableDevice(deviceId: string): Promise<void> {
    return this.behaviour.run('disableDevice', [deviceId], () => {
      this.requireDevice(deviceId).device.accountEnabled = false;
    });
  }

  memberGroups(userId: string, groupIds: string[]): Promise<string[]> {
    return this.behaviour.run('memberGroups', [userId], () => {
      const user = this.requireUser(userId);
      const all = this.transitiveGroups(user.seed.id);
      return [...new Set(groupIds)].filter((id) => all.has(key(id)));
    });
  }

  listGroupMembers(groupId: string, limit: number): Promise<Person[]> {
    return this.behaviour.run('listGroupMembers', [groupId], () => {
      if (!this.members.has(key(groupId))) throw notFound(`group ${groupId}`);
      const people: Person[] = [];
      const visited = new Set<string>();
      const queue = [groupId];
      while (queue.length > 0 && people.length < limit) {
        const group = queue.shift() as string;
        if (visited.has(key(group))) continue;
        visited.add(key(group));
        for (const member of this.members.get(key(group)) ?? []) {
          const user = this.users.get(key(member));
          if (user === undefined) {
            if (this.members.has(key(member))) queue.push(member);
          } else if (!people.some((p) => key(p.id) === key(member))) {
            people.push(toPerson(user.seed));
          }
        }
      }
      return people.slice(0, Math.max(0, limit));
    });
  }

  getManager(userId: string): Promise<Person | undefined> {
    return this.behaviour.run('getManager', [userId], () => {
      const managerId = this.requireUser(userId).seed.managerId;
      const manager = managerId === undefined ? undefined : this.users.get(key(managerId));
      return manager && toPerson(manager.seed);
    });
  }

  /**
   * Roles are seeded per user, active or eligible, each with its definition's `isPrivileged` flag;
   * the sandbox has no role-assignable groups.
   */
  listDirectoryRoles(userId: string): Promise<DirectoryRole[]> {
    return this.behaviour.run('listDirectoryRoles', [userId], () =>
      this.requireUser(userId).seed.directoryRoles.map((role) => ({
        // A built-in role definition's id is its template id.
        id: role.roleTemplateId,
        displayName: role.displayName,
        roleTemplateId: role.roleTemplateId,
        isPrivileged: role.isPrivileged,
        assignment: role.assignment,
      })),
    );
  }

  /** The writes a restore and the containment group need; the sandbox's containment calls them. */
  setAccountEnabled(userId: string, enabled: boolean): void {
    this.requireUser(userId).accountEnabled = enabled;
  }

  setDeviceEnabled(deviceId: string, enabled: boolean): void {
    this.requireDevice(deviceId).device.accountEnabled = enabled;
  }

  groupName(groupId: string): string | undefined {
    return this.groupNames.get(key(groupId));
  }

  /** Adds or removes a direct member; false when nothing changed. */
  setDirectMember(groupId: string, memberId: string, member: boolean): boolean {
    const current = this.members.get(key(groupId));
    if (current === undefined) throw notFound(`group ${groupId}`);
    const has = current.some((m) => key(m) === key(memberId));
    if (has === member) return false;
    this.members.set(
      key(groupId),
      member ? [...current, memberId] : current.filter((m) => key(m) !== key(memberId)),
    );
    const parents = this.parents.get(key(memberId)) ?? [];
    this.parents.set(
      key(memberId),
      member ? [...parents, groupId] : parents.filter((g) => key(g) !== key(groupId)),
    );
    return true;
  }

  /** The groups that list the member directly, by id and name: an app assigned to one reaches them. */
  directGroups(memberId: string): Array<{ id: string; name: string }> {
    return (this.parents.get(key(memberId)) ?? []).map((id) => ({
      id,
      name: this.groupNames.get(key(id)) ?? id,
    }));
  }

  /** For tests and the playground: when sessions were last revoked, if ever. */
  signInSessionsValidFrom(userId: string): string | undefined {
    return this.users.get(key(userId))?.signInSessionsValidFrom;
  }

  private transitiveGroups(memberId: string): Set<string> {
    const found = new Set<string>();
    const queue = [memberId];
    while (queue.length > 0) {
      const next = queue.shift() as string;
      for (const group of this.parents.get(key(next)) ?? []) {
        // Group nesting may be cyclic in a real tenant; the set stops us going round.
        if (found.has(key(group))) continue;
        found.add(key(group));
        queue.push(group);
      }
    }
    return found;
  }

  private requireUser(id: string): UserState {
    const user = this.users.get(key(id));
    if (user === undefined) throw notFound(`user ${id}`);
    return user;
  }

  private requireDevice(id: string): DeviceState {
    const device = this.devices.get(key(id));
    if (device === undefined) throw notFound(`device ${id}`);
    return device;
  }
}

function key(id: string): string {
  return id.toLowerCase();
}

function notFound(what: string): DirectoryError {
  return new DirectoryError('not_found', `Resource '${what}' does not exist (sandbox)`, {
    code: 'Request_ResourceNotFound',
  });
}

function toDirectoryUser(state: UserState): DirectoryUser {
  const { seed } = state;
  const user: DirectoryUser = {
    id: seed.id,
    userPrincipalName: seed.userPrincipalName,
    displayName: seed.displayName,
    accountEnabled: state.accountEnabled,
    onPremisesSyncEnabled: seed.onPremises !== undefined,
  };
  if (seed.mail !== undefined) user.mail = seed.mail;
  if (seed.jobTitle !== undefined) user.jobTitle = seed.jobTitle;
  if (seed.department !== undefined) user.department = seed.department;
  if (seed.onPremises) {
    user.onPremisesSamAccountName = seed.onPremises.samAccountName;
    user.onPremisesSecurityIdentifier = seed.onPremises.securityIdentifier;
    user.onPremisesUserPrincipalName = seed.onPremises.userPrincipalName;
  }
  return user;
}

export function toPerson(seed: SandboxUserSeed): Person {
  const person: Person = { id: seed.id, name: seed.displayName, upn: seed.userPrincipalName };
  if (seed.channelAccountId !== undefined) person.channelAccountId = seed.channelAccountId;
  return person;
}
