// Appending to the audit trail from the core: thin helpers over AuditTrail (audit-trail.ts), which
// decides what happens when the store does not answer.
import type { AuditEvent } from './audit-event';
import { AuditTrail, auditTrailOf } from './audit-trail';
import type { Clock } from './clock';
import { describeError } from './errors';
import type { AuditLog, Logger } from './ports';

/**
 * A record of a running revocation (containment first): held and written late when the store
 * fails, never thrown. Through an AuditTrail when `audit` is one; a bare log (a part wired without
 * a trail) only logs the failure loudly.
 */
export async function appendAudit(
  audit: AuditLog,
  event: AuditEvent,
  logger: Logger,
): Promise<void> {
  if (audit instanceof AuditTrail) return audit.keep(event);
  try {
    await audit.append(event);
  } catch (error) {
    logger.error('audit append failed', {
      type: event.type,
      requestId: event.requestId,
      error: describeError(error),
    });
  }
}

export type RecordAudit = (event: Omit<AuditEvent, 'at'>) => Promise<void>;

/** Records that are held and written late when the store fails (see AuditTrail.keep). */
export function auditRecorder(audit: AuditLog, clock: Clock, logger: Logger): RecordAudit {
  const trail = auditTrailOf(audit, clock, logger);
  return (event) => trail.keep({ ...event, at: clock.now().toISOString() });
}

/** Records an action needs to count: throws AuditUnavailable when it was not written. */
export function requiredAuditRecorder(audit: AuditLog, clock: Clock, logger: Logger): RecordAudit {
  const trail = auditTrailOf(audit, clock, logger);
  return (event) => trail.append({ ...event, at: clock.now().toISOString() });
}
