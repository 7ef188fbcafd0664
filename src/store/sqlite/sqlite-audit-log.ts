// The audit trail in the same SQLite database as the requests, on its own connection. Appends are
// IMMEDIATE transactions: reading the last hash and inserting the next record cannot interleave
// with another process doing the same, so the chain never forks.
import Database from 'better-sqlite3';
import type { AuditEvent, AuditRecord, AuditVerification } from '../../core/audit-event';
import type { AuditLog } from '../../core/ports';
import { recordsToAppend, verifyChain, type ChainTip } from '../../audit/chain';
import { applyMigrations } from './migrations';
import { auditRecordFromRow, type AuditRow } from '../audit-row';
import { auditKeyringFor, type AuditLogOptions, type AuditWriting } from '../audit-log-options';

export class SqliteAuditLog implements AuditLog {
  private readonly db: Database.Database;
  private readonly last: Database.Statement<
    [],
    { seq: number; hash: string; key_id: string | null }
  >;
  private readonly insert: Database.Statement;
  private readonly appendTx: (event: AuditEvent) => AuditRecord[];

  /** `filename` is a path (its directory must exist) or `:memory:`. */
  constructor(
    filename: string,
    private readonly options: AuditLogOptions & { busyTimeoutMs?: number } = {},
  ) {
    this.db = new Database(filename);
    try {
      if (!this.db.memory) this.db.pragma('journal_mode = WAL');
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5_000))}`);
      applyMigrations(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.last = this.db.prepare<[], { seq: number; hash: string; key_id: string | null }>(
      'SELECT seq, hash, key_id FROM audit_events ORDER BY seq DESC LIMIT 1',
    );
    this.insert = this.db.prepare(
      `INSERT INTO audit_events (seq, at, type, request_id, actor_id, details, prev_hash, key_id, hash)
       VALUES (@seq, @at, @type, @requestId, @actorId, @details, @prevHash, @keyId, @hash)`,
    );
    const tx = this.db.transaction((event: AuditEvent, writing: AuditWriting) => {
      const records = recordsToAppend(event, tipOf(this.last.get()), writing.keyring);
      for (const record of records) {
        this.insert.run({
          ...record,
          requestId: record.requestId ?? null,
          actorId: record.actorId ?? null,
          keyId: record.keyId ?? null,
          details: JSON.stringify(record.details),
        });
      }
      return records;
    });
    this.appendTx = (event) => tx.immediate(event, writingOf(this.options));
  }

  async append(event: AuditEvent): Promise<void> {
    const records = this.appendTx(event);
    // Only once committed: the external copy never shows a record the database does not have.
    for (const record of records) this.options.onAppended?.(record);
  }

  async verify(): Promise<AuditVerification> {
    return verifyChain(this.records(), auditKeyringFor(this.options));
  }

  /** Records in chain order, optionally only those at or after `since` (ISO 8601). */
  *records(since?: string): Generator<AuditRecord> {
    const rows = this.db.prepare<[], AuditRow>('SELECT * FROM audit_events ORDER BY seq').iterate();
    for (const row of rows) {
      const record = auditRecordFromRow(row);
      if (since === undefined || record.at >= since) yield record;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function tipOf(
  row: { seq: number; hash: string; key_id: string | null } | undefined,
): ChainTip | undefined {
  if (!row) return undefined;
  return row.key_id === null
    ? { seq: row.seq, hash: row.hash }
    : { seq: row.seq, hash: row.hash, keyId: row.key_id };
}

function writingOf(options: AuditLogOptions): AuditWriting {
  return { keyring: auditKeyringFor(options) };
}
