// A batch whose card cannot be posted is cancelled with its children (the /api/messages test,
// test/teams/batch/batch-card-post-failure.test.ts, shows the whole path). Here what Teams cannot
// easily produce: the cancellation itself cannot be saved; and each child's saved state in detail.
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { parseBatchCommand } from '../../../src/core/batch/parse-batch-command';
import { batchHarness, THREAD_REFERENCE, type BatchHarness } from '../../support/batch-harness';
import { massTenant } from '../../support/mass-tenant';
import { refusalOf } from '../../support/service-harness';

describe('batch card not posted: the batch is cancelled', () => {
  let h: BatchHarness;
  beforeEach(async () => {
    h = await batchHarness(massTenant(3).document);
    sinon.stub(h.notifier, 'postBatchCard').rejects(new Error('403 Forbidden: bot not in team'));
  });
  afterEach(async () => {
    sinon.restore();
    await h.close();
  });

  const ask = () =>
    h.service.requestBatch({
      command: parseBatchCommand('users mass.user0@contoso.com mass.user1@contoso.com Phishing'),
      requester: h.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });

  it('when the cancellation cannot be saved, the reply does not claim it was cancelled', async () => {
    sinon.stub(h.store.batches, 'compareAndSwapBatch').rejects(new Error('disk I/O error'));
    const refusal = await refusalOf(ask());
    assert.equal(refusal.code, 'card_not_posted');
    const [created] = h.audit.ofType('request.created');
    assert.equal(
      refusal.message,
      `I could not post the approval card for batch ${String(created?.requestId)}, and could not cancel the batch either: nobody can approve it, and it expires unapproved. Nothing was changed. Try again in a minute; the operators have the details in the log.`,
    );
    assert.ok(!refusal.message.includes('Forbidden'), 'the connector error goes to the log only');
    assert.equal(h.audit.ofType('request.cancelled').length, 0);
    // Still pending as a whole, so the expiry closes batch and children together.
    assert.equal((await h.store.batches.listBatchesByStatus(['pending'])).length, 1);
    assert.equal((await h.store.listByStatus(['pending'])).length, 2);
  });

  it('every pending child is cancelled with the reason; the record names them', async () => {
    const refusal = await refusalOf(ask());
    assert.equal(refusal.code, 'card_not_posted');
    const [batch] = await h.store.batches.listBatchesByStatus(['cancelled']);
    assert.ok(batch);
    const children = await h.store.batches.listChildren(batch.id);
    assert.deepEqual(
      children.map((c) => [c.status, c.cancellation?.reason, c.finishedAt]),
      children.map(() => ['cancelled', 'its card could not be posted in Teams', batch.finishedAt]),
    );
    const [record] = h.audit.ofType('request.cancelled');
    assert.deepEqual(record?.details, {
      batch: true,
      reason: 'its card could not be posted in Teams',
      children: batch.members.map((m) => m.requestId),
    });
  });
});
