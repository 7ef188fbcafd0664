// The shared Graph write budget on PostgreSQL (migration 11): one statement per take, which locks
// the budget's row and judges the window by the database's clock (see rate-budget-migrations.ts).
import type { Pool } from 'pg';
import type { BucketLimit } from '../../core/batch/rate-gate';
import type { SharedBudget, SharedBudgetTake } from '../../core/batch/shared-budget';
import type { HeldWrites } from '../../core/batch/write-window';
import { unavailable } from './pg-errors';

export class PostgresSharedBudgets {
  constructor(private readonly pool: Pool) {}

  /**
   * The budget called `name`, at most `limit.budget` in any `limit.windowMs`. Every instance must
   * name the same limit (GRAPH_WRITES_PER_150S); each take is judged by the limit it names.
   */
  budget(name: string, limit: BucketLimit): SharedBudget {
    return {
      take: (needs) => this.take(name, limit, needs),
      held: (sliceMs) => this.held(name, limit, sliceMs),
    };
  }

  /**
   * The grants still in the window, added up by slice in the database (a handful of rows, by the
   * index on (name, taken_at)), relative to the database's clock as the takes are.
   */
  private async held(name: string, limit: BucketLimit, sliceMs: number): Promise<HeldWrites> {
    try {
      const result = await this.pool.query<{ slice: string; amount: string; now_ms: string }>(
        `SELECT floor(extract(epoch FROM taken_at) * 1000 / $2)::bigint AS slice,
                sum(amount)::bigint AS amount,
                (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now_ms
           FROM rate_budget_takes
          WHERE name = $1 AND taken_at > clock_timestamp() - make_interval(secs => $3 / 1000.0)
          GROUP BY 1 ORDER BY 1`,
        [name, sliceMs, Math.round(limit.windowMs)],
      );
      return {
        windowMs: limit.windowMs,
        spans: result.rows.map((row) => {
          const from = Number(row.slice) * sliceMs - Number(row.now_ms);
          return { from, to: Math.min(0, from + sliceMs), count: Number(row.amount) };
        }),
      };
    } catch (error) {
      throw unavailable('read the shared write budget', error);
    }
  }

  private async take(
    name: string,
    limit: BucketLimit,
    needs: readonly number[],
  ): Promise<SharedBudgetTake> {
    if (needs.length === 0) return { granted: 0, waitMs: 0 };
    try {
      const result = await this.pool.query<{ granted: number; wait_ms: number }>(
        'SELECT granted, wait_ms FROM rate_budget_take_whole($1, $2, $3, $4::integer[])',
        [name, limit.budget, Math.round(limit.windowMs), needs.map((need) => Math.ceil(need))],
      );
      const row = result.rows[0];
      return { granted: Number(row?.granted ?? 0), waitMs: Number(row?.wait_ms ?? 0) };
    } catch (error) {
      throw unavailable('take from the shared write budget', error);
    }
  }
}
