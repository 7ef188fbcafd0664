// StepUpLedger on the SQLite database of the request store (same connection, same locking).
import type Database from 'better-sqlite3';
import type { StepUpLedger } from '../../core/step-up/step-up-ledger';
import { SPENT_TOKEN_RETENTION_MS } from '../step-up-migrations';

export class SqliteStepUpLedger implements StepUpLedger {
  private readonly upsertChallenge: Database.Statement;
  private readonly selectChallenge: Database.Statement<[string, string], { issued_at: string }>;
  private readonly insertToken: Database.Statement;
  private readonly purge: Database.Statement;

  constructor(db: Database.Database) {
    this.upsertChallenge = db.prepare(
      `INSERT INTO step_up_challenges (subject_id, person_id, issued_at) VALUES (?, ?, ?)
       ON CONFLICT (subject_id, person_id) DO UPDATE SET issued_at = excluded.issued_at`,
    );
    this.selectChallenge = db.prepare<[string, string], { issued_at: string }>(
      'SELECT issued_at FROM step_up_challenges WHERE subject_id = ? AND person_id = ?',
    );
    // OR IGNORE: a token id already there changes nothing, and `changes` says so.
    this.insertToken = db.prepare(
      `INSERT OR IGNORE INTO step_up_tokens (token_id, person_id, used_at, expires_at)
       VALUES (?, ?, ?, ?)`,
    );
    this.purge = db.prepare('DELETE FROM step_up_tokens WHERE expires_at < ?');
  }

  async recordChallenge(subjectId: string, personId: string, at: Date): Promise<void> {
    this.upsertChallenge.run(subjectId, personId.toLowerCase(), at.toISOString());
  }

  async challengedAt(subjectId: string, personId: string): Promise<Date | undefined> {
    const row = this.selectChallenge.get(subjectId, personId.toLowerCase());
    return row ? new Date(row.issued_at) : undefined;
  }

  async claimToken(
    tokenId: string,
    personId: string,
    usedAt: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    this.purge.run(new Date(usedAt.getTime() - SPENT_TOKEN_RETENTION_MS).toISOString());
    const { changes } = this.insertToken.run(
      tokenId,
      personId.toLowerCase(),
      usedAt.toISOString(),
      expiresAt.toISOString(),
    );
    return changes === 1;
  }
}
