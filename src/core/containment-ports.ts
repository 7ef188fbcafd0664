// What the core needs from Entra ID and Intune beyond the runbook: containing a compromised
// account, retiring or wiping its devices, and undoing a revocation after a false alarm. A port of
// its own, so a directory that only does the runbook (and every test double of one) need not
// implement it. Errors are thrown as DirectoryError.

/** One authentication method registered for the user. */
export interface AuthMethod {
  id: string;
  /** The Graph type without the namespace, e.g. `microsoftAuthenticatorAuthenticationMethod`. */
  type: string;
  /** What a person recognises it by: the phone's name, a masked number, the key's model. */
  label: string;
  /** When it was registered; Graph does not report this for every type. */
  createdAt?: string;
}

/** A delegated permission grant the user gave an app (consent). */
export interface OAuthGrant {
  id: string;
  /** The client app's service principal object id. */
  clientId: string;
  /** The app's display name, when the app may read service principals. */
  clientName?: string;
  scope: string;
}

export interface ManagedDevice {
  id: string;
  deviceName: string;
  operatingSystem?: string;
  /** Intune's managementState: managed, retirePending, retireIssued, wipePending, … */
  managementState: string;
}

export interface ContainmentDirectory {
  /** The user's Identity Protection risk state (`none`, `atRisk`, `confirmedCompromised`, …). */
  getRiskState(userId: string): Promise<string>;
  confirmCompromised(userId: string): Promise<void>;
  listAuthMethods(userId: string): Promise<AuthMethod[]>;
  /** Succeeds when the method is already gone. */
  deleteAuthMethod(userId: string, method: { id: string; type: string }): Promise<void>;
  /** Grants the user gave for themselves; grants for all users (admin consent) are not theirs. */
  listOAuthGrants(userId: string): Promise<OAuthGrant[]>;
  /** Succeeds when the grant is already gone. */
  deleteOAuthGrant(grantId: string): Promise<void>;
  /** Adds a direct member; succeeds when the user is already one. */
  addGroupMember(groupId: string, userId: string): Promise<void>;
  /** Succeeds when the user is not a member. */
  removeGroupMember(groupId: string, userId: string): Promise<void>;
  /** Transitively, as checkMemberGroups answers. */
  isGroupMember(groupId: string, userId: string): Promise<boolean>;
  /** The group's display name; undefined when it does not exist. */
  getGroupName(groupId: string): Promise<string | undefined>;
  listManagedDevices(userId: string): Promise<ManagedDevice[]>;
  getManagedDevice(deviceId: string): Promise<ManagedDevice | undefined>;
  retireManagedDevice(deviceId: string): Promise<void>;
  wipeManagedDevice(deviceId: string): Promise<void>;
  /** `accountEnabled=true`; for restoring after a false alarm. */
  enableUser(userId: string): Promise<void>;
  enableDevice(deviceId: string): Promise<void>;
}

/** Undoing the AD disable; a port of its own for the same reason as ContainmentDirectory. */
export interface OnPremRestore {
  /** Clears the ACCOUNTDISABLE bit of userAccountControl, keeping every other bit. */
  enableAccount(dn: string): Promise<void>;
}
