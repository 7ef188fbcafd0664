// What may follow a revocation, and what may not: a restore settles it (no retry, no wipe, no
// second restore), a newer revocation of the same person cannot be undone by restoring an older
// one, and a member of a batch is only ever acted on through its batch.
import { strict as assert } from 'node:assert';
import type { RevocationRequest } from '../../src/core/model';
import {
  approveAndRun,
  refusalOf,
  serviceHarness,
  THREAD_REFERENCE,
  type ServiceHarness,
} from '../support/service-harness';

function restoreOf(h: ServiceHarness, original: RevocationRequest) {
  return h.service.requestRestore({
    originalId: original.id,
    reason: 'False alarm',
    requester: h.person('sam.rivera@contoso.com'),
    conversationReference: THREAD_REFERENCE,
  });
}

describe('follow-ups of a revocation', () => {
  it('refuses to retry the failed steps of a revocation that has been restored', async () => {
    const h = await serviceHarness();
    h.sandbox.behaviour.failNext('disableDevice', 'permission');
    const revoked = await approveAndRun(h, await h.ask('bob.smith@contoso.com'));
    assert.equal(revoked.status, 'completed_with_failures');
    await approveAndRun(h, await restoreOf(h, revoked));
    const disablesBefore = h.sandbox.behaviour.callsTo('disableDevice').length;

    const retry = await h.service.handleCardAction(
      'retry',
      revoked.id,
      h.person('priya.patel@contoso.com'),
    );
    assert.equal(retry.accepted, false);
    assert.match(retry.message, /followed by restore/);
    assert.equal(h.sandbox.behaviour.callsTo('disableDevice').length, disablesBefore);
    assert.equal((await h.store.get(revoked.id))?.status, 'completed_with_failures');
  });

  it('refuses a second restore, and a wipe, once a revocation has been restored', async () => {
    const h = await serviceHarness();
    const revoked = await approveAndRun(h, await h.ask('alice.johnson@contoso.com'));
    await approveAndRun(h, await restoreOf(h, revoked));
    assert.match((await refusalOf(restoreOf(h, revoked))).message, /already restored/);
    const wipe = await refusalOf(
      h.service.requestWipe({
        originalId: revoked.id,
        requester: h.person('sam.rivera@contoso.com'),
        conversationReference: THREAD_REFERENCE,
      }),
    );
    assert.equal(wipe.code, 'not_wipeable');
    assert.match(wipe.message, /false alarm restored/);
  });

  it('does not let restoring an older revocation undo a newer one of the same person', async () => {
    const h = await serviceHarness();
    const first = await approveAndRun(h, await h.ask('bob.smith@contoso.com'));
    h.clock.advanceMinutes(5);
    const second = await approveAndRun(
      h,
      await h.ask('bob.smith@contoso.com', 'Compromised again'),
    );
    const refusal = await refusalOf(restoreOf(h, first));
    assert.equal(refusal.code, 'not_restorable');
    assert.match(refusal.message, new RegExp(`revoked again after ${first.id} \\(${second.id}\\)`));
    assert.equal((await h.sandbox.directory.getUser(first.target.id))?.accountEnabled, false);
  });

  it('never acts on a member of a batch outside its batch', async () => {
    const h = await serviceHarness();
    const request = await h.ask('bob.smith@contoso.com');
    const member = { ...request, version: request.version + 1, batchId: 'B-0000000A' };
    assert.ok(await h.store.compareAndSwap(member, request.version));
    for (const action of ['approve', 'reject', 'retry'] as const) {
      const result = await h.service.handleCardAction(
        action,
        request.id,
        h.person('priya.patel@contoso.com'),
      );
      assert.equal(result.accepted, false, action);
      assert.match(result.message, /part of batch B-0000000A/);
    }
    assert.equal((await h.store.get(request.id))?.approvals.length, 0);
  });
});
