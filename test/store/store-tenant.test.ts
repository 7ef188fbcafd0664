// A store written in one mode is never opened in the other: the first start records whom the
// database belongs to ("sandbox" or the tenant id), and a start for anyone else is refused with
// both named. On SQLite and on a real PostgreSQL.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import { openStore, StoreTenantMismatchError } from '../../src/store';
import { aRequest } from '../support/builders';
import { captureLogger } from '../support/capture-logger';
import { REAL_TENANT_ENV } from '../support/config-fixtures';
import { sharedPostgres } from '../support/postgres';

const dirs: string[] = [];
after(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function sqliteUrl(): string {
  const dir = mkdtempSync(join(tmpdir(), 'revoke-store-tenant-'));
  dirs.push(dir);
  return `sqlite:${join(dir, 'revoke.db')}`;
}

const TENANT = '11111111-2222-4333-8444-555555555555';
const OTHER_TENANT = '99999999-2222-4333-8444-555555555555';

function describeTenantMarker(name: string, newDatabaseUrl: () => Promise<string>): void {
  describe(`store tenant: ${name}`, function () {
    this.timeout(60_000);
    let url: string;

    beforeEach(async () => {
      url = await newDatabaseUrl();
    });

    async function openAs(tenant: string) {
      return openStore(url, undefined, { tenant });
    }

    it('a sandbox database is refused for a real tenant, with both named', async () => {
      const sandbox = await openAs('sandbox');
      await sandbox.create(aRequest());
      await sandbox.close();
      await assert.rejects(openAs(TENANT), (error: unknown) => {
        assert.ok(error instanceof StoreTenantMismatchError, String(error));
        assert.equal(
          error.message,
          `This database belongs to the sandbox (recorded at its first start), but Revoke is configured for tenant ${TENANT}: a database is never opened for another tenant or mode. Point DATABASE_URL at the database of tenant ${TENANT}, or at a new one.`,
        );
        return true;
      });
    });

    it("a tenant's database is refused for the sandbox and for another tenant", async () => {
      await (await openAs(TENANT)).close();
      await assert.rejects(openAs('sandbox'), /belongs to tenant 1111.*configured for the sandbox/);
      await assert.rejects(
        openAs(OTHER_TENANT),
        new RegExp(`belongs to tenant ${TENANT} .*configured for tenant ${OTHER_TENANT}`),
      );
    });

    it('the same tenant reopens its database, keeping its requests', async () => {
      const first = await openAs(TENANT);
      await first.create(aRequest());
      await first.close();
      const again = await openAs(TENANT);
      try {
        assert.equal((await again.get(aRequest().id))?.id, aRequest().id);
      } finally {
        await again.close();
      }
    });
  });
}

describeTenantMarker('SQLite', async () => sqliteUrl());

describeTenantMarker('PostgreSQL', async () => (await sharedPostgres()).createDatabase());

describe('store tenant: the app names its tenant when it opens its store', () => {
  it('a real-tenant start on the database the sandbox wrote is refused before anything runs', async () => {
    const url = sqliteUrl();
    const root = projectRoot();
    const sandbox = await buildApp(
      loadConfig({ DATABASE_URL: url, SANDBOX_LATENCY_MS: '0' }, root),
      { logger: captureLogger() },
    );
    await sandbox.stop();
    const real = loadConfig(
      {
        ...REAL_TENANT_ENV,
        DATABASE_URL: url,
        // Nothing here may reach a real endpoint.
        AZURE_AUTHORITY_HOST: 'https://127.0.0.1:9',
        GRAPH_BASE_URL: 'https://127.0.0.1:9',
      },
      root,
    );
    await assert.rejects(
      buildApp(real, { logger: captureLogger() }),
      new RegExp(
        `belongs to the sandbox .*configured for tenant ${REAL_TENANT_ENV.AZURE_TENANT_ID}`,
      ),
    );
  });
});
