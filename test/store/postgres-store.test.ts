// The PostgreSQL store passes the very same contract as SQLite, against a real PostgreSQL 15
// started for this test process (test/support/postgres.ts); and its PostgreSQL-only promises:
// migrations applied once under concurrent starts, the audit chain kept whole by several writers.
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { openAuditLog, openStore, PostgresRequestStore } from '../../src/store';
import { testKeyring } from '../support/memory-audit-log';
import { PG_MIGRATIONS } from '../../src/store/postgres/pg-migrations';
import { MIGRATIONS } from '../../src/store/sqlite/migrations';
import { aRequest } from '../support/builders';
import { sharedPostgres } from '../support/postgres';
import { describeRequestStoreContract } from './request-store.contract';

describe('PostgreSQL store', function () {
  this.timeout(60_000);

  before(async () => {
    await sharedPostgres();
  });

  describeRequestStoreContract('PostgreSQL', async () => {
    const url = await (await sharedPostgres()).createDatabase();
    return {
      store: await openStore(url),
      reopen: () => openStore(url),
    };
  });

  describe('PostgreSQL specifics', () => {
    async function query<T extends object>(url: string, sql: string): Promise<T[]> {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<T>(sql)).rows;
      } finally {
        await client.end();
      }
    }

    it('has the same migration versions and names as SQLite', () => {
      assert.deepEqual(
        PG_MIGRATIONS.map((m) => [m.version, m.name]),
        MIGRATIONS.map((m) => [m.version, m.name]),
      );
    });

    it('applies each migration exactly once when several instances start at the same moment', async () => {
      const url = await (await sharedPostgres()).createDatabase();
      const stores = await Promise.all(Array.from({ length: 5 }, () => openStore(url)));
      await Promise.all(stores.map((s, i) => s.create(aRequest({ id: `REQ-${i}` }))));
      await Promise.all(stores.map((s) => s.close()));
      const rows = await query<{ version: number }>(
        url,
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      assert.deepEqual(
        rows.map((r) => r.version),
        PG_MIGRATIONS.map((m) => m.version),
      );
      const [count] = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM requests');
      assert.equal(count?.n, '5');
    });

    it('refuses a database migrated by a newer build', async () => {
      const url = await (await sharedPostgres()).createDatabase();
      await (await openStore(url)).close();
      await query(url, "INSERT INTO schema_migrations (version, name) VALUES (999, 'future')");
      await assert.rejects(openStore(url), /version 999/);
    });

    it('says the database is unreachable without echoing the password', async () => {
      const { port } = await sharedPostgres();
      await assert.rejects(
        PostgresRequestStore.open(`postgres://revoke:hunter2@127.0.0.1:${port + 1}/none`),
        (error: Error) => {
          assert.equal(error.name, 'StoreUnavailableError');
          assert.doesNotMatch(error.message, /hunter2/);
          return true;
        },
      );
    });

    it('keeps one unbroken audit chain with several instances appending at once', async () => {
      const url = await (await sharedPostgres()).createDatabase();
      const options = { keyring: testKeyring() };
      const logs = await Promise.all([
        openAuditLog(url, options),
        openAuditLog(url, options),
        openAuditLog(url, options),
      ]);
      try {
        await Promise.all(
          logs.flatMap((log, i) =>
            Array.from({ length: 10 }, (_, j) =>
              log.append({
                type: 'step.started',
                at: new Date(Date.UTC(2025, 2, 1, 9, 0, j)).toISOString(),
                requestId: `REQ-${i}`,
                details: { stepId: `s${j}`, token: 'eyJhbGciOi.secret.value' },
              }),
            ),
          ),
        );
        const verification = await logs[0]!.verify();
        assert.deepEqual(verification.ok && verification.records, 30);
        await assert.rejects(query(url, 'UPDATE audit_events SET type = $$x$$'), /append-only/);
        await assert.rejects(query(url, 'DELETE FROM audit_events'), /append-only/);
        const exported: string[] = [];
        for await (const r of logs[1]!.records('2025-03-01T09:00:09.000Z'))
          exported.push(r.requestId ?? '');
        assert.equal(exported.length, 3);
      } finally {
        await Promise.all(logs.map((l) => l.close()));
      }
    });
  });
});
