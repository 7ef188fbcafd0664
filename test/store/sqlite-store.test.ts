import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../../src/core/ports';
import { openStore, parseDatabaseUrl } from '../../src/store/open-store';
import { MIGRATIONS } from '../../src/store/sqlite/migrations';
import { aRequest } from '../support/builders';
import { describeRequestStoreContract } from './request-store.contract';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'revoke-store-'));
}

describeRequestStoreContract('SQLite file', async () => {
  const dir = tempDir();
  const url = `sqlite:${join(dir, 'revoke.db')}`;
  return {
    store: await openStore(url),
    reopen: () => openStore(url),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describeRequestStoreContract('SQLite :memory:', async () => ({
  store: await openStore('sqlite::memory:'),
}));

describe('SQLite store specifics', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the missing directory and the file', async () => {
    const file = join(dir, 'nested', 'deeper', 'revoke.db');
    const store = await openStore(`sqlite:${file}`);
    await store.close();
    assert.ok(existsSync(file));
  });

  it('applies each migration once, however often the file is reopened', async () => {
    const file = join(dir, 'revoke.db');
    const messages: Record<string, unknown>[] = [];
    const logger = recordingLogger(messages);
    for (let i = 0; i < 3; i++) {
      const store = await openStore(`sqlite:${file}`, logger);
      await store.create(aRequest({ id: `REQ-${i}` }));
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const versions = db
        .prepare('SELECT version FROM schema_migrations ORDER BY version')
        .pluck()
        .all();
      assert.deepEqual(
        versions,
        MIGRATIONS.map((m) => m.version),
      );
      assert.equal(db.prepare('SELECT count(*) FROM requests').pluck().get(), 3);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      db.close();
    }
    assert.deepEqual(
      messages.map((m) => m['migrationsApplied']),
      [MIGRATIONS.map((m) => m.version), [], []],
    );
  });

  it('refuses a database whose schema is newer than this build', async () => {
    const file = join(dir, 'revoke.db');
    await (await openStore(`sqlite:${file}`)).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations VALUES (999, ?, ?)').run('future', 'now');
    db.close();
    await assert.rejects(openStore(`sqlite:${file}`), /version 999/);
  });

  it('keeps the indexed columns in step with the document', async () => {
    const file = join(dir, 'revoke.db');
    const store = await openStore(`sqlite:${file}`);
    const request = aRequest();
    await store.create(request);
    await store.compareAndSwap({ ...request, version: 2, status: 'running' }, 1);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      const row = db
        .prepare('SELECT version, status, target_id, created_at, expires_at FROM requests')
        .get();
      assert.deepEqual(row, {
        version: 2,
        status: 'running',
        target_id: request.target.id,
        created_at: '2025-03-01T09:00:00.000Z',
        expires_at: '2025-03-01T10:00:00.000Z',
      });
    } finally {
      db.close();
    }
  });

  it('rejects a request with an unparseable timestamp', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await assert.rejects(store.create(aRequest({ createdAt: 'yesterday' })), /invalid createdAt/);
    } finally {
      await store.close();
    }
  });
});

describe('DATABASE_URL parsing', () => {
  it('accepts relative, absolute and in-memory sqlite URLs', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite:./data/revoke.db', '/srv/revoke'), {
      driver: 'sqlite',
      filename: '/srv/revoke/data/revoke.db',
    });
    assert.deepEqual(parseDatabaseUrl('sqlite:/var/lib/revoke.db'), {
      driver: 'sqlite',
      filename: '/var/lib/revoke.db',
    });
    assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), {
      driver: 'sqlite',
      filename: ':memory:',
    });
  });

  it('accepts postgres URLs and never echoes their password in an error', () => {
    assert.deepEqual(parseDatabaseUrl('postgres://revoke:hunter2@db:5432/revoke'), {
      driver: 'postgres',
      connectionString: 'postgres://revoke:hunter2@db:5432/revoke',
    });
    assert.equal(parseDatabaseUrl('postgresql://db/revoke').driver, 'postgres');
    assert.throws(
      () => parseDatabaseUrl('postgres://revoke:hunter2@db:5432'),
      (error: Error) => {
        assert.match(error.message, /needs a host and a database name/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
  });

  it('names the expected forms for other schemes and malformed URLs', () => {
    assert.throws(
      () => parseDatabaseUrl('mysql://db/revoke'),
      /"mysql:" is not supported.*sqlite:/,
    );
    assert.throws(() => parseDatabaseUrl('./revoke.db'), /no scheme/);
    assert.throws(() => parseDatabaseUrl('sqlite:'), /no path/);
  });
});

function recordingLogger(into: Record<string, unknown>[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: (_message, fields) => {
      into.push(fields ?? {});
    },
    warn: () => undefined,
    error: () => undefined,
    child: () => logger,
  };
  return logger;
}
