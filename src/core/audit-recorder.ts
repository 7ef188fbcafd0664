// Appending to the audit trail from the core. A failed append is logged loudly but never fails the
// caller: the audit trail records an emergency revocation, it must not be able to stop one.
import type { AuditEvent } from './audit-event';
import type { Clock } from './clock';
import { describeError } from './errors';
import type { AuditLog, Logger } from './ports';

export async function appendAudit(
  audit: AuditLog,
  event: AuditEvent,
  logger: Logger,
): Promise<void> {
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

/** Appends events stamped with the clock's time, safely as `appendAudit` does. */
export function auditRecorder(audit: AuditLog, clock: Clock, logger: Logger): RecordAudit {
  return (event) => appendAudit(audit, { ...event, at: clock.now().toISOString() }, logger);
}
