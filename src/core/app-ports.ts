// What the core needs to deprovision the user from applications beyond Entra ID: enterprise apps
// Entra ID provisions (on-demand provisioning pushes the disable now instead of at the next cycle)
// and apps reached over their own SCIM 2.0 endpoint. Ports of their own, so a deployment without
// such apps (and every test double) need not implement them. Errors are thrown as DirectoryError.

/** What one on-demand provisioning run reported for the user. */
export interface ProvisioningResult {
  /** The provisioning engine's overall verdict for the user: success, skipped or failure. */
  status: 'success' | 'skipped' | 'failure';
  /** A short, secret-free account: the steps and their outcomes as Entra reported them. */
  detail: string;
}

export interface AppProvisioning {
  /** The enterprise app's display name; undefined when the service principal does not exist. */
  getProvisionedAppName(servicePrincipalId: string): Promise<string | undefined>;
  /**
   * Runs the app's provisioning job for this one user now. The job sees the account as it is in
   * Entra ID, so a disabled account is deactivated (or deleted) in the app, as the app's mappings say.
   */
  provisionOnDemand(servicePrincipalId: string, userId: string): Promise<ProvisioningResult>;
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
