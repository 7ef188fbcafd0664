// What the core needs to deprovision the user from applications beyond Entra ID: enterprise apps
// Entra ID provisions (their app role assignments, which put the user in the provisioning job's
// scope, and on-demand provisioning, which acts on the unassignment now instead of at the next
// cycle) and apps reached over their own SCIM 2.0 endpoint. Ports of their own, so a deployment without
// such apps (and every test double) need not implement them. Errors are thrown as DirectoryError.

/** What one on-demand provisioning run reported for the user. */
export interface ProvisioningResult {
  /** The provisioning engine's overall verdict for the user: success, skipped or failure. */
  status: 'success' | 'skipped' | 'failure';
  /** A short, secret-free account: the steps and their outcomes as Entra reported them. */
  detail: string;
  /**
   * Entra reported that it disabled or deleted the user's account in the app (its soft-delete or
   * delete export succeeded). Only this confirms a deprovisioning: an update leaves them active.
   */
  deprovisioned: boolean;
}

/** The zero GUID: the "Default Access" role of an app that defines no roles of its own. */
export const DEFAULT_ACCESS_APP_ROLE = '00000000-0000-0000-0000-000000000000';

/** One app role assignment that puts the user in an enterprise app's provisioning scope. */
export interface AppAssignment {
  id: string;
  appRoleId: string;
  /** A direct assignment to the user, or one to a group the user is a direct member of. */
  principalType: 'User' | 'Group';
  principalId: string;
  /** The user's or the group's display name, as Entra ID names it. */
  principalName: string;
}

export interface AppProvisioning {
  /** The enterprise app's display name; undefined when the service principal does not exist. */
  getProvisionedAppName(servicePrincipalId: string): Promise<string | undefined>;
  /**
   * Runs the app's provisioning job for this one user now. The job sees the account as it is in
   * Entra ID, so a disabled account is deactivated (or deleted) in the app, as the app's mappings say.
   */
  provisionOnDemand(servicePrincipalId: string, userId: string): Promise<ProvisioningResult>;
  /**
   * The user's app role assignments to the app: their own, and those of the groups they are a
   * direct member of (which keep them in the job's scope; nested groups do not).
   */
  listAppAssignments(servicePrincipalId: string, userId: string): Promise<AppAssignment[]>;
  /** Removes one of the user's own assignments; succeeds when it is already gone. */
  removeAppAssignment(userId: string, assignmentId: string): Promise<void>;
  /** Assigns the user the app role again; succeeds when they already hold it. */
  addAppAssignment(servicePrincipalId: string, userId: string, appRoleId: string): Promise<void>;
}

/** A user as a SCIM service provider knows it. */
export interface ScimUser {
  id: string;
  userName: string;
  active: boolean;
}

export interface ScimApps {
  /** The configured apps' names, in configuration order. */
  names(): string[];
  /** The user whose userName is exactly `userName`; undefined when there is none. */
  findUser(app: string, userName: string): Promise<ScimUser | undefined>;
  /** Undefined when the user is gone (404). */
  getUser(app: string, id: string): Promise<ScimUser | undefined>;
  /** Sets active=false; succeeds when the user is already inactive. */
  deactivateUser(app: string, id: string): Promise<void>;
}
