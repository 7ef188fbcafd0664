// Picks and opens the RequestStore named by DATABASE_URL.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger, RequestStore } from '../core/ports';
import { SqliteRequestStore } from './sqlite/sqlite-request-store';
import { UnsupportedDatabaseUrlError } from './store-errors';

export type StoreLocation = { driver: 'sqlite'; filename: string };

const EXPECTED = 'expected sqlite:<path> (e.g. sqlite:./data/revoke.db) or sqlite::memory:';

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
    throw new UnsupportedDatabaseUrlError(
      `DATABASE_URL uses ${scheme}: but PostgreSQL support is not built yet; ${EXPECTED}`,
    );
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

/** Opens the store named by `databaseUrl`, creating the database's directory when missing. */
export async function openStore(databaseUrl: string, logger?: Logger): Promise<RequestStore> {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.filename !== ':memory:') {
    mkdirSync(dirname(location.filename), { recursive: true });
  }
  return new SqliteRequestStore(location.filename, logger === undefined ? {} : { logger });
}
