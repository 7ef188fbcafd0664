// The shared Graph write budget on PostgreSQL (migration 11): one statement per take, which locks
// the budget's row and judges the window by the database's clock (see rate-budget-migrations.ts).
import type { Pool } from 'pg';
import type { BucketLimit } from '../../core/batch/rate-gate';
import type { SharedBudget, SharedBudgetTake } from '../../core/batch/shared-budget';
import { unavailable } from './pg-errors';

export class PostgresSharedBudgets {
  constructor(private readonly pool: Pool) {}

  /**
   * The budget called `name`, at most `limit.budget` in any `limit.windowMs`. Every instance must
   * name the same limit (GRAPH_WRITES_PER_150S); each take is judged by the limit it names.
   */
  budget(name: string, limit: BucketLimit): SharedBudget {
    return {
      take: (wanted) => this.take(name, limit, wanted),
    };
  }

  private async take(name: string, limit: BucketLimit, wanted: number): Promise<SharedBudgetTake> {
    if (!(wanted > 0)) return { granted: 0, waitMs: 0 };
    try {
      const result = await this.pool.query<{ granted: number; wait_ms: number }>(
        'SELECT granted, wait_ms FROM rate_budget_take($1, $2, $3, $4)',
        [name, limit.budget, Math.round(limit.windowMs), Math.ceil(wanted)],
      );
      const row = result.rows[0];
      return { granted: Number(row?.granted ?? 0), waitMs: Number(row?.wait_ms ?? 0) };
    } catch (error) {
      throw unavailable('take from the shared write budget', error);
    }
  }
}
