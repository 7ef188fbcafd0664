// The step-up ledger in both stores: a token id is spent once, also after a restart and from a
// second connection (another instance), and a challenge time is remembered across restarts.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type LeasingStore } from '../../src/store';
import { sharedPostgres } from '../support/postgres';

const AT = new Date('2026-12-04T16:00:00.000Z');
const EXPIRES = new Date('2026-12-04T17:00:00.000Z');
const PRIYA = 'A1B2C3D4-0000-4000-8000-000000000001';

function describeLedger(name: string, openUrl: () => Promise<string>): void {
  describe(`step-up ledger (${name})`, function () {
    this.timeout(60_000);
    const opened: LeasingStore[] = [];
    let url: string;
    const open = async (): Promise<LeasingStore> => {
      const store = await openStore(url);
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      url = await openUrl();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('spends a token id once, across instances and restarts', async () => {
      const first = await open();
      const second = await open();
      assert.equal(await first.stepUp.claimToken('uti-1', PRIYA, AT, EXPIRES), true);
      assert.equal(await first.stepUp.claimToken('uti-1', PRIYA, AT, EXPIRES), false, 'again');
      assert.equal(
        await second.stepUp.claimToken('uti-1', PRIYA, AT, EXPIRES),
        false,
        'another instance',
      );
      assert.equal(await second.stepUp.claimToken('uti-2', PRIYA, AT, EXPIRES), true);
      await first.close();
      await second.close();
      opened.length = 0;
      const restarted = await open();
      assert.equal(
        await restarted.stepUp.claimToken('uti-1', PRIYA, AT, EXPIRES),
        false,
        'after a restart',
      );
    });

    it('remembers the latest challenge per subject and person, across restarts', async () => {
      const store = await open();
      assert.equal(await store.stepUp.challengedAt('R-1', PRIYA), undefined);
      await store.stepUp.recordChallenge('R-1', PRIYA, AT);
      const later = new Date(AT.getTime() + 60_000);
      await store.stepUp.recordChallenge('R-1', PRIYA, later);
      await store.stepUp.recordChallenge('R-2', PRIYA, AT);
      await store.close();
      opened.length = 0;
      const restarted = await open();
      assert.equal(
        (await restarted.stepUp.challengedAt('R-1', PRIYA.toLowerCase()))?.toISOString(),
        later.toISOString(),
      );
      assert.equal(
        (await restarted.stepUp.challengedAt('R-2', PRIYA))?.toISOString(),
        AT.toISOString(),
      );
      assert.equal(await restarted.stepUp.challengedAt('R-1', 'someone-else'), undefined);
    });

    it('forgets spent tokens only long after they expired', async () => {
      const store = await open();
      assert.equal(await store.stepUp.claimToken('old', PRIYA, AT, EXPIRES), true);
      const nextDay = new Date(EXPIRES.getTime() + 23 * 3_600_000);
      assert.equal(await store.stepUp.claimToken('new', PRIYA, nextDay, nextDay), true);
      assert.equal(await store.stepUp.claimToken('old', PRIYA, nextDay, nextDay), false);
    });
  });
}

describeLedger(
  'SQLite file',
  async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'revoke-step-up-')), 'revoke.db')}`,
);
describeLedger('PostgreSQL', async () => (await sharedPostgres()).createDatabase());
