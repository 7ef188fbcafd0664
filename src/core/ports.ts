// The interfaces the core needs from the outside world. Adapters (Graph, LDAP, sandbox, SQLite,
// Teams) implement them; the core never imports an SDK.
import type { Device, DirectoryUser, Person, RevocationRequest } from './model';

/** Microsoft Entra ID, as seen by Revoke. Errors are thrown as DirectoryError. */
export interface Directory {
  /** Finds a user by UPN, or by mail when no UPN matches. Undefined when nobody matches. */
  findUser(upnOrMail: string): Promise<DirectoryUser | undefined>;
  getUser(id: string): Promise<DirectoryUser | undefined>;
  /** All devices registered to the user, every page. */
  listRegisteredDevices(userId: string): Promise<Device[]>;
  getDevice(deviceId: string): Promise<Device | undefined>;
  /** `accountEnabled=false`. Succeeds when the account is already disabled. */
  disableUser(userId: string): Promise<void>;
  /** Invalidates refresh tokens and session cookies; returns the new sessions-valid-from time. */
  revokeSignInSessions(userId: string): Promise<{ validFrom?: string }>;
  disableDevice(deviceId: string): Promise<void>;
  /** Which of `groupIds` the user is a member of, transitively. */
  memberGroups(userId: string, groupIds: string[]): Promise<string[]>;
  getManager(userId: string): Promise<Person | undefined>;
}

/** How to find a user's on-premises account from what Entra ID knows about them. */
export interface OnPremAccountRef {
  samAccountName?: string;
  securityIdentifier?: string;
  userPrincipalName?: string;
}

export interface OnPremAccount {
  /** The distinguished name exactly as the directory returned it. */
  dn: string;
  samAccountName: string;
  userAccountControl: number;
  disabled: boolean;
  /** Windows FILETIME of the last password change, as a decimal string. */
  pwdLastSet: string;
}

/** On-premises Active Directory. Errors are thrown as DirectoryError. */
export interface OnPremDirectory {
  findAccount(ref: OnPremAccountRef): Promise<OnPremAccount | undefined>;
  /** Sets the ACCOUNTDISABLE bit of userAccountControl, keeping every other bit. */
  disableAccount(dn: string): Promise<void>;
  /**
   * Resets the password to a fresh random value that satisfies AD's complexity policy. The value
   * is generated inside the adapter and never leaves it.
   */
  resetPasswordToRandom(dn: string): Promise<void>;
}

/** Durable storage of requests. Every write is compare-and-swap on `version`. */
export interface RequestStore {
  /** Saves a new request (version 1). Fails if the id exists. */
  create(request: RevocationRequest): Promise<void>;
  get(id: string): Promise<RevocationRequest | undefined>;
  /**
   * Saves `next` (whose version must be `expectedVersion + 1`) only if the stored version is still
   * `expectedVersion`. Returns false when another writer got there first.
   */
  compareAndSwap(next: RevocationRequest, expectedVersion: number): Promise<boolean>;
  listByStatus(statuses: RevocationRequest['status'][]): Promise<RevocationRequest[]>;
  close(): Promise<void>;
}

/** Posts and updates what people see in Teams. */
export interface Notifier {
  /** Posts the request card in the requester's thread; returns the card's activity id. */
  postRequestCard(request: RevocationRequest): Promise<string | undefined>;
  /** Re-renders the card in place from the request's saved state. */
  updateCard(request: RevocationRequest): Promise<void>;
  /** Posts a short message in the request's thread, @mentioning the requester. */
  postMilestone(request: RevocationRequest, text: string): Promise<void>;
}

/** Structured, secret-free logging. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}
