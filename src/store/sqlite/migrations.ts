// The SQLite schema, as an ordered list of migrations. A migration is never edited once released:
// change the schema by appending a new one, so every existing database reaches the same shape.
import { OUTREACH_MIGRATION_NAME, SQLITE_OUTREACH_MIGRATION } from '../outreach-migrations';
import type Database from 'better-sqlite3';
import { BATCH_MIGRATION_NAME, SQLITE_BATCH_MIGRATION } from '../batch-migrations';
import { SQLITE_STEP_UP_MIGRATION, STEP_UP_MIGRATION_NAME } from '../step-up-migrations';
import { SQLITE_SSF_MIGRATION, SSF_MIGRATION_NAME } from '../ssf-migrations';
import {
  SQLITE_RATE_BUDGET_MIGRATION,
  RATE_BUDGET_MIGRATION_NAME,
  SQLITE_WHOLE_TAKES_MIGRATION,
  WHOLE_TAKES_MIGRATION_NAME,
} from '../rate-budget-migrations';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create requests',
    sql: `
      CREATE TABLE requests (
        id          TEXT    NOT NULL PRIMARY KEY,
        version     INTEGER NOT NULL CHECK (version >= 1),
        status      TEXT    NOT NULL,
        target_id   TEXT    NOT NULL,
        created_at  TEXT    NOT NULL,
        expires_at  TEXT    NOT NULL,
        document    TEXT    NOT NULL CHECK (json_valid(document))
      ) STRICT;
      CREATE INDEX requests_status ON requests (status, created_at);
      CREATE INDEX requests_target ON requests (target_id);
    `,
  },
  {
    version: 2,
    name: 'create audit_events',
    // Append-only by convention and by hash chain: the triggers stop an honest mistake (an UPDATE
    // or DELETE from a maintenance script); a deliberate edit with the triggers dropped is what the
    // chain catches.
    sql: `
      CREATE TABLE audit_events (
        seq         INTEGER NOT NULL PRIMARY KEY,
        at          TEXT    NOT NULL,
        type        TEXT    NOT NULL,
        request_id  TEXT,
        actor_id    TEXT,
        details     TEXT    NOT NULL CHECK (json_valid(details)),
        prev_hash   TEXT    NOT NULL,
        hash        TEXT    NOT NULL UNIQUE
      ) STRICT;
      CREATE INDEX audit_events_request ON audit_events (request_id, seq);
      CREATE INDEX audit_events_at ON audit_events (at);
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
    `,
  },
  {
    version: 3,
    name: 'create run_leases',
    // Expiry in milliseconds since the epoch: compared with the writer's clock (one host).
    sql: `
      CREATE TABLE run_leases (
        request_id  TEXT    NOT NULL PRIMARY KEY,
        owner       TEXT    NOT NULL,
        expires_at  INTEGER NOT NULL
      ) STRICT;
    `,
  },
  { version: 4, name: BATCH_MIGRATION_NAME, sql: SQLITE_BATCH_MIGRATION },
  {
    version: 5,
    name: 'index pending drift checks',
    // Filled from the documents already saved, so checks scheduled before the upgrade still run.
    sql: `
      ALTER TABLE requests ADD COLUMN drift_due_at TEXT;
      UPDATE requests SET drift_due_at = json_extract(document, '$.driftCheck.dueAt')
       WHERE json_extract(document, '$.driftCheck.dueAt') IS NOT NULL
         AND json_extract(document, '$.driftCheck.checkedAt') IS NULL;
      CREATE INDEX requests_drift_due ON requests (drift_due_at) WHERE drift_due_at IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'record the tenant',
    // One row: "sandbox" or the tenant id, written by the first start that names one.
    sql: `
      CREATE TABLE store_tenant (
        singleton   INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
        tenant      TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: 'audit key id',
    // Records from here on are HMACs under the named AUDIT_KEY; NULL marks the older, plain
    // SHA-256 ones, which verification accepts only at the start of the chain.
    sql: `ALTER TABLE audit_events ADD COLUMN key_id TEXT;`,
  },
  { version: 8, name: STEP_UP_MIGRATION_NAME, sql: SQLITE_STEP_UP_MIGRATION },
  { version: 9, name: SSF_MIGRATION_NAME, sql: SQLITE_SSF_MIGRATION },
  { version: 10, name: OUTREACH_MIGRATION_NAME, sql: SQLITE_OUTREACH_MIGRATION },
  { version: 11, name: RATE_BUDGET_MIGRATION_NAME, sql: SQLITE_RATE_BUDGET_MIGRATION },
  { version: 12, name: WHOLE_TAKES_MIGRATION_NAME, sql: SQLITE_WHOLE_TAKES_MIGRATION },
];

export interface MigrationResult {
  applied: number[];
  current: number;
}

/**
 * Brings the database up to the latest schema. The whole run is one IMMEDIATE transaction, so two
 * processes opening the same file at once cannot both apply a migration.
 */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  assertOrdered(migrations);
  const run = db.transaction((): MigrationResult => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER NOT NULL PRIMARY KEY,
        name       TEXT    NOT NULL,
        applied_at TEXT    NOT NULL
      ) STRICT
    `);
    const done = new Set(
      db
        .prepare('SELECT version FROM schema_migrations')
        .pluck()
        .all()
        .map((v) => Number(v)),
    );
    const latestKnown = migrations.at(-1)?.version ?? 0;
    const newest = Math.max(0, ...done);
    if (newest > latestKnown) {
      // Running old code against a newer database would silently misread it.
      throw new Error(
        `The database schema is at version ${newest} but this build only knows up to ` +
          `${latestKnown}: upgrade Revoke instead of downgrading it.`,
      );
    }
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    }
    return { applied, current: latestKnown };
  });
  return run.immediate();
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration list is out of order: position ${index + 1} holds version ${migration.version}`,
      );
    }
  });
}
