// Opens the audit trail in the database named by DATABASE_URL (the same one as the requests).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseDatabaseUrl } from './open-store';
import { SqliteAuditLog } from './sqlite/sqlite-audit-log';

/**
 * With `sqlite::memory:` the trail lives in its own in-memory database (a second connection
 * cannot see the first one's): fine for tests, and the same code path as a file.
 */
export function openAuditLog(databaseUrl: string): SqliteAuditLog {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.filename !== ':memory:') mkdirSync(dirname(location.filename), { recursive: true });
  return new SqliteAuditLog(location.filename);
}
