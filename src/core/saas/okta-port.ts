// What the core needs from Okta to close a user's Okta path: find the account, suspend or
// deactivate it, end every session and OAuth token Okta issued, and undo the suspension on
// restore. The adapter (src/directory/okta) implements it with Okta's official SDK; the core never
// sees the SDK. Failures are DirectoryErrors (src/core/errors.ts) so the one retry layer and the
// cards treat Okta like Graph.

/** An Okta user as Revoke shows it on the plan and the card. */
export interface OktaAccount {
  id: string;
  login: string;
  email?: string;
  displayName?: string;
  /** As Okta says it: STAGED, PROVISIONED, ACTIVE, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT, SUSPENDED, DEPROVISIONED. */
  status: string;
}

export interface OktaDirectory {
  /**
   * Exact match on profile.login, else on profile.email (case-insensitive); undefined when none;
   * throws DirectoryError('rejected', code 'ambiguous') when several accounts match.
   */
  findUser(loginOrEmail: string): Promise<OktaAccount | undefined>;
  /** Undefined on 404. */
  getUser(id: string): Promise<OktaAccount | undefined>;
  /** lifecycle/suspend; an account already SUSPENDED is success. */
  suspendUser(id: string): Promise<void>;
  /** lifecycle/unsuspend, for restore; an account already ACTIVE is success. */
  unsuspendUser(id: string): Promise<void>;
  /** lifecycle/deactivate (configurable instead of suspend); never DELETE. DEPROVISIONED is success. */
  deactivateUser(id: string): Promise<void>;
  /** DELETE /api/v1/users/{id}/sessions?oauthTokens=true: every session and the OAuth tokens Okta issued. */
  clearSessions(id: string): Promise<void>;
  /** The scopes the service app's access token was granted (for the doctor), without changing anything. */
  grantedScopes(): Promise<string[]>;
}
