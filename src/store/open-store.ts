// Picks and opens the RequestStore named by DATABASE_URL.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger, RequestStore, RunLeases } from '../core/ports';
import type { BatchStore } from '../core/batch/batch-ports';
import type { StepUpLedger } from '../core/step-up/step-up-ledger';
import type { SsfStreamStore } from '../core/saas/ssf-streams';
import { PostgresRequestStore } from './postgres/postgres-request-store';
import { SqliteRequestStore } from './sqlite/sqlite-request-store';
import { UnsupportedDatabaseUrlError } from './store-errors';

export type StoreLocation =
  { driver: 'sqlite'; filename: string } | { driver: 'postgres'; connectionString: string };

const EXPECTED =
  'expected sqlite:<path> (e.g. sqlite:./data/revoke.db), sqlite::memory: or postgres://user@host:5432/db';

/**
 * Parses a DATABASE_URL. Relative sqlite paths are resolved against the working directory.
 * Error messages name only the scheme, never the whole URL, which may hold a password.
 */
export function parseDatabaseUrl(databaseUrl: string, cwd = process.cwd()): StoreLocation {
  const url = databaseUrl.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new UnsupportedDatabaseUrlError(`DATABASE_URL has no scheme: ${EXPECTED}`);
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.hostname === '' || parsed.pathname.length < 2) {
      throw new UnsupportedDatabaseUrlError(
        `DATABASE_URL (${scheme}:) needs a host and a database name; ${EXPECTED}`,
      );
    }
    return { driver: 'postgres', connectionString: url };
  }
  if (scheme !== 'sqlite') {
    throw new UnsupportedDatabaseUrlError(
      `DATABASE_URL scheme "${scheme}:" is not supported; ${EXPECTED}`,
    );
  }
  const path = url.slice('sqlite:'.length);
  if (path === ':memory:') return { driver: 'sqlite', filename: ':memory:' };
  if (path === '') throw new UnsupportedDatabaseUrlError(`DATABASE_URL has no path; ${EXPECTED}`);
  return { driver: 'sqlite', filename: resolve(cwd, path) };
}

export type LeasingStore = RequestStore &
  RunLeases & {
    readonly batches: BatchStore;
    readonly stepUp: StepUpLedger;
    /** Shared Signals streams; absent in test stores that have none. */
    readonly ssfStreams?: SsfStreamStore;
  };

export interface OpenStoreOptions {
  /** Whom the data belongs to ("sandbox" or the tenant id): recorded once, then required. */
  tenant?: string;
  /**
   * The bot's own store: a SQLite file is then used by this process alone (a second one is
   * refused) and its runs are resumed at once. PostgreSQL is shared through run leases anyway.
   */
  exclusive?: boolean;
}

/**
 * Opens the store named by `databaseUrl`: for SQLite creating the database's directory when
 * missing, for PostgreSQL applying pending migrations.
 */
export async function openStore(
  databaseUrl: string,
  logger?: Logger,
  options: OpenStoreOptions = {},
): Promise<LeasingStore> {
  const location = parseDatabaseUrl(databaseUrl);
  const common = { ...(logger === undefined ? {} : { logger }), tenant: options.tenant };
  if (location.driver === 'postgres') {
    return PostgresRequestStore.open(location.connectionString, common);
  }
  if (location.filename !== ':memory:') {
    mkdirSync(dirname(location.filename), { recursive: true });
  }
  return new SqliteRequestStore(location.filename, { ...common, exclusive: options.exclusive });
}
