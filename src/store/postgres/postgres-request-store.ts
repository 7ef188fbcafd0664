// RequestStore and RunLeases on PostgreSQL, for several bot instances sharing one database. Every
// write is a single statement: compare-and-swap is `UPDATE … WHERE version = $expected` (a row
// lock makes the second of two concurrent writers re-check the version and find it changed), and
// a lease is taken with `INSERT … ON CONFLICT DO UPDATE … WHERE expired`, judged by the database's
// clock so instances with skewed clocks agree.
import { pgCode, unavailable } from './pg-errors';
import { driftDueAt } from '../drift-due';
import { nextOutreachAt } from '../../core/outreach/outreach-state';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { RevocationRequest } from '../../core/model';
import type { Logger, RequestStore, RunLeases } from '../../core/ports';
import { DuplicateRequestError, StoreTenantMismatchError } from '../store-errors';
import { applyPgMigrations } from './pg-migrations';
import { PostgresSsfStreams } from './postgres-ssf-streams';
import { PostgresBatchStore } from './postgres-batch-store';
import { PostgresStepUpLedger } from './postgres-step-up-ledger';
import { PostgresSharedBudgets } from './postgres-shared-budget';

export interface PostgresStoreOptions {
  logger?: Logger;
  /** Connections kept open by this instance. */
  poolSize?: number;
  /** Whom the data belongs to ("sandbox" or the tenant id): recorded once, then required. */
  tenant?: string;
}

interface DocumentRow {
  document: RevocationRequest;
}

const UNIQUE_VIOLATION = '23505';

export class PostgresRequestStore implements RequestStore, RunLeases {
  private closed = false;
  /** Mass revocations, in the same database (migration 4). */
  readonly batches: PostgresBatchStore;
  /** Step-up challenges and spent token ids (migration 8). */
  readonly stepUp: PostgresStepUpLedger;
  /** Shared Signals streams receivers created (migration 9). */
  readonly ssfStreams: PostgresSsfStreams;
  /** Budgets every instance on this database draws from: Graph's write budget (migration 11). */
  readonly sharedBudgets: PostgresSharedBudgets;

  private constructor(private readonly pool: Pool) {
    this.sharedBudgets = new PostgresSharedBudgets(pool);
    this.batches = new PostgresBatchStore(pool);
    this.stepUp = new PostgresStepUpLedger(pool);
    this.ssfStreams = new PostgresSsfStreams(pool);
  }

  /** Connects and applies pending migrations (one instance at a time, under an advisory lock). */
  static async open(
    connectionString: string,
    options: PostgresStoreOptions = {},
  ): Promise<PostgresRequestStore> {
    const pool = new Pool(poolConfig(connectionString, options.poolSize ?? 10));
    // An idle connection that breaks (database restart) must not crash the process.
    pool.on('error', (error) =>
      options.logger?.warn('idle database connection failed', { message: error.message }),
    );
    try {
      const client = await pool.connect();
      try {
        const { applied, current } = await applyPgMigrations(client);
        if (options.tenant !== undefined) await claimTenant(client, options.tenant);
        options.logger?.info('request store opened', {
          driver: 'postgres',
          schemaVersion: current,
          migrationsApplied: applied,
        });
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error instanceof StoreTenantMismatchError ? error : unavailable('open', error);
    }
    return new PostgresRequestStore(pool);
  }

  async create(request: RevocationRequest): Promise<void> {
    if (request.version !== 1) {
      throw new Error(`A new request must have version 1, got ${request.version} (${request.id})`);
    }
    const row = toRow(request);
    try {
      await this.pool.query(
        `INSERT INTO requests
                (id, version, status, target_id, created_at, expires_at, document, drift_due_at,
                 outreach_due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          row.id,
          row.version,
          row.status,
          row.targetId,
          row.createdAt,
          row.expiresAt,
          row.document,
          row.driftDueAt,
          row.outreachDueAt,
        ],
      );
    } catch (error) {
      if (pgCode(error) === UNIQUE_VIOLATION) throw new DuplicateRequestError(request.id);
      throw unavailable('create', error);
    }
  }

  async get(id: string): Promise<RevocationRequest | undefined> {
    const result = await this.query<DocumentRow>(
      'get',
      'SELECT document FROM requests WHERE id = $1',
      [id],
    );
    return result.rows[0]?.document;
  }

  async compareAndSwap(next: RevocationRequest, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) {
      throw new Error(
        `compareAndSwap of ${next.id}: next.version must be ${expectedVersion + 1} ` +
          `(expectedVersion + 1), got ${next.version}`,
      );
    }
    const row = toRow(next);
    const result = await this.query(
      'compareAndSwap',
      `UPDATE requests
          SET version = $2, status = $3, target_id = $4, created_at = $5, expires_at = $6,
              document = $7, drift_due_at = $9, outreach_due_at = $10
        WHERE id = $1 AND version = $8`,
      [
        row.id,
        row.version,
        row.status,
        row.targetId,
        row.createdAt,
        row.expiresAt,
        row.document,
        expectedVersion,
        row.driftDueAt,
        row.outreachDueAt,
      ],
    );
    return result.rowCount === 1;
  }

  async listByStatus(statuses: RevocationRequest['status'][]): Promise<RevocationRequest[]> {
    const wanted = [...new Set(statuses)];
    if (wanted.length === 0) return [];
    const result = await this.query<DocumentRow>(
      'listByStatus',
      'SELECT document FROM requests WHERE status = ANY($1) ORDER BY created_at, id',
      [wanted],
    );
    return result.rows.map((r) => r.document);
  }

  async listDriftChecksDue(now: string): Promise<RevocationRequest[]> {
    return this.listDue('listDriftChecksDue', 'drift_due_at', now);
  }

  async listOutreachDue(now: string): Promise<RevocationRequest[]> {
    return this.listDue('listOutreachDue', 'outreach_due_at', now);
  }

  /** Requests whose due-time column (a fixed name, never input) is at `now` or earlier, soonest first. */
  private async listDue(
    operation: string,
    column: 'drift_due_at' | 'outreach_due_at',
    now: string,
  ): Promise<RevocationRequest[]> {
    const result = await this.query<DocumentRow>(
      operation,
      `SELECT document FROM requests
        WHERE ${column} IS NOT NULL AND ${column} <= $1
        ORDER BY ${column}, id`,
      [new Date(now).toISOString()],
    );
    return result.rows.map((r) => r.document);
  }

  async acquireRunLease(requestId: string, owner: string, ttlMs: number): Promise<boolean> {
    const result = await this.query(
      'acquireRunLease',
      `INSERT INTO run_leases (request_id, owner, expires_at)
       VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (request_id) DO UPDATE
          SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
        WHERE run_leases.owner = EXCLUDED.owner OR run_leases.expires_at <= clock_timestamp()`,
      [requestId, owner, Math.max(1, Math.trunc(ttlMs))],
    );
    return result.rowCount === 1;
  }

  async renewRunLease(requestId: string, owner: string, ttlMs: number): Promise<boolean> {
    const result = await this.query(
      'renewRunLease',
      `UPDATE run_leases SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
        WHERE request_id = $1 AND owner = $2`,
      [requestId, owner, Math.max(1, Math.trunc(ttlMs))],
    );
    return result.rowCount === 1;
  }

  async releaseRunLease(requestId: string, owner: string): Promise<void> {
    await this.query(
      'releaseRunLease',
      'DELETE FROM run_leases WHERE request_id = $1 AND owner = $2',
      [requestId, owner],
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async query<R extends object = Record<string, unknown>>(
    what: string,
    text: string,
    values: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw unavailable(what, error);
    }
  }
}

/**
 * Records `tenant` on the first open that names one (the first of several instances starting at
 * once wins the insert; the others read its row) and refuses a database of another tenant.
 */
async function claimTenant(client: PoolClient, tenant: string): Promise<void> {
  await client.query(
    `INSERT INTO store_tenant (singleton, tenant) VALUES (1, $1)
     ON CONFLICT (singleton) DO NOTHING`,
    [tenant],
  );
  const result = await client.query<{ tenant: string }>('SELECT tenant FROM store_tenant');
  const recorded = result.rows[0]?.tenant ?? tenant;
  if (recorded !== tenant) throw new StoreTenantMismatchError(recorded, tenant);
}

export function poolConfig(connectionString: string, max: number): PoolConfig {
  return {
    connectionString,
    max,
    // A database that does not answer must surface as an error, not as a request that hangs.
    connectionTimeoutMillis: 10_000,
    statement_timeout: 30_000,
    application_name: 'revoke',
  };
}

function toRow(request: RevocationRequest) {
  return {
    id: request.id,
    version: request.version,
    status: request.status,
    targetId: request.target.id,
    createdAt: checkedTime(request.createdAt, 'createdAt', request.id),
    expiresAt: checkedTime(request.expiresAt, 'expiresAt', request.id),
    driftDueAt: driftDueAt(request),
    outreachDueAt: nextOutreachAt(request),
    document: JSON.stringify(request),
  };
}

function checkedTime(value: string, field: string, id: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    throw new Error(`Request ${id} has an invalid ${field}: ${JSON.stringify(value)}`);
  }
  return time.toISOString();
}
