// The audit trail as the bot uses it: the chain in DATABASE_URL's database, signed with AUDIT_KEY
// (the sandbox's key file without it), each committed record copied to AUDIT_SINK, and wrapped
// in the core's AuditTrail, which holds a running revocation's records while the store fails.
import type { AuditConfig } from './audit-config';
import { openAuditSink, type AuditSink } from './audit-sink';
import { sandboxKeyring } from './sandbox-key';
import { AuditTrail } from '../core/audit-trail';
import type { Clock } from '../core/clock';
import { describeError } from '../core/errors';
import type { AuditLog, Logger } from '../core/ports';
import { openAuditLog } from '../store';

export interface OpenedAuditTrail {
  trail: AuditTrail;
  /** Writes what is still held (or logs it), then closes the database and the sink. */
  close(): Promise<void>;
}

export async function openAuditTrail(
  settings: { databaseUrl: string; audit: AuditConfig },
  clock: Clock,
  logger: Logger,
  /** Tests: an audit log of their own instead of the database's. */
  override?: AuditLog & { close?(): Promise<void> },
): Promise<OpenedAuditTrail> {
  if (override) {
    const trail = new AuditTrail(override, clock, logger);
    return {
      trail,
      close: async () => {
        await trail.close();
        await override.close?.();
      },
    };
  }
  // A real tenant cannot get here without AUDIT_KEY: the configuration refuses to start.
  const keyring = settings.audit.keyring ?? sandboxKeyring(settings.databaseUrl);
  const sink: AuditSink = openAuditSink(settings.audit.sink);
  const log = await openAuditLog(settings.databaseUrl, {
    keyring,
    onAppended: (record) => {
      try {
        sink.write(record);
      } catch (error) {
        // The database has the record; the SIEM copy now has a hole, which it must hear about.
        logger.error('audit sink write failed: the external copy misses this record', {
          seq: record.seq,
          hash: record.hash,
          error: describeError(error),
        });
      }
    },
  });
  const trail = new AuditTrail(log, clock, logger);
  return {
    trail,
    close: async () => {
      await trail.close();
      await log.close();
      sink.close();
    },
  };
}
