// Typed errors shared by the core and the adapters. Adapters translate what their protocol
// reports (Graph status codes, LDAP result codes) into a DirectoryError whose `kind` is all the
// engine needs to decide between retrying and failing with advice.

export type DirectoryFailureKind =
  /** 429 or an LDAP "busy": wait (Retry-After when given) and try again. */
  | 'throttled'
  /** 5xx, timeouts, connection resets, LDAP unavailable: try again with backoff. */
  | 'transient'
  /** The app or bind account lacks a permission: an administrator must fix it. */
  | 'permission'
  | 'not_found'
  /** The directory refused the change itself (policy, constraint): retrying will not help. */
  | 'rejected'
  /** Our configuration is wrong (e.g. password reset over an unencrypted connection). */
  | 'misconfigured';

export interface DirectoryErrorDetails {
  /** The protocol's own code: Graph `error.code`, LDAP result name. */
  code?: string;
  /** Milliseconds the service asked us to wait (Retry-After). */
  retryAfterMs?: number;
  /** Graph `request-id` or LDAP message id, for the audit trail and support tickets. */
  requestId?: string;
  /** What an administrator should do, in plain words. */
  advice?: string;
  cause?: unknown;
}

export class DirectoryError extends Error {
  readonly kind: DirectoryFailureKind;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  readonly advice: string | undefined;

  constructor(kind: DirectoryFailureKind, message: string, details: DirectoryErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DirectoryError';
    this.kind = kind;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
    this.advice = details.advice;
  }

  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'transient';
  }
}

/** A request that cannot be made or acted on; the message is safe to show to the user. */
export class RequestRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RequestRefused';
  }
}

export type RefusalCode =
  | 'bad_command'
  | 'unknown_user'
  | 'protected_target'
  | 'unknown_request'
  | 'not_authorised'
  | 'self_approval'
  | 'target_approval'
  | 'already_approved'
  | 'not_pending'
  | 'expired'
  | 'nothing_to_retry'
  | 'stale_card'
  | 'not_requester'
  | 'manager_cannot_complete'
  | 'manager_already_counted'
  | 'not_restorable'
  | 'not_wipeable'
  | 'wipe_unconfirmed'
  /** An audit record that must exist first could not be written, so nothing counted or is shown. */
  | 'audit_unavailable'
  | 'recheck_needed'
  /** The request's card could not be posted, so the request was cancelled. */
  | 'card_not_posted';

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
