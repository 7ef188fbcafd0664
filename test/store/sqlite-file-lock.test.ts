// The bot's SQLite store is held by one process at a time (an exclusive lock on <database>.lock):
// a second bot store on the same file is refused; what only reads or appends beside the bot
// (`revoke doctor`, the audit trail's connection, `revoke audit`) still works; and the run leases
// a dead holder left are released at open, so its runs are taken over at once.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkStore } from '../../src/doctor/checks/store-check';
import { DatabaseInUseError, openAuditLog, openStore } from '../../src/store';
import { aRequest } from '../support/builders';
import { testKeyring } from '../support/memory-audit-log';

const HOUR_MS = 3_600_000;

describe('SQLite: one process per database file', () => {
  let dir: string;
  let file: string;
  let url: string;
  const opened: { close(): Promise<void> }[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-sqlite-lock-'));
    file = join(dir, 'revoke.db');
    url = `sqlite:${file}`;
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(exclusive: boolean) {
    const store = await openStore(url, undefined, { exclusive });
    opened.push(store);
    return store;
  }

  it('refuses a second exclusive store, in this process or another, until the first closes', async () => {
    const first = await open(true);
    await assert.rejects(open(true), (error: unknown) => {
      assert.ok(error instanceof DatabaseInUseError);
      assert.equal(
        error.message,
        `Another Revoke process is using the SQLite database ${file} (it holds ${file}.lock): only one process may use a SQLite file. Stop the other process, or use PostgreSQL (DATABASE_URL=postgres://…) to run several instances.`,
      );
      return true;
    });
    const other = spawnSync(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(require.resolve('../../src/store'))})
           .openStore(${JSON.stringify(url)}, undefined, { exclusive: true })
           .then(() => console.log('opened'), (e) => console.log(e.name))`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(other.stdout.trim(), 'DatabaseInUseError', other.stderr);

    await first.close();
    await open(true);
  });

  it('lets the doctor, the audit trail and a non-exclusive reader use the file meanwhile', async () => {
    const bot = await open(true);
    await bot.create(aRequest());
    assert.equal(checkStore(url).status, 'ok', checkStore(url).detail);
    const audit = await openAuditLog(url, { keyring: testKeyring() });
    opened.push(audit);
    await audit.append({ type: 'request.created', at: new Date().toISOString(), details: {} });
    assert.equal((await audit.verify()).ok, true);
    const reader = await open(false);
    assert.equal((await reader.get(aRequest().id))?.id, aRequest().id);
  });

  it('releases the run leases a dead holder left, so its runs are taken over at once', async () => {
    // A holder that died with its lease an hour from expiry (written as it would have).
    const before = await open(false);
    assert.equal(await before.acquireRunLease('R-1', 'dead-host:1234:abc', HOUR_MS), true);
    await before.close();

    const bot = await open(true);
    assert.equal(await bot.acquireRunLease('R-1', 'new-host:99:def', HOUR_MS), true);
    // And the lease is really this instance's now: nobody else can take it.
    assert.equal(await bot.acquireRunLease('R-1', 'someone-else', HOUR_MS), false);
  });

  it('keeps the leases when opened without the lock (several stores may share them)', async () => {
    const a = await open(false);
    assert.equal(await a.acquireRunLease('R-1', 'a', HOUR_MS), true);
    const b = await open(false);
    assert.equal(await b.acquireRunLease('R-1', 'b', HOUR_MS), false);
  });
});
