// What the audit trail records. Plain, secret-free data: ids, kinds, counts and short outcomes,
// never tokens, passwords or raw directory answers.

export type AuditEventType =
  | 'request.created'
  | 'request.refused'
  /** A dry run: who looked at whose devices, MFA methods, consents and roles. */
  | 'plan.previewed'
  | 'approval.recorded'
  | 'approval.lapsed'
  | 'request.approved'
  | 'request.rejected'
  | 'request.expired'
  /** Withdrawn by Revoke: its card could not be posted, so nobody could approve it. */
  | 'request.cancelled'
  | 'run.retry'
  | 'run.finished'
  | 'drift.checked'
  | 'manager.notified'
  /** The card sent to approvers in personal chats: who got it, who could not be reached. */
  | 'approvers.notified'
  | 'approval.reminded'
  /** The escalation group notified; from then on its members may approve. */
  | 'approval.escalated'
  /** On-call paged (PagerDuty, the alert webhook), the page resolved, or refused for good. */
  | 'page.triggered'
  | 'page.resolved'
  | 'page.failed'
  | 'task.done'
  | 'step.started'
  | 'step.retrying'
  | 'step.succeeded'
  | 'step.failed'
  | 'action.refused'
  | 'access.refused'
  /** The first record signed with an audit key; all before it were plain SHA-256. */
  | 'audit.keyed'
  /** Records a running revocation could not write when they happened, written late. */
  | 'audit.delayed';

export type AuditValue = string | number | boolean | null | string[];

export interface AuditEvent {
  type: AuditEventType;
  /** ISO 8601, from the service's clock. */
  at: string;
  requestId?: string;
  /** Entra object id of the person who acted (requester, approver, clicker). */
  actorId?: string;
  details: Record<string, AuditValue>;
}

/** An event as stored: its place in the chain and the hashes that bind it there. */
export interface AuditRecord extends AuditEvent {
  seq: number;
  prevHash: string;
  /** The audit key the hash is an HMAC under; absent on records from before the chain was keyed. */
  keyId?: string;
  hash: string;
}

export type AuditVerification =
  | {
      ok: true;
      records: number;
      lastHash: string;
      /** How many records at the start predate the audit key (plain SHA-256); absent: none. */
      unkeyed?: number;
    }
  | { ok: false; records: number; brokenAt: number; reason: string };

/** For wiring without an audit trail (unit tests of unrelated parts). */
export const NO_AUDIT = {
  append: async (): Promise<void> => {},
  verify: async (): Promise<AuditVerification> => ({ ok: true, records: 0, lastHash: '' }),
};
