// SsfStreamStore on the SQLite database of the request store (same connection, same locking).
import type Database from 'better-sqlite3';
import type { SsfStream, SsfStreamStore } from '../../core/saas/ssf-streams';

interface DocumentRow {
  document: string;
}

export class SqliteSsfStreams implements SsfStreamStore {
  constructor(private readonly db: Database.Database) {}

  createStream(stream: SsfStream): Promise<void> {
    this.db
      .prepare('INSERT INTO ssf_streams (id, client, created_at, document) VALUES (?, ?, ?, ?)')
      .run(stream.id, stream.client, stream.createdAt, JSON.stringify(stream));
    return Promise.resolve();
  }

  getStream(id: string): Promise<SsfStream | undefined> {
    const row = this.db
      .prepare<[string], DocumentRow>('SELECT document FROM ssf_streams WHERE id = ?')
      .get(id);
    return Promise.resolve(row ? (JSON.parse(row.document) as SsfStream) : undefined);
  }

  listStreams(): Promise<SsfStream[]> {
    const rows = this.db
      .prepare<[], DocumentRow>('SELECT document FROM ssf_streams ORDER BY created_at, id')
      .all();
    return Promise.resolve(rows.map((row) => JSON.parse(row.document) as SsfStream));
  }

  saveStream(stream: SsfStream): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE ssf_streams SET document = ? WHERE id = ? AND client = ?')
      .run(JSON.stringify(stream), stream.id, stream.client);
    return Promise.resolve(result.changes === 1);
  }

  deleteStream(id: string): Promise<boolean> {
    const result = this.db.prepare('DELETE FROM ssf_streams WHERE id = ?').run(id);
    return Promise.resolve(result.changes === 1);
  }
}
