// A mass revocation under the same rule as a single one: a batch request, approval or rejection
// whose audit record cannot be written does not count.
import { strict as assert } from 'node:assert';
import { parseBatchCommand } from '../../../src/core/batch/parse-batch-command';
import { batchHarness, THREAD_REFERENCE, type BatchHarness } from '../../support/batch-harness';
import { massTenant } from '../../support/mass-tenant';
import { refusalOf } from '../../support/service-harness';

describe('batch audit records that must succeed', () => {
  let h: BatchHarness;
  beforeEach(async () => {
    h = await batchHarness(massTenant(3).document);
  });
  afterEach(async () => h.close());

  const ask = () =>
    h.service.requestBatch({
      command: parseBatchCommand('users mass.user0@contoso.com mass.user1@contoso.com Phishing'),
      requester: h.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });

  it('a batch whose record cannot be written is not made: no batch, no children, no card', async () => {
    h.audit.failAppends();
    const refusal = await refusalOf(ask());
    assert.equal(refusal.code, 'audit_unavailable');
    assert.deepEqual(await h.store.batches.listBatchesByStatus(['pending']), []);
    assert.deepEqual(await h.store.listByStatus(['pending']), []);
    assert.equal(h.notifier.cards.length, 0);
  });

  it('a final approval whose record cannot be written starts nothing', async () => {
    const batch = await ask();
    await h.service.handleCardAction('approve', batch.id, h.person('priya.patel@contoso.com'));
    h.audit.failAppends();
    const refusal = await refusalOf(
      h.service.handleCardAction('approve', batch.id, h.person('jordan.lee@contoso.com')),
    );
    assert.equal(refusal.code, 'audit_unavailable');
    const saved = await h.store.batches.getBatch(batch.id);
    assert.equal(saved?.status, 'pending');
    assert.equal(saved?.approvals.length, 1);
    const children = await h.store.batches.listChildren(batch.id);
    assert.ok(children.every((c) => c.status === 'pending'));
  });

  it('a rejection whose record cannot be written leaves the batch open', async () => {
    const batch = await ask();
    h.audit.failAppends();
    const refusal = await refusalOf(
      h.service.handleCardAction('reject', batch.id, h.person('priya.patel@contoso.com')),
    );
    assert.equal(refusal.code, 'audit_unavailable');
    assert.equal((await h.store.batches.getBatch(batch.id))?.status, 'pending');
  });

  it('one batch approval is one request.approved record, by the final approver, naming the children', async () => {
    const batch = await ask();
    const jordan = h.person('jordan.lee@contoso.com');
    await h.service.handleCardAction('approve', batch.id, h.person('priya.patel@contoso.com'));
    await h.service.handleCardAction('approve', batch.id, jordan);
    await h.waitForBatch(batch.id, (b) => b.status === 'completed');
    const approved = h.audit.ofType('request.approved');
    assert.equal(approved.length, 1);
    assert.equal(approved[0]?.actorId, jordan.id);
    assert.deepEqual(
      approved[0]?.details['children'],
      batch.members.map((m) => m.requestId),
    );
  });
});
