// What happens when the audit trail cannot be written. A request, an approval, a rejection or a
// restore whose record cannot be written does not count and the person is told; a revocation
// already running goes on, and its records are written once the store answers, with the gap
// recorded.
import { strict as assert } from 'node:assert';
import { auditTrailOf } from '../../src/core/audit-trail';
import type { AuditEvent } from '../../src/core/audit-event';
import { captureLogger } from '../support/capture-logger';
import { refusalOf, serviceHarness, THREAD_REFERENCE } from '../support/service-harness';

const runRecords = (event: AuditEvent): boolean =>
  event.type.startsWith('step.') || event.type === 'run.finished';

describe('audit appends that must succeed', () => {
  it('an approval whose record cannot be written does not count, and the approver is told', async () => {
    const h = await serviceHarness();
    const request = await h.ask('bob.smith@contoso.com');
    await h.service.handleCardAction('approve', request.id, h.person('priya.patel@contoso.com'));
    h.audit.failAppends();
    const refusal = await refusalOf(
      h.service.handleCardAction('approve', request.id, h.person('marcus.chen@contoso.com')),
    );
    assert.equal(refusal.code, 'audit_unavailable');
    assert.match(refusal.message, /could not be written to the audit trail, so it did not count/);
    const saved = await h.store.get(request.id);
    assert.equal(saved?.status, 'pending', 'the final approval did not start the run');
    assert.equal(saved?.approvals.length, 1);
    assert.equal(h.engine.isRunning(request.id), false);

    // Once the store answers, the refused click is in the trail, then the approval that counts.
    h.audit.recover();
    const again = await h.service.handleCardAction(
      'approve',
      request.id,
      h.person('marcus.chen@contoso.com'),
    );
    assert.equal(again.request.status, 'running');
    await h.engine.run(request.id);
    const types = h.audit.records.map(
      (r) => `${r.type}${r.details['code'] ? `:${String(r.details['code'])}` : ''}`,
    );
    assert.deepEqual(types.slice(0, 6), [
      'request.created',
      'approval.recorded',
      'action.refused:audit_unavailable',
      'audit.delayed',
      'approval.recorded',
      'request.approved',
    ]);
    assert.equal((await h.audit.verify()).ok, true);
  });

  it('a final approval whose second record fails is not saved either', async () => {
    const h = await serviceHarness();
    const request = await h.ask('bob.smith@contoso.com');
    await h.service.handleCardAction('approve', request.id, h.person('priya.patel@contoso.com'));
    h.audit.failAppends((event) => event.type === 'request.approved');
    const refusal = await refusalOf(
      h.service.handleCardAction('approve', request.id, h.person('marcus.chen@contoso.com')),
    );
    assert.equal(refusal.code, 'audit_unavailable');
    assert.equal((await h.store.get(request.id))?.status, 'pending');
    // The approval record that did get written is followed by the record that it did not count.
    const tail = h.audit.records.slice(-2).map((r) => [r.type, r.details['code'] ?? null]);
    assert.deepEqual(tail, [
      ['approval.recorded', null],
      ['action.refused', 'audit_unavailable'],
    ]);
    assert.equal(h.audit.ofType('request.approved').length, 0);
  });

  it('a rejection whose record cannot be written does not count', async () => {
    const h = await serviceHarness();
    const request = await h.ask('bob.smith@contoso.com');
    h.audit.failAppends();
    const refusal = await refusalOf(
      h.service.handleCardAction('reject', request.id, h.person('priya.patel@contoso.com')),
    );
    assert.equal(refusal.code, 'audit_unavailable');
    const saved = await h.store.get(request.id);
    assert.equal(saved?.status, 'pending');
    assert.equal(saved?.rejection, undefined);
  });

  it('a request whose record cannot be written is not made: nothing saved, no card', async () => {
    const h = await serviceHarness();
    h.audit.failAppends();
    const refusal = await refusalOf(h.ask('bob.smith@contoso.com'));
    assert.equal(refusal.code, 'audit_unavailable');
    assert.deepEqual(await h.store.listByStatus(['pending']), []);
    assert.equal(h.notifier.cards.length, 0);
  });

  it('a restore whose record cannot be written is not made', async () => {
    const h = await serviceHarness();
    const revoked = await h.ask('bob.smith@contoso.com');
    await h.service.handleCardAction('approve', revoked.id, h.person('priya.patel@contoso.com'));
    await h.service.handleCardAction('approve', revoked.id, h.person('marcus.chen@contoso.com'));
    await h.engine.run(revoked.id);
    h.audit.failAppends();
    const refusal = await refusalOf(
      h.service.requestRestore({
        originalId: revoked.id,
        reason: 'False alarm',
        requester: h.person('sam.rivera@contoso.com'),
        conversationReference: THREAD_REFERENCE,
      }),
    );
    assert.equal(refusal.code, 'audit_unavailable');
    assert.deepEqual(await h.store.listByStatus(['pending']), []);
  });
});

describe('audit records of a running revocation', () => {
  it('the run goes on; its records are written once the store answers, and the gap is recorded', async () => {
    const h = await serviceHarness();
    const request = await h.ask('bob.smith@contoso.com');
    await h.service.handleCardAction('approve', request.id, h.person('priya.patel@contoso.com'));
    // The store stops answering right after the final approval was recorded.
    h.audit.failAppends(runRecords);
    await h.service.handleCardAction('approve', request.id, h.person('marcus.chen@contoso.com'));
    await h.engine.run(request.id);
    const done = await h.store.get(request.id);
    assert.equal(done?.status, 'completed', 'containment first: the run was not held up');
    assert.equal(h.audit.records.filter((r) => runRecords(r)).length, 0);
    const trail = auditTrailOf(h.audit, h.clock, captureLogger());
    const expected = done.steps.length * 2 + 1;
    assert.equal(trail.heldCount, expected, 'each step start and result, and the finish');

    h.clock.advanceMinutes(5);
    h.audit.recover();
    await trail.flush();
    assert.equal(trail.heldCount, 0);
    const late = h.audit.records.slice(-(expected + 1));
    assert.deepEqual(
      late
        .slice(0, -1)
        .map((r) => r.type)
        .filter((t) => t === 'step.succeeded').length,
      done.steps.length,
    );
    assert.equal(late.at(-2)?.type, 'run.finished');
    const gap = late.at(-1);
    assert.equal(gap?.type, 'audit.delayed');
    assert.equal(gap.details['delayed'], expected);
    assert.equal(gap.details['dropped'], 0);
    // The late records keep the time they happened; the gap record says when it closed.
    assert.ok(String(late[0]?.at) < String(gap.at));
    assert.equal((await h.audit.verify()).ok, true);
  });
});
