// RequestStore on SQLite. better-sqlite3 is synchronous: each method does its work in one
// statement (or one transaction), so concurrent callers in this process are serialised and other
// processes are kept out by SQLite's own locking. Opened `exclusive` (as the bot does), it is the
// only process using the file, so every run lease in it belongs to a dead process.
import { driftDueAt } from '../drift-due';
import { nextOutreachAt } from '../../core/outreach/outreach-state';
import Database from 'better-sqlite3';
import type { RevocationRequest } from '../../core/model';
import type { Logger, RequestStore, RunLeases } from '../../core/ports';
import { DuplicateRequestError, StoreTenantMismatchError } from '../store-errors';
import { applyMigrations } from './migrations';
import { SqliteFileLock } from './sqlite-file-lock';
import { SqliteBatchStore } from './sqlite-batch-store';
import { SqliteStepUpLedger } from './sqlite-step-up-ledger';
import { SqliteSsfStreams } from './sqlite-ssf-streams';

export interface SqliteStoreOptions {
  logger?: Logger;
  /** How long a write waits for another process's lock before failing. */
  busyTimeoutMs?: number;
  /**
   * Only this process may use the file (SqliteFileLock); a second one is refused. Its runs'
   * leases are released at open, so a restart resumes them at once instead of at their expiry.
   */
  exclusive?: boolean;
  /** Whom the data belongs to ("sandbox" or the tenant id): recorded once, then required. */
  tenant?: string;
}

interface RequestRow {
  document: string;
}

type DueColumn = 'drift_due_at' | 'outreach_due_at';

export class SqliteRequestStore implements RequestStore, RunLeases {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly selectOne: Database.Statement<[string], RequestRow>;
  private readonly update: Database.Statement;
  private readonly acquire: Database.Statement;
  private readonly renew: Database.Statement;
  private readonly release: Database.Statement;
  /** listDue's query per column, prepared at its first use: the outreach sweep runs per request. */
  private readonly dueQueries = new Map<DueColumn, Database.Statement<[string], RequestRow>>();
  private closed = false;
  private readonly lock: SqliteFileLock | undefined;
  /** Mass revocations, in the same database (migration 4). */
  readonly batches: SqliteBatchStore;
  /** Step-up challenges and spent token ids (migration 8). */
  readonly stepUp: SqliteStepUpLedger;
  /** Shared Signals streams receivers created (migration 9). */
  readonly ssfStreams: SqliteSsfStreams;

  /** `filename` is a path or `:memory:`; the directory must exist (openStore creates it). */
  constructor(filename: string, options: SqliteStoreOptions = {}) {
    const exclusive = options.exclusive === true && filename !== ':memory:';
    // Before the database is even opened: a second process must not migrate or change anything.
    this.lock = exclusive ? SqliteFileLock.acquire(filename) : undefined;
    try {
      this.db = new Database(filename);
    } catch (error) {
      this.lock?.release();
      throw error;
    }
    try {
      configure(this.db, options.busyTimeoutMs ?? 5_000);
      const { applied, current } = applyMigrations(this.db);
      if (options.tenant !== undefined) claimTenant(this.db, options.tenant);
      const takenOver = exclusive ? this.db.prepare('DELETE FROM run_leases').run().changes : 0;
      options.logger?.info('request store opened', {
        driver: 'sqlite',
        memory: this.db.memory,
        schemaVersion: current,
        migrationsApplied: applied,
        exclusive,
        ...(takenOver > 0 ? { leasesOfADeadProcessReleased: takenOver } : {}),
      });
    } catch (error) {
      this.db.close();
      this.lock?.release();
      throw error;
    }
    this.insert = this.db.prepare(
      `INSERT INTO requests
              (id, version, status, target_id, created_at, expires_at, drift_due_at,
               outreach_due_at, document)
       VALUES (@id, @version, @status, @targetId, @createdAt, @expiresAt, @driftDueAt,
               @outreachDueAt, @document)`,
    );
    this.selectOne = this.db.prepare<[string], RequestRow>(
      'SELECT document FROM requests WHERE id = ?',
    );
    this.update = this.db.prepare(
      `UPDATE requests
          SET version = @version, status = @status, target_id = @targetId,
              created_at = @createdAt, expires_at = @expiresAt, drift_due_at = @driftDueAt,
              outreach_due_at = @outreachDueAt, document = @document
        WHERE id = @id AND version = @expectedVersion`,
    );
    // Instances sharing a SQLite file share a host, hence a clock: Date.now() is comparable.
    this.acquire = this.db.prepare(
      `INSERT INTO run_leases (request_id, owner, expires_at) VALUES (@requestId, @owner, @until)
       ON CONFLICT (request_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE run_leases.owner = excluded.owner OR run_leases.expires_at <= @now`,
    );
    this.renew = this.db.prepare(
      'UPDATE run_leases SET expires_at = @until WHERE request_id = @requestId AND owner = @owner',
    );
    this.release = this.db.prepare(
      'DELETE FROM run_leases WHERE request_id = @requestId AND owner = @owner',
    );
    this.batches = new SqliteBatchStore(this.db);
    this.stepUp = new SqliteStepUpLedger(this.db);
    this.ssfStreams = new SqliteSsfStreams(this.db);
  }

  async create(request: RevocationRequest): Promise<void> {
    if (request.version !== 1) {
      throw new Error(`A new request must have version 1, got ${request.version} (${request.id})`);
    }
    try {
      this.insert.run(toRow(request));
    } catch (error) {
      if (isPrimaryKeyViolation(error)) throw new DuplicateRequestError(request.id);
      throw error;
    }
  }

  async get(id: string): Promise<RevocationRequest | undefined> {
    const row = this.selectOne.get(id);
    return row === undefined ? undefined : fromRow(row);
  }

  async compareAndSwap(next: RevocationRequest, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) {
      throw new Error(
        `compareAndSwap of ${next.id}: next.version must be ${expectedVersion + 1} ` +
          `(expectedVersion + 1), got ${next.version}`,
      );
    }
    const result = this.update.run({ ...toRow(next), expectedVersion });
    return result.changes === 1;
  }

  async listByStatus(statuses: RevocationRequest['status'][]): Promise<RevocationRequest[]> {
    const wanted = [...new Set(statuses)];
    if (wanted.length === 0) return [];
    const placeholders = wanted.map(() => '?').join(', ');
    const rows = this.db
      .prepare<string[], RequestRow>(
        `SELECT document FROM requests WHERE status IN (${placeholders})
          ORDER BY created_at, id`,
      )
      .all(...wanted);
    return rows.map(fromRow);
  }

  async listDriftChecksDue(now: string): Promise<RevocationRequest[]> {
    return this.listDue('drift_due_at', now);
  }

  async listOutreachDue(now: string): Promise<RevocationRequest[]> {
    return this.listDue('outreach_due_at', now);
  }

  /** Requests whose due-time column (a fixed name, never input) is at `now` or earlier, soonest first. */
  private listDue(column: DueColumn, now: string): RevocationRequest[] {
    let query = this.dueQueries.get(column);
    if (!query) {
      query = this.db.prepare<[string], RequestRow>(
        `SELECT document FROM requests
          WHERE ${column} IS NOT NULL AND ${column} <= ?
          ORDER BY ${column}, id`,
      );
      this.dueQueries.set(column, query);
    }
    return query.all(new Date(now).toISOString()).map(fromRow);
  }

  async acquireRunLease(requestId: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    return this.acquire.run({ requestId, owner, now, until: now + ttlMs }).changes === 1;
  }

  async renewRunLease(requestId: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.renew.run({ requestId, owner, until: Date.now() + ttlMs }).changes === 1;
  }

  async releaseRunLease(requestId: string, owner: string): Promise<void> {
    this.release.run({ requestId, owner });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    this.lock?.release();
  }
}

/** Records `tenant` on the first open that names one; refuses a database of another tenant. */
function claimTenant(db: Database.Database, tenant: string): void {
  const claim = db.transaction((): string => {
    db.prepare(
      `INSERT INTO store_tenant (singleton, tenant, recorded_at) VALUES (1, ?, ?)
       ON CONFLICT (singleton) DO NOTHING`,
    ).run(tenant, new Date().toISOString());
    return db.prepare<[], string>('SELECT tenant FROM store_tenant').pluck().get() ?? tenant;
  });
  const recorded = claim.immediate();
  if (recorded !== tenant) throw new StoreTenantMismatchError(recorded, tenant);
}

function configure(db: Database.Database, busyTimeoutMs: number): void {
  // WAL lets readers proceed while a writer commits; synchronous stays at its FULL default
  // because a lost approval or step result is worse than a slower write (writes are rare).
  if (!db.memory) db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  db.pragma('foreign_keys = ON');
}

function toRow(request: RevocationRequest): Record<string, string | number | null> {
  return {
    id: request.id,
    version: request.version,
    status: request.status,
    targetId: request.target.id,
    // Normalised so that ORDER BY on the text column is chronological.
    createdAt: normaliseTime(request.createdAt, 'createdAt', request.id),
    expiresAt: normaliseTime(request.expiresAt, 'expiresAt', request.id),
    driftDueAt: driftDueAt(request),
    outreachDueAt: nextOutreachAt(request),
    document: JSON.stringify(request),
  };
}

function fromRow(row: RequestRow): RevocationRequest {
  return JSON.parse(row.document) as RevocationRequest;
}

function normaliseTime(value: string, field: string, id: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    throw new Error(`Request ${id} has an invalid ${field}: ${JSON.stringify(value)}`);
  }
  return time.toISOString();
}

function isPrimaryKeyViolation(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    (error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || error.code === 'SQLITE_CONSTRAINT_UNIQUE')
  );
}
