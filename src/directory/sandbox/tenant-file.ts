// The shape of sandbox/tenant.json once validated. Optional fields have their defaults applied.

export interface SandboxTenantFile {
  tenant: { id: string; name: string; defaultDomain: string };
  roles: { approverGroupId: string; protectedGroupId: string; containmentGroupId?: string };
  users: SandboxUserSeed[];
  groups: SandboxGroupSeed[];
}

export interface SandboxUserSeed {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail?: string;
  jobTitle?: string;
  department?: string;
  accountEnabled: boolean;
  managerId?: string;
  /** A made-up Bot Framework id, so the playground can @mention the person. */
  channelAccountId?: string;
  /** Who this person is in the demo story. */
  note?: string;
  devices: SandboxDeviceSeed[];
  /** Active Entra ID directory role assignments. */
  directoryRoles: SandboxRoleSeed[];
  /** Present when the user is synced from on-premises AD. */
  onPremises?: SandboxOnPremSeed;
  /** Identity Protection's risk state; `none` when absent. */
  riskState?: string;
  authMethods: SandboxAuthMethodSeed[];
  oauthGrants: SandboxGrantSeed[];
  managedDevices: SandboxManagedDeviceSeed[];
}

export interface SandboxAuthMethodSeed {
  id: string;
  /** Graph's type without the namespace, e.g. `microsoftAuthenticatorAuthenticationMethod`. */
  type: string;
  label: string;
  /** Registered this many days before the sandbox starts, so "recent" stays recent in a demo. */
  createdDaysAgo?: number;
}

export interface SandboxGrantSeed {
  id: string;
  clientId: string;
  appName: string;
  scope: string;
}

export interface SandboxManagedDeviceSeed {
  id: string;
  deviceName: string;
  operatingSystem?: string;
  managementState: string;
}

export interface SandboxRoleSeed {
  /** The built-in role's template id. */
  roleTemplateId: string;
  displayName: string;
  /** The role definition's `isPrivileged` flag, as Entra ID sets it for the built-in role. */
  isPrivileged: boolean;
  /** An active assignment, or a Privileged Identity Management eligibility. Default: active. */
  assignment: 'active' | 'eligible';
}

export interface SandboxDeviceSeed {
  id: string;
  displayName: string;
  operatingSystem?: string;
  accountEnabled: boolean;
}

export interface SandboxOnPremSeed {
  dn: string;
  samAccountName: string;
  securityIdentifier: string;
  /** Defaults to the cloud UPN. */
  userPrincipalName: string;
  userAccountControl: number;
  /** Windows FILETIME (100 ns ticks since 1601-01-01 UTC) as a decimal string. */
  pwdLastSet: string;
}

export interface SandboxGroupSeed {
  id: string;
  displayName: string;
  /** User or group ids. */
  members: string[];
}
