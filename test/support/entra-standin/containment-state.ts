// The stand-in's Identity Protection, authentication methods, consent grants, service principals,
// their app role assignments and provisioning jobs, and Intune devices. Tests seed them and read
// them back; the routes change them as Graph would.
import { randomBytes, randomUUID } from 'node:crypto';

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

/**
 * An enterprise app's provisioning job, and what it last pushed to the app for each user. Its
 * scope is the app's assignments ("sync only assigned users and groups"): users assigned directly,
 * and direct members of assigned groups.
 */
export interface StandinProvisioningJob {
  jobId: string;
  ruleId: string;
  /** userId → whether the app's account is active; absent: never provisioned to the app. */
  pushed: Map<string, boolean>;
}

/** An app role assignment of a user or a group to a service principal (the resource). */
export interface StandinAppRoleAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: 'User' | 'Group';
  resourceId: string;
  createdDateTime: string;
}

/** The zero GUID: "Default Access", the role of an app that defines none. */
export const DEFAULT_ACCESS = '00000000-0000-0000-0000-000000000000';

export class ContainmentState {
  /** userId → riskState; absent means Identity Protection never flagged the user (404). */
  readonly riskStates = new Map<string, string>();
  readonly authMethods = new Map<string, StandinAuthMethod[]>();
  readonly grants = new Map<string, StandinGrant>();
  readonly servicePrincipals = new Map<string, string>();
  readonly managedDevices = new Map<string, StandinManagedDevice>();
  /** servicePrincipalId → its provisioning job. */
  readonly provisioningJobs = new Map<string, StandinProvisioningJob>();
  /** assignment id → the assignment. */
  readonly appRoleAssignments = new Map<string, StandinAppRoleAssignment>();

  addProvisioningJob(servicePrincipalId: string, appName: string): StandinProvisioningJob {
    const job = {
      jobId: `scim.${randomUUID().replace(/-/g, '')}.${randomUUID().slice(0, 8)}`,
      ruleId: randomUUID().replace(/-/g, '').slice(0, 16),
      pushed: new Map<string, boolean>(),
    };
    this.servicePrincipals.set(servicePrincipalId, appName);
    this.provisioningJobs.set(servicePrincipalId, job);
    return job;
  }

  /** Assigns a user or a group to the app (as the admin center or Graph would). */
  assignToApp(
    servicePrincipalId: string,
    principal: { id: string; type: 'User' | 'Group' },
    appRoleId: string = DEFAULT_ACCESS,
  ): StandinAppRoleAssignment {
    const assignment: StandinAppRoleAssignment = {
      // Graph's assignment ids are opaque base64url strings, not GUIDs.
      id: randomBytes(32).toString('base64url').slice(0, 43),
      appRoleId,
      principalId: principal.id,
      principalType: principal.type,
      resourceId: servicePrincipalId,
      createdDateTime: new Date().toISOString(),
    };
    this.appRoleAssignments.set(assignment.id, assignment);
    return assignment;
  }

  /** The app's assignments to this principal itself. */
  assignmentsOf(principalId: string, servicePrincipalId?: string): StandinAppRoleAssignment[] {
    return [...this.appRoleAssignments.values()].filter(
      (a) =>
        a.principalId === principalId &&
        (servicePrincipalId === undefined || a.resourceId === servicePrincipalId),
    );
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
