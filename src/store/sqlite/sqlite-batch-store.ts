// BatchStore on the SQLite database of the request store (same connection, same locking).
import type Database from 'better-sqlite3';
import type { RevocationRequest } from '../../core/model';
import type { BatchRequest, BatchStatus } from '../../core/batch/batch-model';
import type { BatchStore } from '../../core/batch/batch-ports';
import { DuplicateRequestError } from '../store-errors';

interface DocumentRow {
  document: string;
}

export class SqliteBatchStore implements BatchStore {
  private readonly insert: Database.Statement;
  private readonly selectOne: Database.Statement<[string], DocumentRow>;
  private readonly update: Database.Statement;
  private readonly children: Database.Statement<[string], DocumentRow>;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO batches (id, version, status, created_at, expires_at, document)
       VALUES (@id, @version, @status, @createdAt, @expiresAt, @document)`,
    );
    this.selectOne = db.prepare<[string], DocumentRow>('SELECT document FROM batches WHERE id = ?');
    this.update = db.prepare(
      `UPDATE batches SET version = @version, status = @status, created_at = @createdAt,
              expires_at = @expiresAt, document = @document
        WHERE id = @id AND version = @expectedVersion`,
    );
    this.children = db.prepare<[string], DocumentRow>(
      `SELECT document FROM requests WHERE json_extract(document, '$.batchId') = ?
        ORDER BY created_at, id`,
    );
  }

  async createBatch(batch: BatchRequest): Promise<void> {
    if (batch.version !== 1) throw new Error(`A new batch must have version 1 (${batch.id})`);
    try {
      this.insert.run(toRow(batch));
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new DuplicateRequestError(batch.id);
      }
      throw error;
    }
  }

  async getBatch(id: string): Promise<BatchRequest | undefined> {
    const row = this.selectOne.get(id);
    return row === undefined ? undefined : (JSON.parse(row.document) as BatchRequest);
  }

  async compareAndSwapBatch(next: BatchRequest, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) {
      throw new Error(`compareAndSwapBatch of ${next.id}: version must be ${expectedVersion + 1}`);
    }
    return this.update.run({ ...toRow(next), expectedVersion }).changes === 1;
  }

  async listBatchesByStatus(statuses: BatchStatus[]): Promise<BatchRequest[]> {
    const wanted = [...new Set(statuses)];
    if (wanted.length === 0) return [];
    const rows = this.db
      .prepare<string[], DocumentRow>(
        `SELECT document FROM batches WHERE status IN (${wanted.map(() => '?').join(', ')})
          ORDER BY created_at, id`,
      )
      .all(...wanted);
    return rows.map((row) => JSON.parse(row.document) as BatchRequest);
  }

  async listChildren(batchId: string): Promise<RevocationRequest[]> {
    return this.children.all(batchId).map((row) => JSON.parse(row.document) as RevocationRequest);
  }
}

function toRow(batch: BatchRequest): Record<string, string | number> {
  return {
    id: batch.id,
    version: batch.version,
    status: batch.status,
    createdAt: isoTime(batch.createdAt, batch.id),
    expiresAt: isoTime(batch.expiresAt, batch.id),
    document: JSON.stringify(batch),
  };
}

function isoTime(value: string, id: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new Error(`Batch ${id} has an invalid time`);
  return time.toISOString();
}
