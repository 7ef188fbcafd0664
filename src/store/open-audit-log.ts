// Opens the audit trail in the database named by DATABASE_URL (the same one as the requests).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditRecord } from '../core/audit-event';
import type { AuditLog } from '../core/ports';
import { parseDatabaseUrl } from './open-store';
import { PostgresAuditLog } from './postgres/postgres-audit-log';
import { SqliteAuditLog } from './sqlite/sqlite-audit-log';
import type { AuditLogOptions } from './audit-log-options';

/** The audit trail as the app and the audit CLI use it, whichever database holds it. */
export interface StoredAuditLog extends AuditLog {
  /** Records in chain order, optionally only those at or after `since` (ISO 8601). */
  records(since?: string): Iterable<AuditRecord> | AsyncIterable<AuditRecord>;
  close(): Promise<void>;
}

/**
 * With `sqlite::memory:` the trail lives in its own in-memory database (a second connection
 * cannot see the first one's): fine for tests, and the same code path as a file.
 */
export async function openAuditLog(
  databaseUrl: string,
  options: AuditLogOptions = {},
): Promise<StoredAuditLog> {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.driver === 'postgres')
    return PostgresAuditLog.open(location.connectionString, options);
  if (location.filename !== ':memory:') mkdirSync(dirname(location.filename), { recursive: true });
  return new SqliteAuditLog(location.filename, options);
}
