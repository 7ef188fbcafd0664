// What the core needs from Google Workspace (the Admin SDK Directory API): find the one account of
// the person being revoked, end its sessions, suspend it and read it back. Plain TypeScript: the
// adapter (src/directory/google-workspace/) and the sandbox implement it. Errors are
// DirectoryErrors, so the one retry layer handles Google's throttling like Graph's.
import { connectorKey } from '../paths/connectors';

/** A Google Workspace user as far as Revoke needs to know it. */
export interface GoogleWorkspaceUser {
  /** Google's immutable user id: every call after the look-up names the user by it. */
  id: string;
  primaryEmail: string;
  suspended: boolean;
}

/** The DirectoryError code of a look-up that matched more than one account. */
export const AMBIGUOUS_GOOGLE_USER = 'ambiguous';

export interface GoogleWorkspaceDirectory {
  /**
   * The one user whose primary email or one of whose aliases equals one of `addresses`, compared
   * exactly but without regard to case (Google treats addresses so). Undefined when there is none;
   * a DirectoryError 'rejected' with code AMBIGUOUS_GOOGLE_USER when the addresses lead to more
   * than one user, since revoking the wrong person's access is worse than asking.
   */
  findUser(addresses: readonly string[]): Promise<GoogleWorkspaceUser | undefined>;
  /** Undefined when the user no longer exists (404). */
  getUser(id: string): Promise<GoogleWorkspaceUser | undefined>;
  /** users.signOut: ends every web and device session and resets the sign-in cookies. */
  signOut(id: string): Promise<void>;
  /** users.update {suspended}; succeeds when the account already is so. */
  setSuspended(id: string, suspended: boolean): Promise<void>;
}

export const GOOGLE_WORKSPACE = connectorKey<GoogleWorkspaceDirectory>('google-workspace');
