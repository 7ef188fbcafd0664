// Which write budget the RateGate counts in: the PostgreSQL store's shared one when instances share
// a database, else none (the gate's own window, enough for the one process a SQLite file allows).
import type { BucketLimit, RateGateOptions } from '../core/batch/rate-gate';
import { PostgresRequestStore } from './postgres/postgres-request-store';

/** The one budget every instance's Graph writes are counted in (per app and tenant, as Graph counts). */
export const GRAPH_WRITE_BUDGET_NAME = 'graph-writes';

export function sharedWriteBudget(store: unknown, limit: BucketLimit): RateGateOptions {
  return store instanceof PostgresRequestStore
    ? { sharedWrites: store.sharedBudgets.budget(GRAPH_WRITE_BUDGET_NAME, limit) }
    : {};
}
