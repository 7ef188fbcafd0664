// One process per SQLite database, enforced. The lock is an exclusive SQLite lock on a small file
// beside the database (`<database>.lock`), taken with locking_mode=EXCLUSIVE and a write and held
// until the connection closes. SQLite's locks are the operating system's file locks, which the
// kernel drops when the process dies, SIGKILL included: a dead holder never blocks a restart, and
// a live one always blocks a second process (or a second store in the same process).
//
// Not the database itself: locking it exclusively would also lock out the audit trail's own
// connection, `revoke doctor` and `revoke audit`, which read it while the bot runs.
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { DatabaseInUseError } from '../store-errors';

export class SqliteFileLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock of `databaseFile` at once, or throws DatabaseInUseError. */
  static acquire(databaseFile: string): SqliteFileLock {
    const lockFile = `${databaseFile}.lock`;
    // No busy wait: a held lock means another process is running, not a moment's contention.
    const db = new Database(lockFile, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      // The first write takes the exclusive lock, which this locking mode never releases.
      db.exec(`CREATE TABLE IF NOT EXISTS holder (
        singleton INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
        pid       INTEGER NOT NULL,
        host      TEXT    NOT NULL,
        since     TEXT    NOT NULL
      )`);
      db.prepare('INSERT OR REPLACE INTO holder VALUES (1, ?, ?, ?)').run(
        process.pid,
        hostname(),
        new Date().toISOString(),
      );
    } catch (error) {
      db.close();
      if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY')) {
        throw new DatabaseInUseError(databaseFile, lockFile, { cause: error });
      }
      throw error;
    }
    return new SqliteFileLock(db);
  }

  /**
   * Closing the connection releases the lock. The file stays: deleting it could let a process
   * that opened the old file and one that creates a new one both believe they hold the lock.
   */
  release(): void {
    if (this.db.open) this.db.close();
  }
}
