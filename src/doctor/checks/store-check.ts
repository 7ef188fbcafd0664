// The request store: reachable, and its schema at the version this build expects. The database is
// opened read-only, so the doctor neither creates the file nor applies migrations (the bot does
// both at start).
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { parseDatabaseUrl } from '../../store';
import { MIGRATIONS } from '../../store/sqlite/migrations';
import { fail, ok, warn, type CheckResult } from '../check-result';

const NAME = 'Request store';

export function checkStore(databaseUrl: string, cwd = process.cwd()): CheckResult {
  let filename: string;
  try {
    const location = parseDatabaseUrl(databaseUrl, cwd);
    if (location.driver !== 'sqlite') {
      return warn(NAME, 'PostgreSQL: checked by checkPostgresStore, not here');
    }
    filename = location.filename;
  } catch (error) {
    return fail(NAME, error instanceof Error ? error.message : String(error), 'Fix DATABASE_URL.');
  }
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (filename === ':memory:') {
    return warn(
      NAME,
      'in memory: every request is lost when the process stops, and a run cut short is never resumed',
      'Set DATABASE_URL=sqlite:/path/on/a/persistent/volume/revoke.db for production.',
    );
  }
  if (!existsSync(filename)) {
    const dir = nearestExisting(dirname(filename));
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return fail(
        NAME,
        `${filename} does not exist and ${dir} is not writable`,
        `Make ${dir} writable by the bot's user, or point DATABASE_URL elsewhere.`,
      );
    }
    return warn(
      NAME,
      `${filename} does not exist yet; the bot creates it (schema v${latest}) at start`,
    );
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(filename, { readonly: true, fileMustExist: true });
    const row = db
      .prepare<[], { version: number | null }>(
        'SELECT MAX(version) AS version FROM schema_migrations',
      )
      .get();
    const current = row?.version ?? 0;
    if (current > latest) {
      return fail(
        NAME,
        `schema v${current} is newer than this build knows (v${latest})`,
        'Run the Revoke version that wrote this database (or newer); never point an older build at it.',
      );
    }
    if (current < latest) {
      return warn(NAME, `schema v${current}; the bot migrates it to v${latest} at its next start`);
    }
    return ok(NAME, `${filename} reachable, schema v${current} is current`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const fix = /no such table/i.test(message)
      ? 'This file is not a Revoke database: point DATABASE_URL at the right file, or at a new path.'
      : `Check that ${filename} is readable by the bot's user and is not corrupted.`;
    return fail(NAME, `cannot be read: ${message}`, fix);
  } finally {
    db?.close();
  }
}

function nearestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}
