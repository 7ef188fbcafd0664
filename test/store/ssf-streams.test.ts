// Shared Signals streams in the request store: the same contract on SQLite and PostgreSQL, and
// kept across a reopen (a restart, another instance).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SsfStream } from '../../src/core/saas/ssf-streams';
import { openStore, type LeasingStore } from '../../src/store';
import { sharedPostgres } from '../support/postgres';

function aStream(id: string, client = 'google'): SsfStream {
  return {
    id,
    client,
    audience: 'https://receiver.example.test',
    eventsRequested: ['https://schemas.openid.net/secevent/caep/event-type/session-revoked'],
    endpointUrl: 'https://receiver.example.test/events',
    status: 'enabled',
    excludedSubjects: [],
    createdAt: `2026-12-04T10:00:0${id.length % 10}.000Z`,
    updatedAt: '2026-12-04T10:00:00.000Z',
  };
}

function describeContract(name: string, open: () => Promise<{ url: string; done(): void }>) {
  describe(`Shared Signals streams on ${name}`, function () {
    this.timeout(60_000);
    let url: string;
    let done: () => void;
    let store: LeasingStore;

    beforeEach(async () => {
      ({ url, done } = await open());
      store = await openStore(url);
    });

    afterEach(async () => {
      await store.close();
      done();
    });

    it('creates, reads, lists, saves and deletes streams, and keeps them across a reopen', async () => {
      const streams = store.ssfStreams;
      assert.ok(streams, 'the store has streams');
      await streams.createStream(aStream('s1'));
      await streams.createStream(aStream('s22', 'okta'));
      assert.deepEqual(await streams.getStream('s1'), aStream('s1'));
      assert.equal(await streams.getStream('missing'), undefined);
      assert.deepEqual(
        (await streams.listStreams()).map((s) => s.id),
        ['s1', 's22'],
      );
      const paused = { ...aStream('s1'), status: 'paused' as const, reason: 'maintenance' };
      assert.equal(await streams.saveStream(paused), true);
      assert.equal(
        await streams.saveStream({ ...aStream('s1'), client: 'okta' }),
        false,
        'a stream is saved only by its own client',
      );
      assert.equal(await streams.saveStream(aStream('missing')), false);

      await store.close();
      store = await openStore(url);
      assert.deepEqual(await store.ssfStreams?.getStream('s1'), paused);
      assert.equal(await store.ssfStreams?.deleteStream('s1'), true);
      assert.equal(await store.ssfStreams?.deleteStream('s1'), false);
      assert.deepEqual(
        (await store.ssfStreams?.listStreams())?.map((s) => s.id),
        ['s22'],
      );
    });
  });
}

describeContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'revoke-ssf-store-'));
  return Promise.resolve({
    url: `sqlite:${join(dir, 'revoke.db')}`,
    done: () => rmSync(dir, { recursive: true, force: true }),
  });
});

describeContract('PostgreSQL', async () => ({
  url: await (await sharedPostgres()).createDatabase(),
  done: () => undefined,
}));
