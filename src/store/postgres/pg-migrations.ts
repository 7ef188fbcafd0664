// The PostgreSQL schema, as an ordered list of migrations with the same numbering and meaning as
// the SQLite ones (src/store/sqlite/migrations.ts), so a version means the same shape on either.
// A migration is never edited once released: append a new one.
import { OUTREACH_MIGRATION_NAME, PG_OUTREACH_MIGRATION } from '../outreach-migrations';
import type { PoolClient } from 'pg';
import { SchemaTooNewError } from '../store-errors';
import { BATCH_MIGRATION_NAME, PG_BATCH_MIGRATION } from '../batch-migrations';
import { PG_STEP_UP_MIGRATION, STEP_UP_MIGRATION_NAME } from '../step-up-migrations';
import { PG_SSF_MIGRATION, SSF_MIGRATION_NAME } from '../ssf-migrations';
import {
  PG_RATE_BUDGET_MIGRATION,
  PG_WHOLE_TAKES_MIGRATION,
  RATE_BUDGET_MIGRATION_NAME,
  WHOLE_TAKES_MIGRATION_NAME,
} from '../rate-budget-migrations';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Any constant works as long as every instance uses the same one: it names the advisory lock that
 * serialises migrations across instances starting at the same moment.
 */
const MIGRATION_LOCK_KEY = 72_657_660;

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'create requests',
    sql: `
      CREATE TABLE requests (
        id          TEXT        NOT NULL PRIMARY KEY,
        version     INTEGER     NOT NULL CHECK (version >= 1),
        status      TEXT        NOT NULL,
        target_id   TEXT        NOT NULL,
        created_at  TIMESTAMPTZ NOT NULL,
        expires_at  TIMESTAMPTZ NOT NULL,
        document    JSONB       NOT NULL
      );
      CREATE INDEX requests_status ON requests (status, created_at);
      CREATE INDEX requests_target ON requests (target_id);
    `,
  },
  {
    version: 2,
    name: 'create audit_events',
    // Details stay TEXT (not JSONB) so the stored bytes are exactly what was hashed. The trigger
    // stops an honest mistake; a deliberate edit with the trigger dropped is what the chain catches.
    sql: `
      CREATE TABLE audit_events (
        seq         BIGINT NOT NULL PRIMARY KEY,
        at          TEXT   NOT NULL,
        type        TEXT   NOT NULL,
        request_id  TEXT,
        actor_id    TEXT,
        details     TEXT   NOT NULL CHECK (details::jsonb IS NOT NULL),
        prev_hash   TEXT   NOT NULL,
        hash        TEXT   NOT NULL UNIQUE
      );
      CREATE INDEX audit_events_request ON audit_events (request_id, seq);
      CREATE INDEX audit_events_at ON audit_events (at);
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$;
      CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
    `,
  },
  {
    version: 3,
    name: 'create run_leases',
    sql: `
      CREATE TABLE run_leases (
        request_id  TEXT        NOT NULL PRIMARY KEY,
        owner       TEXT        NOT NULL,
        expires_at  TIMESTAMPTZ NOT NULL
      );
    `,
  },
  { version: 4, name: BATCH_MIGRATION_NAME, sql: PG_BATCH_MIGRATION },
  {
    version: 5,
    name: 'index pending drift checks',
    // Filled from the documents already saved, so checks scheduled before the upgrade still run.
    sql: `
      ALTER TABLE requests ADD COLUMN drift_due_at TIMESTAMPTZ;
      UPDATE requests SET drift_due_at = (document->'driftCheck'->>'dueAt')::timestamptz
       WHERE document->'driftCheck'->>'dueAt' IS NOT NULL
         AND document->'driftCheck'->>'checkedAt' IS NULL;
      CREATE INDEX requests_drift_due ON requests (drift_due_at) WHERE drift_due_at IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'record the tenant',
    // One row: "sandbox" or the tenant id, written by the first start that names one.
    sql: `
      CREATE TABLE store_tenant (
        singleton   INTEGER     NOT NULL PRIMARY KEY CHECK (singleton = 1),
        tenant      TEXT        NOT NULL,
        recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 7,
    name: 'audit key id',
    // Records from here on are HMACs under the named AUDIT_KEY; NULL marks the older, plain
    // SHA-256 ones, which verification accepts only at the start of the chain.
    sql: `ALTER TABLE audit_events ADD COLUMN key_id TEXT;`,
  },
  { version: 8, name: STEP_UP_MIGRATION_NAME, sql: PG_STEP_UP_MIGRATION },
  { version: 9, name: SSF_MIGRATION_NAME, sql: PG_SSF_MIGRATION },
  { version: 10, name: OUTREACH_MIGRATION_NAME, sql: PG_OUTREACH_MIGRATION },
  { version: 11, name: RATE_BUDGET_MIGRATION_NAME, sql: PG_RATE_BUDGET_MIGRATION },
  { version: 12, name: WHOLE_TAKES_MIGRATION_NAME, sql: PG_WHOLE_TAKES_MIGRATION },
];

export interface PgMigrationResult {
  applied: number[];
  current: number;
}

/**
 * Brings the database to the latest schema in one transaction, under a transaction-level advisory
 * lock: a second instance starting at the same time waits, then finds nothing left to do.
 */
export async function applyPgMigrations(
  client: PoolClient,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<PgMigrationResult> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER     NOT NULL PRIMARY KEY,
        name       TEXT        NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => Number(r.version),
      ),
    );
    const latestKnown = migrations.at(-1)?.version ?? 0;
    const newest = Math.max(0, ...done);
    // Running old code against a newer database would silently misread it.
    if (newest > latestKnown) throw new SchemaTooNewError(newest, latestKnown);
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return { applied, current: latestKnown };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
