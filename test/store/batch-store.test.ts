import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store';
import { sharedPostgres } from '../support/postgres';
import { describeBatchStoreContract } from './batch-store.contract';

describeBatchStoreContract('SQLite file', async () => {
  const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'revoke-batch-store-')), 'revoke.db')}`;
  return { store: await openStore(url), reopen: () => openStore(url) };
});

describe('PostgreSQL batches', function () {
  this.timeout(60_000);
  describeBatchStoreContract('PostgreSQL', async () => {
    const url = await (await sharedPostgres()).createDatabase();
    return { store: await openStore(url), reopen: () => openStore(url) };
  });
});
