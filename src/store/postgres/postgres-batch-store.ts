// BatchStore on the PostgreSQL pool of the request store. Compare-and-swap is one UPDATE … WHERE
// version = $expected, as for requests.
import type { Pool } from 'pg';
import type { RevocationRequest } from '../../core/model';
import type { BatchRequest, BatchStatus } from '../../core/batch/batch-model';
import type { BatchStore, RunningBatchLoad } from '../../core/batch/batch-ports';
import type { BatchLoad } from '../../core/batch/batch-load';
import { DuplicateRequestError, StoreUnavailableError } from '../store-errors';

const UNIQUE_VIOLATION = '23505';

export class PostgresBatchStore implements BatchStore {
  constructor(private readonly pool: Pool) {}

  async createBatch(batch: BatchRequest): Promise<void> {
    if (batch.version !== 1) throw new Error(`A new batch must have version 1 (${batch.id})`);
    const row = toRow(batch);
    try {
      await this.pool.query(
        `INSERT INTO batches (id, version, status, created_at, expires_at, document)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.id, row.version, row.status, row.createdAt, row.expiresAt, row.document],
      );
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
        throw new DuplicateRequestError(batch.id);
      }
      throw failed('createBatch', error);
    }
  }

  async getBatch(id: string): Promise<BatchRequest | undefined> {
    const result = await this.query<{ document: BatchRequest }>(
      'getBatch',
      'SELECT document FROM batches WHERE id = $1',
      [id],
    );
    return result.rows[0]?.document;
  }

  async compareAndSwapBatch(next: BatchRequest, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) {
      throw new Error(`compareAndSwapBatch of ${next.id}: version must be ${expectedVersion + 1}`);
    }
    const row = toRow(next);
    const result = await this.query(
      'compareAndSwapBatch',
      `UPDATE batches SET version = $2, status = $3, created_at = $4, expires_at = $5, document = $6
        WHERE id = $1 AND version = $7`,
      [
        row.id,
        row.version,
        row.status,
        row.createdAt,
        row.expiresAt,
        row.document,
        expectedVersion,
      ],
    );
    return result.rowCount === 1;
  }

  async listBatchesByStatus(statuses: BatchStatus[]): Promise<BatchRequest[]> {
    const wanted = [...new Set(statuses)];
    if (wanted.length === 0) return [];
    const result = await this.query<{ document: BatchRequest }>(
      'listBatchesByStatus',
      'SELECT document FROM batches WHERE status = ANY($1) ORDER BY created_at, id',
      [wanted],
    );
    return result.rows.map((r) => r.document);
  }

  /** Only the load and the member count leave the database: a whole row carries every member. */
  async listRunningLoads(): Promise<RunningBatchLoad[]> {
    const result = await this.query<{ id: string; members: number; load: BatchLoad | null }>(
      'listRunningLoads',
      `SELECT id, jsonb_array_length(document->'members') AS members, document->'load' AS load
         FROM batches WHERE status = 'running' ORDER BY created_at, id`,
      [],
    );
    return result.rows.map((row) => ({
      id: row.id,
      members: Number(row.members),
      ...(row.load ? { load: row.load } : {}),
    }));
  }

  async listChildren(batchId: string): Promise<RevocationRequest[]> {
    const result = await this.query<{ document: RevocationRequest }>(
      'listChildren',
      `SELECT document FROM requests WHERE document->>'batchId' = $1 ORDER BY created_at, id`,
      [batchId],
    );
    return result.rows.map((r) => r.document);
  }

  private async query<R extends object = Record<string, unknown>>(
    what: string,
    text: string,
    values: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw failed(what, error);
    }
  }
}

function toRow(batch: BatchRequest) {
  return {
    id: batch.id,
    version: batch.version,
    status: batch.status,
    createdAt: new Date(batch.createdAt).toISOString(),
    expiresAt: new Date(batch.expiresAt).toISOString(),
    document: JSON.stringify(batch),
  };
}

/** pg's messages name tables and constraints, never the connection string. */
function failed(what: string, error: unknown): Error {
  return new StoreUnavailableError(
    `PostgreSQL ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}
