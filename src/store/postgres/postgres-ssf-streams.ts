// SsfStreamStore on the PostgreSQL pool of the request store.
import type { Pool } from 'pg';
import type { SsfStream, SsfStreamStore } from '../../core/saas/ssf-streams';
import { StoreUnavailableError } from '../store-errors';

export class PostgresSsfStreams implements SsfStreamStore {
  constructor(private readonly pool: Pool) {}

  async createStream(stream: SsfStream): Promise<void> {
    await this.query(
      'createStream',
      'INSERT INTO ssf_streams (id, client, created_at, document) VALUES ($1, $2, $3, $4)',
      [stream.id, stream.client, stream.createdAt, JSON.stringify(stream)],
    );
  }

  async getStream(id: string): Promise<SsfStream | undefined> {
    const result = await this.query<{ document: SsfStream }>(
      'getStream',
      'SELECT document FROM ssf_streams WHERE id = $1',
      [id],
    );
    return result.rows[0]?.document;
  }

  async listStreams(): Promise<SsfStream[]> {
    const result = await this.query<{ document: SsfStream }>(
      'listStreams',
      'SELECT document FROM ssf_streams ORDER BY created_at, id',
      [],
    );
    return result.rows.map((row) => row.document);
  }

  async saveStream(stream: SsfStream): Promise<boolean> {
    const result = await this.query(
      'saveStream',
      'UPDATE ssf_streams SET document = $3 WHERE id = $1 AND client = $2',
      [stream.id, stream.client, JSON.stringify(stream)],
    );
    return result.rowCount === 1;
  }

  async deleteStream(id: string): Promise<boolean> {
    const result = await this.query('deleteStream', 'DELETE FROM ssf_streams WHERE id = $1', [id]);
    return result.rowCount === 1;
  }

  private async query<R extends object = object>(what: string, text: string, values: unknown[]) {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      // pg's messages name tables and constraints, never the connection string.
      throw new StoreUnavailableError(
        `PostgreSQL ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
}
