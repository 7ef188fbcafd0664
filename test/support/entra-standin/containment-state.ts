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

/** An enterprise app's provisioning job, and what it last pushed to the app for each user. */
export interface StandinProvisioningJob {
  jobId: string;
  ruleId: string;
  /** Users the job's scope covers (assigned to the app); others are skipped. */
  inScope: Set<string>;
  /** userId → whether the app's account is active, as the last run left it. */
  pushed: Map<string, boolean>;
}

export class ContainmentState {
  /** userId → riskState; absent means Identity Protection never flagged the user (404). */
  readonly riskStates = new Map<string, string>();
  readonly authMethods = new Map<string, StandinAuthMethod[]>();
  readonly grants = new Map<string, StandinGrant>();
  readonly servicePrincipals = new Map<string, string>();
  readonly managedDevices = new Map<string, StandinManagedDevice>();
  /** servicePrincipalId → its provisioning job. */
  readonly provisioningJobs = new Map<string, StandinProvisioningJob>();

  addProvisioningJob(servicePrincipalId: string, appName: string): StandinProvisioningJob {
    const job = {
      jobId: `scim.${randomUUID().replace(/-/g, '')}.${randomUUID().slice(0, 8)}`,
      ruleId: randomUUID().replace(/-/g, '').slice(0, 16),
      inScope: new Set<string>(),
      pushed: new Map<string, boolean>(),
    };
    this.servicePrincipals.set(servicePrincipalId, appName);
    this.provisioningJobs.set(servicePrincipalId, job);
    return job;
  }

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
