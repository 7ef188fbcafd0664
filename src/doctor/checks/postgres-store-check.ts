// The request store on PostgreSQL: reachable, and its schema at the version this build expects.
// Read-only like the SQLite check: migrations are the bot's job at start.
import { Client } from 'pg';
import { PG_MIGRATIONS } from '../../store/postgres/pg-migrations';
import { fail, ok, warn, type CheckResult } from '../check-result';

const NAME = 'Request store';

export async function checkPostgresStore(connectionString: string): Promise<CheckResult> {
  const latest = PG_MIGRATIONS.at(-1)?.version ?? 0;
  const client = new Client({ connectionString, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const exists = await client.query<{ present: boolean }>(
      "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
    );
    if (!exists.rows[0]?.present) {
      return warn(NAME, `PostgreSQL reachable, no schema yet; the bot creates v${latest} at start`);
    }
    const row = await client.query<{ version: number | null }>(
      'SELECT MAX(version) AS version FROM schema_migrations',
    );
    const current = Number(row.rows[0]?.version ?? 0);
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
    return ok(NAME, `PostgreSQL reachable, schema v${current} is current`);
  } catch (error) {
    // pg's messages name the host and the problem, never the password.
    const message = error instanceof Error ? error.message : String(error);
    return fail(
      NAME,
      `PostgreSQL cannot be reached: ${message}`,
      'Check DATABASE_URL (host, port, database, user) and that the bot may connect from here.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
