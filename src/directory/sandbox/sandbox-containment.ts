// The sandbox's Identity Protection, authentication methods, consent grants and Intune devices,
// seeded from tenant.json, behaving like Graph where Revoke can tell: deletes of what is gone and
// adds of what is there succeed, retire and wipe only mark the device as pending.
import type { Clock } from '../../core/clock';
import { DirectoryError } from '../../core/errors';
import type {
  AuthMethod,
  ContainmentDirectory,
  ManagedDevice,
  OAuthGrant,
} from '../../core/containment-ports';
import type { SandboxBehaviour } from './behaviour';
import type { SandboxEntraDirectory } from './sandbox-entra';
import type { SandboxTenantFile } from './tenant-file';

export class SandboxContainmentDirectory implements ContainmentDirectory {
  private readonly riskStates = new Map<string, string>();
  private readonly methods = new Map<string, AuthMethod[]>();
  private readonly grants = new Map<string, OAuthGrant & { principalId: string }>();
  private readonly devices = new Map<string, ManagedDevice & { userId: string }>();

  constructor(
    file: SandboxTenantFile,
    clock: Clock,
    private readonly entra: SandboxEntraDirectory,
    private readonly behaviour: SandboxBehaviour,
  ) {
    const now = clock.now().getTime();
    for (const user of file.users) {
      const id = key(user.id);
      if (user.riskState !== undefined) this.riskStates.set(id, user.riskState);
      this.methods.set(
        id,
        user.authMethods.map((m) => {
          const method: AuthMethod = { id: m.id, type: m.type, label: m.label };
          if (m.createdDaysAgo !== undefined)
            method.createdAt = new Date(now - m.createdDaysAgo * 86_400_000).toISOString();
          return method;
        }),
      );
      for (const g of user.oauthGrants) {
        this.grants.set(g.id, {
          id: g.id,
          clientId: g.clientId,
          clientName: g.appName,
          scope: g.scope,
          principalId: id,
        });
      }
      for (const d of user.managedDevices) {
        const device: ManagedDevice & { userId: string } = {
          id: d.id,
          deviceName: d.deviceName,
          managementState: d.managementState,
          userId: id,
        };
        if (d.operatingSystem !== undefined) device.operatingSystem = d.operatingSystem;
        this.devices.set(key(d.id), device);
      }
    }
  }

  getRiskState(userId: string): Promise<string> {
    return this.behaviour.run(
      'getRiskState',
      [userId],
      () => this.riskStates.get(key(userId)) ?? 'none',
    );
  }

  confirmCompromised(userId: string): Promise<void> {
    return this.behaviour.run('confirmCompromised', [userId], () => {
      this.riskStates.set(key(userId), 'confirmedCompromised');
    });
  }

  listAuthMethods(userId: string): Promise<AuthMethod[]> {
    return this.behaviour.run('listAuthMethods', [userId], () =>
      (this.methods.get(key(userId)) ?? []).map((m) => ({ ...m })),
    );
  }

  deleteAuthMethod(userId: string, method: { id: string; type: string }): Promise<void> {
    return this.behaviour.run('deleteAuthMethod', [userId, method.id], () => {
      const list = this.methods.get(key(userId)) ?? [];
      this.methods.set(
        key(userId),
        list.filter((m) => !(m.id === method.id && m.type === method.type)),
      );
    });
  }

  listOAuthGrants(userId: string): Promise<OAuthGrant[]> {
    return this.behaviour.run('listOAuthGrants', [userId], () =>
      [...this.grants.values()]
        .filter((g) => g.principalId === key(userId))
        .map(({ principalId: _principal, ...grant }) => grant),
    );
  }

  deleteOAuthGrant(grantId: string): Promise<void> {
    return this.behaviour.run('deleteOAuthGrant', [grantId], () => {
      this.grants.delete(grantId);
    });
  }

  addGroupMember(groupId: string, userId: string): Promise<void> {
    return this.behaviour.run('addGroupMember', [userId, groupId], () => {
      this.entra.setDirectMember(groupId, userId, true);
    });
  }

  removeGroupMember(groupId: string, userId: string): Promise<void> {
    return this.behaviour.run('removeGroupMember', [userId, groupId], () => {
      this.entra.setDirectMember(groupId, userId, false);
    });
  }

  async isGroupMember(groupId: string, userId: string): Promise<boolean> {
    return (await this.entra.memberGroups(userId, [groupId])).length > 0;
  }

  getGroupName(groupId: string): Promise<string | undefined> {
    return this.behaviour.run('getGroupName', [groupId], () => this.entra.groupName(groupId));
  }

  listManagedDevices(userId: string): Promise<ManagedDevice[]> {
    return this.behaviour.run('listManagedDevices', [userId], () =>
      [...this.devices.values()].filter((d) => d.userId === key(userId)).map(publicDevice),
    );
  }

  getManagedDevice(deviceId: string): Promise<ManagedDevice | undefined> {
    return this.behaviour.run('getManagedDevice', [deviceId], () => {
      const device = this.devices.get(key(deviceId));
      return device && publicDevice(device);
    });
  }

  retireManagedDevice(deviceId: string): Promise<void> {
    return this.behaviour.run('retireManagedDevice', [deviceId], () => {
      this.requireDevice(deviceId).managementState = 'retirePending';
    });
  }

  wipeManagedDevice(deviceId: string): Promise<void> {
    return this.behaviour.run('wipeManagedDevice', [deviceId], () => {
      this.requireDevice(deviceId).managementState = 'wipePending';
    });
  }

  enableUser(userId: string): Promise<void> {
    return this.behaviour.run('enableUser', [userId], () =>
      this.entra.setAccountEnabled(userId, true),
    );
  }

  enableDevice(deviceId: string): Promise<void> {
    return this.behaviour.run('enableDevice', [deviceId], () =>
      this.entra.setDeviceEnabled(deviceId, true),
    );
  }

  private requireDevice(id: string): ManagedDevice {
    const device = this.devices.get(key(id));
    if (!device) {
      throw new DirectoryError(
        'not_found',
        `Resource 'managedDevice ${id}' does not exist (sandbox)`,
        {
          code: 'ResourceNotFound',
        },
      );
    }
    return device;
  }
}

function publicDevice({
  userId: _user,
  ...device
}: ManagedDevice & { userId: string }): ManagedDevice {
  return { ...device };
}

function key(id: string): string {
  return id.toLowerCase();
}
