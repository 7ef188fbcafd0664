// The interfaces the core needs from the outside world. Adapters (Graph, LDAP, sandbox, SQLite,
// Teams) implement them; the core never imports an SDK.
import type { AuditEvent, AuditVerification } from './audit-event';
import type {
  CardLocation,
  Device,
  DirectoryRole,
  DirectoryUser,
  Person,
  RevocationRequest,
  Step,
} from './model';

/** Microsoft Entra ID, as seen by Revoke. Errors are thrown as DirectoryError. */
export interface EntraDirectory {
  /** Finds a user by UPN, or by mail when no UPN matches. Undefined when nobody matches. */
  findUser(upnOrMail: string): Promise<DirectoryUser | undefined>;
  getUser(id: string): Promise<DirectoryUser | undefined>;
  /** All devices registered to the user, every page. */
  listRegisteredDevices(userId: string): Promise<Device[]>;
  getDevice(deviceId: string): Promise<Device | undefined>;
  /** `accountEnabled=false`. Succeeds when the account is already disabled. */
  disableUser(userId: string): Promise<void>;
  /**
   * Invalidates refresh tokens and session cookies. Resolves only when the service answered that
   * it did (Graph: `value=true`); any other answer is an error. Confirms nothing: the step reads
   * getSignInSessionsValidFrom before and after.
   */
  revokeSignInSessions(userId: string): Promise<void>;
  /**
   * The user's `signInSessionsValidFromDateTime` (ISO 8601): tokens issued before it are invalid.
   * Undefined when none is set. An answer that is not a time is an error, never undefined.
   */
  getSignInSessionsValidFrom(userId: string): Promise<string | undefined>;
  disableDevice(deviceId: string): Promise<void>;
  /** Which of `groupIds` the user is a member of, transitively. */
  memberGroups(userId: string, groupIds: string[]): Promise<string[]>;
  /**
   * The users in the group, directly or through nested groups; at most `limit` of them. A group
   * that does not exist is a `not_found` DirectoryError.
   */
  listGroupMembers(groupId: string, limit: number): Promise<Person[]>;
  getManager(userId: string): Promise<Person | undefined>;
  /** The directory roles the user holds (active assignments, transitively), every page. */
  listDirectoryRoles(userId: string): Promise<DirectoryRole[]>;
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
  /** Requests whose drift check is still to run and is due at `now` (ISO) or earlier. */
  listDriftChecksDue(now: string): Promise<RevocationRequest[]>;
  /**
   * Requests with outreach (a personal card, reminder, escalation or page) due at `now` (ISO) or
   * earlier, as `nextOutreachAt` computes it when the request is saved.
   */
  listOutreachDue(now: string): Promise<RevocationRequest[]>;
  close(): Promise<void>;
}

/**
 * Which instance runs a request's steps when several share one store. A lease has one owner until
 * it expires; then anyone may take it, so the runs of an instance that died are picked up by
 * another. Expiry is judged by the store's clock, so instances whose clocks differ still agree.
 */
export interface RunLeases {
  /** Takes the lease if it is free, expired or already ours; true when we hold it now. */
  acquireRunLease(requestId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends our lease; false when another owner took it, and the run must stop starting steps. */
  renewRunLease(requestId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (end of run, shutdown) so another instance need not wait for expiry. */
  releaseRunLease(requestId: string, owner: string): Promise<void>;
}

/** Posts and updates what people see in Teams. */
export interface Notifier {
  /** Posts the request card in the requester's thread; returns the card's activity id. */
  postRequestCard(request: RevocationRequest): Promise<string | undefined>;
  /** Re-renders the card in place from the request's saved state. */
  updateCard(request: RevocationRequest): Promise<void>;
  /** Posts a short message in the request's thread, @mentioning the requester. */
  postMilestone(request: RevocationRequest, text: string): Promise<void>;
  /**
   * Sends the request card to one person in a personal chat with the bot (the target's manager).
   * Answers where it landed, or why the person cannot be reached (e.g. the app is not installed
   * for them). Absent: the channel has no personal chats.
   */
  postPersonalCard?(request: RevocationRequest, person: Person): Promise<PersonalCardResult>;
  /** Posts `text` in the request's thread, @mentioning `people` (a reminder, an escalation). */
  callPeople?(request: RevocationRequest, people: readonly Person[], text: string): Promise<void>;
  /** Posts `text` in the personal chat where one copy of the card lives. */
  postPersonalMessage?(location: CardLocation, text: string): Promise<void>;
  /** A link that opens the request's thread in Teams, for a page; undefined when none can be made. */
  cardLink?(request: RevocationRequest): string | undefined;
}

export type PersonalCardResult = { location: CardLocation } | { unreachable: string };

/**
 * An append-only, hash-chained record of who did what. Each record's hash covers its content and
 * the previous record's hash, so editing or deleting any record breaks verification from there on.
 */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Walks the whole chain; reports the first record whose hash or link does not match. */
  verify(): Promise<AuditVerification>;
}

/** Structured, secret-free logging. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export type OutreachKind = 'personal_card' | 'reminder' | 'escalation' | 'page';

/** Why a call was retried: the DirectoryError kind (`throttled` is a 429 or an LDAP busy). */
export type RetryReason = 'throttled' | 'transient';

/**
 * Counters and timings for operators. The core reports facts; an adapter turns them into
 * Prometheus series. Every method must be cheap and must never throw.
 */
export interface Metrics {
  /** A request reached `status` (from `pending` on creation). */
  requestTransition(status: RevocationRequest['status']): void;
  /** From the request being created to its last approval. */
  approvalTime(ms: number): void;
  /** From the request being created to its first approval. */
  firstApprovalTime(ms: number): void;
  /** One piece of outreach carried out: a personal card, reminder, escalation or page. */
  outreach(kind: OutreachKind, outcome: 'done' | 'unreachable' | 'retry' | 'failed'): void;
  /** From the last approval to the run's end. */
  runFinished(status: 'completed' | 'completed_with_failures', ms: number): void;
  stepFinished(kind: Step['kind'], outcome: 'succeeded' | 'failed', ms: number): void;
  /** `kind` is a step kind, or `lookup` for the calls made while a person waits. */
  retried(kind: Step['kind'] | 'lookup', reason: RetryReason): void;
  cardUpdateFailed(): void;
}
