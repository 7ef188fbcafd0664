// The behaviour every RequestStore must have, written once. A driver's test file calls
// describeRequestStoreContract with a factory; the factory may be asked to reopen the same
// database (for durability tests) by passing back the handle it returned.
import assert from 'node:assert/strict';
import type { RevocationRequest } from '../../src/core/model';
import type { RequestStore, RunLeases } from '../../src/core/ports';
import { aRequest, PRIYA } from '../support/builders';

/** Every store Revoke ships also holds the run leases that let several instances share it. */
export type LeasingStore = RequestStore & RunLeases;

export interface StoreUnderTest {
  store: LeasingStore;
  /**
   * Closes nothing; opens another store on the same database. Undefined when the database does
   * not outlive its connection (e.g. SQLite :memory:), which skips the durability tests.
   */
  reopen?: () => Promise<LeasingStore>;
  /** Removes whatever the factory created (temp files, schemas). */
  cleanup?: () => Promise<void>;
}

export function describeRequestStoreContract(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
): void {
  describe(`RequestStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: LeasingStore;
    const opened: LeasingStore[] = [];

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
      opened.push(store);
    });

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await subject.cleanup?.();
    });

    async function reopen(): Promise<LeasingStore> {
      assert.ok(subject.reopen, 'reopen is required here');
      const other = await subject.reopen();
      opened.push(other);
      return other;
    }

    function approved(request: RevocationRequest): RevocationRequest {
      return {
        ...request,
        version: request.version + 1,
        approvals: [...request.approvals, { approver: PRIYA, at: '2025-03-01T09:05:00.000Z' }],
      };
    }

    describe('create and get', () => {
      it('returns exactly what was created', async () => {
        const request = aRequest({
          rejection: { by: PRIYA, at: '2025-03-01T09:01:00.000Z' },
          planNotes: ['On-premises AD is not configured: AD steps are skipped'],
        });
        await store.create(request);
        assert.deepEqual(await store.get(request.id), request);
      });

      it('returns undefined for an unknown id', async () => {
        assert.equal(await store.get('REQ-NOPE'), undefined);
      });

      it('returns a copy, not the stored object', async () => {
        const request = aRequest();
        await store.create(request);
        const first = await store.get(request.id);
        assert.ok(first);
        first.approvals.push({ approver: PRIYA, at: '2025-03-01T09:05:00.000Z' });
        assert.deepEqual((await store.get(request.id))?.approvals, []);
      });

      it('refuses a duplicate id with a clear error and keeps the original', async () => {
        const request = aRequest();
        await store.create(request);
        await assert.rejects(
          store.create(aRequest({ reason: 'another reason' })),
          /already exists/,
        );
        assert.equal((await store.get(request.id))?.reason, request.reason);
      });

      it('refuses a new request whose version is not 1', async () => {
        await assert.rejects(store.create(aRequest({ version: 2 })), /version 1/);
      });
    });

    describe('compareAndSwap', () => {
      it('saves when the expected version matches', async () => {
        const request = aRequest();
        await store.create(request);
        const next = approved(request);
        assert.equal(await store.compareAndSwap(next, 1), true);
        assert.deepEqual(await store.get(request.id), next);
      });

      it('refuses when the expected version does not match, leaving the row alone', async () => {
        const request = aRequest();
        await store.create(request);
        const next = { ...approved(request), version: 4 };
        assert.equal(await store.compareAndSwap(next, 3), false);
        assert.deepEqual(await store.get(request.id), request);
      });

      it('returns false for an unknown id', async () => {
        assert.equal(await store.compareAndSwap(approved(aRequest({ id: 'REQ-GHOST' })), 1), false);
      });

      it('lets a stale writer lose', async () => {
        const request = aRequest();
        await store.create(request);
        const stale = await store.get(request.id);
        assert.ok(stale);
        assert.equal(await store.compareAndSwap(approved(request), 1), true);
        const fromStale = { ...stale, version: 2, status: 'rejected' as const };
        assert.equal(await store.compareAndSwap(fromStale, 1), false);
        assert.equal((await store.get(request.id))?.status, 'pending');
        assert.equal((await store.get(request.id))?.version, 2);
      });

      it('lets exactly one of two concurrent writers with the same expected version win', async () => {
        const request = aRequest();
        await store.create(request);
        const a = { ...approved(request), reason: 'writer A' };
        const b = { ...approved(request), reason: 'writer B' };
        const results = await Promise.all([store.compareAndSwap(a, 1), store.compareAndSwap(b, 1)]);
        assert.equal(results.filter(Boolean).length, 1);
        const winner = results[0] ? a : b;
        assert.deepEqual(await store.get(request.id), winner);
      });

      it('updates the status seen by listByStatus', async () => {
        const request = aRequest();
        await store.create(request);
        await store.compareAndSwap({ ...request, version: 2, status: 'running' }, 1);
        assert.deepEqual(await store.listByStatus(['pending']), []);
        assert.deepEqual(
          (await store.listByStatus(['running'])).map((r) => r.id),
          [request.id],
        );
      });

      it('throws (a programming error) when next.version is not expectedVersion + 1', async () => {
        const request = aRequest();
        await store.create(request);
        await assert.rejects(store.compareAndSwap({ ...request, version: 3 }, 1), /version/);
        await assert.rejects(store.compareAndSwap({ ...request, version: 1 }, 1), /version/);
        assert.deepEqual(await store.get(request.id), request);
      });
    });

    describe('listByStatus', () => {
      it('returns the requests in the given statuses, oldest first', async () => {
        await store.create(
          aRequest({ id: 'REQ-C', status: 'running', createdAt: '2025-03-01T09:30:00.000Z' }),
        );
        await store.create(
          aRequest({ id: 'REQ-A', status: 'pending', createdAt: '2025-03-01T11:00:00.000Z' }),
        );
        await store.create(
          aRequest({ id: 'REQ-B', status: 'pending', createdAt: '2025-03-01T08:00:00.000Z' }),
        );
        await store.create(
          aRequest({ id: 'REQ-D', status: 'completed', createdAt: '2025-03-01T07:00:00.000Z' }),
        );

        const pending = await store.listByStatus(['pending']);
        assert.deepEqual(
          pending.map((r) => r.id),
          ['REQ-B', 'REQ-A'],
        );
        const active = await store.listByStatus(['pending', 'running']);
        assert.deepEqual(
          active.map((r) => r.id),
          ['REQ-B', 'REQ-C', 'REQ-A'],
        );
        assert.deepEqual(await store.listByStatus(['expired']), []);
        assert.deepEqual(await store.listByStatus([]), []);
      });

      it('orders by time even when timestamps are written with different offsets', async () => {
        await store.create(aRequest({ id: 'REQ-LATE', createdAt: '2025-03-01T10:00:00+02:00' }));
        await store.create(aRequest({ id: 'REQ-EARLY', createdAt: '2025-03-01T07:30:00.000Z' }));
        const pending = await store.listByStatus(['pending']);
        assert.deepEqual(
          pending.map((r) => r.id),
          ['REQ-EARLY', 'REQ-LATE'],
        );
        // The document itself is returned as written.
        assert.equal(pending[1]?.createdAt, '2025-03-01T10:00:00+02:00');
      });
    });

    describe('listDriftChecksDue', () => {
      it('finds the pending drift checks that are due, soonest first, and follows every write', async () => {
        const due = (id: string, dueAt: string, checkedAt?: string) =>
          aRequest({
            id,
            status: 'completed',
            driftCheck: checkedAt ? { dueAt, checkedAt, reEnabled: [] } : { dueAt },
          });
        await store.create(due('REQ-LATER', '2025-03-01T11:00:00.000Z'));
        await store.create(due('REQ-SOON', '2025-03-01T10:30:00+01:00'));
        await store.create(due('REQ-DONE', '2025-03-01T09:00:00.000Z', '2025-03-01T09:01:00.000Z'));
        await store.create(aRequest({ id: 'REQ-NONE', status: 'completed' }));

        const at = (now: string) =>
          store.listDriftChecksDue(now).then((list) => list.map((r) => r.id));
        assert.deepEqual(await at('2025-03-01T09:00:00.000Z'), []);
        assert.deepEqual(await at('2025-03-01T09:30:00.000Z'), ['REQ-SOON']);
        assert.deepEqual(await at('2025-03-01T12:00:00.000Z'), ['REQ-SOON', 'REQ-LATER']);

        // Once checked (a CAS write), the request leaves the list.
        const soon = await store.get('REQ-SOON');
        assert.ok(soon?.driftCheck);
        const checked = {
          ...soon,
          version: soon.version + 1,
          driftCheck: { ...soon.driftCheck, checkedAt: '2025-03-01T09:31:00.000Z', reEnabled: [] },
        };
        assert.equal(await store.compareAndSwap(checked, soon.version), true);
        assert.deepEqual(await at('2025-03-01T12:00:00.000Z'), ['REQ-LATER']);
      });
    });

    describe('listOutreachDue', () => {
      it('finds requests whose reminder or page is due, soonest first, and follows every write', async () => {
        const waiting = (id: string, reminderDue: string) =>
          aRequest({
            id,
            createdAt: '2025-03-01T09:00:00.000Z',
            outreach: { reminder: { dueAt: reminderDue } },
          });
        await store.create(waiting('REQ-LATER', '2025-03-01T09:20:00.000Z'));
        await store.create(waiting('REQ-SOON', '2025-03-01T10:10:00+01:00'));
        await store.create(aRequest({ id: 'REQ-NONE' }));
        // A page still to resolve keeps a decided request in the list; a resolved one does not.
        await store.create(
          aRequest({
            id: 'REQ-DECIDED',
            status: 'rejected',
            createdAt: '2025-03-01T09:05:00.000Z',
            outreach: {
              reminder: { dueAt: '2025-03-01T09:06:00.000Z' },
              pages: [
                {
                  via: 'PagerDuty',
                  key: 'k',
                  attempts: 0,
                  triggeredAt: '2025-03-01T09:05:01.000Z',
                },
              ],
            },
          }),
        );

        const at = (now: string) =>
          store.listOutreachDue(now).then((list) => list.map((r) => r.id));
        assert.deepEqual(await at('2025-03-01T09:00:00.000Z'), []);
        assert.deepEqual(await at('2025-03-01T09:09:00.000Z'), ['REQ-DECIDED']);
        assert.deepEqual(await at('2025-03-01T09:30:00.000Z'), [
          'REQ-DECIDED',
          'REQ-SOON',
          'REQ-LATER',
        ]);

        // Once the reminder is done (a CAS write), the request leaves the list.
        const soon = await store.get('REQ-SOON');
        assert.ok(soon?.outreach?.reminder);
        const reminded: RevocationRequest = {
          ...soon,
          version: soon.version + 1,
          outreach: {
            reminder: {
              ...soon.outreach.reminder,
              doneAt: '2025-03-01T09:10:05.000Z',
              reached: [],
            },
          },
        };
        assert.equal(await store.compareAndSwap(reminded, soon.version), true);
        assert.deepEqual(await at('2025-03-01T09:30:00.000Z'), ['REQ-DECIDED', 'REQ-LATER']);
      });
    });

    describe('durability', () => {
      it('keeps writes across close and reopen', async function () {
        if (!subject.reopen) this.skip();
        const request = aRequest();
        await store.create(request);
        const next = approved(request);
        await store.compareAndSwap(next, 1);
        await store.close();

        const again = await reopen();
        assert.deepEqual(await again.get(request.id), next);
        assert.equal(await again.compareAndSwap({ ...next, version: 3 }, 2), true);
      });

      it('sees another connection’s writes and keeps CAS exclusive across connections', async function () {
        if (!subject.reopen) this.skip();
        const other = await reopen();
        const request = aRequest();
        await store.create(request);
        assert.deepEqual(await other.get(request.id), request);
        assert.equal(await store.compareAndSwap(approved(request), 1), true);
        assert.equal(await other.compareAndSwap(approved(request), 1), false);
      });

      it('closes idempotently', async () => {
        await store.close();
        await store.close();
      });
    });

    describe('run leases', () => {
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

      it('gives a free lease to the first owner only, and again to the same owner', async () => {
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-a', 10_000), true);
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-b', 10_000), false);
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-a', 10_000), true);
        assert.equal(await store.acquireRunLease('REQ-OTHER', 'instance-b', 10_000), true);
      });

      it('lets another owner take an expired lease; the old owner can then no longer renew', async () => {
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-a', 150), true);
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-b', 150), false);
        await sleep(250);
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-b', 10_000), true);
        assert.equal(await store.renewRunLease('REQ-L', 'instance-a', 10_000), false);
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-a', 10_000), false);
      });

      it('keeps a renewed lease past its first expiry', async () => {
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-a', 300), true);
        await sleep(200);
        assert.equal(await store.renewRunLease('REQ-L', 'instance-a', 300), true);
        await sleep(200);
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-b', 300), false);
      });

      it('frees a released lease at once; only its owner can release it', async () => {
        await store.acquireRunLease('REQ-L', 'instance-a', 10_000);
        await store.releaseRunLease('REQ-L', 'instance-b');
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-b', 10_000), false);
        await store.releaseRunLease('REQ-L', 'instance-a');
        assert.equal(await store.acquireRunLease('REQ-L', 'instance-b', 10_000), true);
        assert.equal(await store.renewRunLease('REQ-NONE', 'instance-b', 10_000), false);
      });

      it('gives a contested lease to exactly one of many owners at once', async () => {
        const owners = ['a', 'b', 'c', 'd', 'e', 'f'];
        const won = await Promise.all(owners.map((o) => store.acquireRunLease('REQ-L', o, 10_000)));
        assert.equal(won.filter(Boolean).length, 1);
      });

      it('is exclusive across connections', async function () {
        if (!subject.reopen) this.skip();
        const other = await reopen();
        const won = await Promise.all([
          store.acquireRunLease('REQ-L', 'instance-a', 10_000),
          other.acquireRunLease('REQ-L', 'instance-b', 10_000),
        ]);
        assert.equal(won.filter(Boolean).length, 1);
        const winner = won[0] ? 'instance-a' : 'instance-b';
        assert.equal(await other.renewRunLease('REQ-L', winner, 10_000), true);
      });
    });
  });
}
