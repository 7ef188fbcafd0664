// Appending to the audit trail from the core. A failed append is logged loudly but never fails the
// caller: the audit trail records an emergency revocation, it must not be able to stop one.
import type { AuditEvent } from './audit-event';
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
