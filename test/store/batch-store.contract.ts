// The behaviour every BatchStore must have (SQLite and PostgreSQL): compare-and-swap like
// requests, listing by status, finding a batch's children, and surviving a reopen.
import assert from 'node:assert/strict';
import type { BatchRequest } from '../../src/core/batch/batch-model';
import type { LeasingStore } from '../../src/store';
import { aRequest, PRIYA, SAM } from '../support/builders';

export function describeBatchStoreContract(
  name: string,
  open: () => Promise<{ store: LeasingStore; reopen?: () => Promise<LeasingStore> }>,
): void {
  describe(`BatchStore contract: ${name}`, () => {
    const opened: LeasingStore[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    function aBatch(overrides: Partial<BatchRequest> = {}): BatchRequest {
      return {
        id: 'B-7K3Q9MXA',
        version: 1,
        status: 'pending',
        reason: 'Phishing wave',
        requester: SAM,
        createdAt: '2026-03-02T10:00:00.000Z',
        expiresAt: '2026-03-02T11:00:00.000Z',
        requiredApprovals: 2,
        approvals: [],
        members: [
          {
            requestId: 'R-AAAAAAA1',
            targetId: 't1',
            userPrincipalName: 'a@c.io',
            displayName: 'A',
            deviceCount: 1,
          },
          {
            requestId: 'R-AAAAAAA2',
            targetId: 't2',
            userPrincipalName: 'b@c.io',
            displayName: 'B',
            deviceCount: 0,
          },
        ],
        skipped: [{ entry: 'x@c.io', reason: 'unknown_user' }],
        malformed: [],
        card: { conversationReference: '{}' },
        retries: 0,
        ...overrides,
      };
    }

    it('saves, reads back, swaps on the expected version only, lists by status', async () => {
      const { store } = await open();
      opened.push(store);
      const batch = aBatch();
      await store.batches.createBatch(batch);
      await assert.rejects(store.batches.createBatch(batch), /already exists/);
      assert.deepEqual(await store.batches.getBatch(batch.id), batch);
      const approved = {
        ...batch,
        version: 2,
        approvals: [{ approver: PRIYA, at: batch.createdAt }],
      };
      assert.equal(await store.batches.compareAndSwapBatch(approved, 1), true);
      assert.equal(
        await store.batches.compareAndSwapBatch({ ...approved, version: 2, status: 'rejected' }, 1),
        false,
      );
      assert.equal((await store.batches.getBatch(batch.id))?.approvals.length, 1);
      assert.deepEqual(
        (await store.batches.listBatchesByStatus(['pending'])).map((b) => b.id),
        [batch.id],
      );
      assert.deepEqual(await store.batches.listBatchesByStatus(['running']), []);
    });

    it("finds a batch's children among other requests, in creation order", async () => {
      const { store } = await open();
      opened.push(store);
      await store.create(
        aRequest({
          id: 'R-AAAAAAA2',
          batchId: 'B-7K3Q9MXA',
          createdAt: '2026-03-02T10:00:01.000Z',
        }),
      );
      await store.create(aRequest({ id: 'R-AAAAAAA1', batchId: 'B-7K3Q9MXA' }));
      await store.create(aRequest({ id: 'R-AAAAAAA3', batchId: 'B-OTHER000' }));
      await store.create(aRequest({ id: 'R-AAAAAAA4' }));
      const children = await store.batches.listChildren('B-7K3Q9MXA');
      assert.deepEqual(
        children.map((c) => c.id),
        ['R-AAAAAAA1', 'R-AAAAAAA2'],
      );
    });

    it('is durable: a reopened store has the batch and its children', async function () {
      const subject = await open();
      opened.push(subject.store);
      if (!subject.reopen) this.skip();
      await subject.store.batches.createBatch(aBatch());
      await subject.store.create(aRequest({ id: 'R-AAAAAAA1', batchId: 'B-7K3Q9MXA' }));
      const again = await subject.reopen();
      opened.push(again);
      assert.equal((await again.batches.getBatch('B-7K3Q9MXA'))?.members.length, 2);
      assert.equal((await again.batches.listChildren('B-7K3Q9MXA')).length, 1);
    });
  });
}
