// Which write budget the RateGate counts in: the PostgreSQL store's shared one when instances share
// a database, else none (the gate's own window, enough for the one process a SQLite file allows).
import type { BucketLimit, RateGateOptions } from '../core/batch/rate-gate';
import { PostgresRequestStore } from './postgres/postgres-request-store';

/** The one budget every instance's Graph writes are counted in (per app and tenant, as Graph counts). */
export const GRAPH_WRITE_BUDGET_NAME = 'graph-writes';

/**
 * Graph counts a write when it arrives; the budget counts it when it is granted, a little before.
 * Two writes granted exactly a window apart can arrive less than a window apart (the later one
 * travelled faster), which Graph answers 429. Holding each grant 2 % longer than the window (3 s
 * of Graph's 150) absorbs that jitter for 2 % of the throughput.
 */
export const ARRIVAL_MARGIN = 0.02;

export function sharedWriteBudget(store: unknown, limit: BucketLimit): RateGateOptions {
  const held = { budget: limit.budget, windowMs: Math.ceil(limit.windowMs * (1 + ARRIVAL_MARGIN)) };
  return store instanceof PostgresRequestStore
    ? { sharedWrites: store.sharedBudgets.budget(GRAPH_WRITE_BUDGET_NAME, held) }
    : {};
}
