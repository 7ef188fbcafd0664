// Paging on-call: the port the approval flow calls when a request is created (trigger) and when it
// ends (resolve). Adapters (src/paging/) speak PagerDuty's Events API v2 or a signed webhook; the
// core only sees this interface and DirectoryErrors, so the outreach sweep retries a page exactly
// as it retries a directory call (src/core/retry.ts).

/** One page: everything an on-call responder needs to find the request. Nothing secret. */
export interface PageAlert {
  /**
   * The deduplication key, stable for the request (e.g. `revoke-<requestId>`): a repeated
   * trigger joins the open page instead of opening a second, and resolve closes it.
   */
  key: string;
  /** One line for the pager's title; PagerDuty keeps at most 1,024 characters. */
  summary: string;
  requestId: string;
  targetUpn: string;
  targetName: string;
  requesterName: string;
  reason: string;
  /** ISO 8601: when the request was made. */
  createdAt: string;
  /** A link to the card/thread when known */
  link?: { href: string; text: string };
}

/** Why a page is resolved: the request's end. */
export type PageResolution = 'approved' | 'rejected' | 'expired' | 'cancelled';

/**
 * A way of paging on-call. Both calls are idempotent for a key: a trigger repeated while the page
 * is open is deduplicated into it, and resolving a page that is closed or unknown is harmless.
 * Failures are DirectoryErrors: `throttled` (with retryAfterMs) and `transient` are worth retrying
 * later; `rejected`, `misconfigured` and `permission` are not. Adapters never retry on their own.
 */
export interface Pager {
  /** 'PagerDuty' | 'alert webhook' */
  readonly name: string;
  trigger(alert: PageAlert): Promise<void>;
  resolve(key: string, why: PageResolution): Promise<void>;
}
