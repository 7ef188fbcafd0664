// The sandbox's audit key when AUDIT_KEY is not set: 32 random bytes in a file next to the SQLite
// database (`./data/audit.key` by default), never in the database itself. It keeps a newcomer's
// trail verifiable across restarts; it protects nothing against someone who can read that
// directory, which is why a real tenant requires AUDIT_KEY instead.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AuditKey, AuditKeyring, parseAuditKey } from './audit-key';
import { parseDatabaseUrl } from '../store/open-store';

export const SANDBOX_KEY_FILE = 'audit.key';

/** Where the sandbox keeps its key for this database; undefined for an in-memory database. */
export function sandboxKeyPath(databaseUrl: string): string | undefined {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.driver === 'postgres') return join('data', SANDBOX_KEY_FILE);
  if (location.filename === ':memory:') return undefined;
  return join(dirname(location.filename), SANDBOX_KEY_FILE);
}

/**
 * The sandbox key for this database, created on first use. An in-memory database gets a key that
 * lives as long as the process, like the trail itself.
 */
export function sandboxKeyring(databaseUrl: string): AuditKeyring {
  const path = sandboxKeyPath(databaseUrl);
  if (path === undefined) return new AuditKeyring(new AuditKey(randomBytes(32)));
  const existing = readKeyFile(path);
  if (existing) return new AuditKeyring(existing);
  mkdirSync(dirname(path), { recursive: true });
  try {
    // `wx`: two processes starting at once must not each write a key of their own.
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = readKeyFile(path);
  if (!created) throw new Error(`could not read the sandbox audit key back from ${path}`);
  return new AuditKeyring(created);
}

/** The key in `path`, undefined when there is no such file; throws on a damaged file. */
export function readKeyFile(path: string): AuditKey | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = parseAuditKey(path, text);
  if ('problem' in key) throw new Error(`the sandbox audit key file is damaged: ${key.problem}`);
  return key;
}
