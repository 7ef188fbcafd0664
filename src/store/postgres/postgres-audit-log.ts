// The audit trail in PostgreSQL, next to the requests. An append reads the last hash and inserts
// the next record inside one transaction holding an advisory lock, so appends from several
// instances queue up and the chain never forks.
import { Pool } from 'pg';
import type { AuditEvent, AuditRecord, AuditVerification } from '../../core/audit-event';
import type { AuditLog } from '../../core/ports';
import { recordsToAppend, verifyChain } from '../../audit/chain';
import { applyPgMigrations } from './pg-migrations';
import { poolConfig } from './postgres-request-store';
import { unavailable } from './pg-errors';
import { auditRecordFromRow, type AuditRow } from '../audit-row';
import { auditKeyringFor, type AuditLogOptions } from '../audit-log-options';

const APPEND_LOCK_KEY = 72_657_661;
const PAGE = 1_000;

export class PostgresAuditLog implements AuditLog {
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly options: AuditLogOptions,
  ) {}

  static async open(
    connectionString: string,
    options: AuditLogOptions = {},
  ): Promise<PostgresAuditLog> {
    const pool = new Pool(poolConfig(connectionString, 4));
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await applyPgMigrations(client);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw unavailable('open audit log', error);
    }
    return new PostgresAuditLog(pool, options);
  }

  async append(event: AuditEvent): Promise<void> {
    const keyring = auditKeyringFor(this.options);
    const client = await this.pool.connect();
    let records: AuditRecord[];
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
      const last = await client.query<{ seq: string; hash: string; key_id: string | null }>(
        'SELECT seq, hash, key_id FROM audit_events ORDER BY seq DESC LIMIT 1',
      );
      const previous = last.rows[0];
      records = recordsToAppend(
        event,
        previous
          ? {
              seq: Number(previous.seq),
              hash: previous.hash,
              ...(previous.key_id === null ? {} : { keyId: previous.key_id }),
            }
          : undefined,
        keyring,
      );
      for (const record of records) {
        await client.query(
          `INSERT INTO audit_events (seq, at, type, request_id, actor_id, details, prev_hash, key_id, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            record.seq,
            record.at,
            record.type,
            record.requestId ?? null,
            record.actorId ?? null,
            JSON.stringify(record.details),
            record.prevHash,
            record.keyId ?? null,
            record.hash,
          ],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw unavailable('audit append', error);
    } finally {
      client.release();
    }
    // Only once committed: the external copy never shows a record the database does not have.
    for (const record of records) this.options.onAppended?.(record);
  }

  async verify(): Promise<AuditVerification> {
    const all: AuditRecord[] = [];
    for await (const record of this.records()) all.push(record);
    return verifyChain(all, auditKeyringFor(this.options));
  }

  /** Records in chain order, a page at a time, optionally only those at or after `since`. */
  async *records(since?: string): AsyncGenerator<AuditRecord> {
    let after = 0;
    for (;;) {
      const page = await this.pool.query<AuditRow>(
        'SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2',
        [after, PAGE],
      );
      for (const row of page.rows) {
        const record = auditRecordFromRow(row);
        if (since === undefined || record.at >= since) yield record;
        after = record.seq;
      }
      if (page.rows.length < PAGE) return;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
