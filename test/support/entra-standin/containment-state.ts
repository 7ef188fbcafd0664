// The stand-in's Identity Protection, authentication methods, consent grants, service principals
// and Intune devices. Tests seed them and read them back; the routes change them as Graph would.
import { randomUUID } from 'node:crypto';

export interface StandinAuthMethod {
  id: string;
  /** Without the namespace, e.g. `phoneAuthenticationMethod`. */
  type: string;
  createdDateTime?: string;
  displayName?: string;
  phoneNumber?: string;
}

export interface StandinGrant {
  id: string;
  clientId: string;
  principalId: string;
  resourceId: string;
  scope: string;
}

export interface StandinManagedDevice {
  id: string;
  deviceName: string;
  userId: string;
  operatingSystem: string;
  managementState: string;
}

export class ContainmentState {
  /** userId → riskState; absent means Identity Protection never flagged the user (404). */
  readonly riskStates = new Map<string, string>();
  readonly authMethods = new Map<string, StandinAuthMethod[]>();
  readonly grants = new Map<string, StandinGrant>();
  readonly servicePrincipals = new Map<string, string>();
  readonly managedDevices = new Map<string, StandinManagedDevice>();

  addAuthMethod(userId: string, seed: Omit<StandinAuthMethod, 'id'>): StandinAuthMethod {
    const method = { id: randomUUID(), ...seed };
    this.authMethods.set(userId, [...(this.authMethods.get(userId) ?? []), method]);
    return method;
  }

  addGrant(seed: Omit<StandinGrant, 'id' | 'resourceId'>, appName?: string): StandinGrant {
    const grant = { id: randomUUID(), resourceId: randomUUID(), ...seed };
    this.grants.set(grant.id, grant);
    if (appName !== undefined) this.servicePrincipals.set(grant.clientId, appName);
    return grant;
  }

  addManagedDevice(
    seed: Partial<StandinManagedDevice> & { deviceName: string; userId: string },
  ): StandinManagedDevice {
    const device = {
      id: randomUUID(),
      operatingSystem: 'Windows',
      managementState: 'managed',
      ...seed,
    };
    this.managedDevices.set(device.id, device);
    return device;
  }
}
