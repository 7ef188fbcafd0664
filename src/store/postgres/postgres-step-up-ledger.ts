// StepUpLedger on PostgreSQL, shared by every instance: the token's primary key decides which of
// two instances presenting the same token id spends it (ON CONFLICT DO NOTHING returns no row).
import type { Pool } from 'pg';
import type { StepUpLedger } from '../../core/step-up/step-up-ledger';
import { SPENT_TOKEN_RETENTION_MS } from '../step-up-migrations';
import { StoreUnavailableError } from '../store-errors';

export class PostgresStepUpLedger implements StepUpLedger {
  constructor(private readonly pool: Pool) {}

  async recordChallenge(subjectId: string, personId: string, at: Date): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO step_up_challenges (subject_id, person_id, issued_at) VALUES ($1, $2, $3)
         ON CONFLICT (subject_id, person_id) DO UPDATE SET issued_at = EXCLUDED.issued_at`,
        [subjectId, personId.toLowerCase(), at.toISOString()],
      );
    } catch (error) {
      throw failed('recordChallenge', error);
    }
  }

  async challengedAt(subjectId: string, personId: string): Promise<Date | undefined> {
    try {
      const result = await this.pool.query<{ issued_at: Date }>(
        'SELECT issued_at FROM step_up_challenges WHERE subject_id = $1 AND person_id = $2',
        [subjectId, personId.toLowerCase()],
      );
      const row = result.rows[0];
      return row ? new Date(row.issued_at) : undefined;
    } catch (error) {
      throw failed('challengedAt', error);
    }
  }

  async claimToken(
    tokenId: string,
    personId: string,
    usedAt: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    try {
      await this.pool.query('DELETE FROM step_up_tokens WHERE expires_at < $1', [
        new Date(usedAt.getTime() - SPENT_TOKEN_RETENTION_MS).toISOString(),
      ]);
      const result = await this.pool.query(
        `INSERT INTO step_up_tokens (token_id, person_id, used_at, expires_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (token_id) DO NOTHING RETURNING token_id`,
        [tokenId, personId.toLowerCase(), usedAt.toISOString(), expiresAt.toISOString()],
      );
      return result.rowCount === 1;
    } catch (error) {
      throw failed('claimToken', error);
    }
  }
}

/** pg's messages name tables and constraints, never the connection string. */
function failed(what: string, error: unknown): Error {
  return new StoreUnavailableError(
    `PostgreSQL step-up ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}
