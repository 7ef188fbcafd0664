// With step-up required, the core counts an approval or a rejection only with a proof the Teams
// edge checked: a click without one changes nothing and is audited, and a revocation runs only
// with two proofs from two distinct approvers. The proof is kept with the decision and recorded.
import { strict as assert } from 'node:assert';
import type { ApprovalProof } from '../../../src/core/model';
import { serviceHarness, type ServiceHarness } from '../../support/service-harness';

function proof(tokenId: string, authTime = '2026-03-02T09:59:40.000Z'): ApprovalProof {
  return { method: 'mfa', authTime, tokenId };
}

describe('decisions under APPROVAL_STEP_UP=required (core)', () => {
  let h: ServiceHarness;

  beforeEach(async () => {
    h = await serviceHarness({ approvalStepUp: 'required' });
  });

  it('refuses an approval or a rejection without a proof, and records why', async () => {
    const request = await h.ask('bob.smith@contoso.com');
    const priya = h.person('priya.patel@contoso.com');
    for (const action of ['approve', 'reject'] as const) {
      const result = await h.service.handleCardAction(action, request.id, priya);
      assert.equal(result.accepted, false, action);
      assert.match(result.message, /fresh sign-in with MFA/);
    }
    const saved = await h.store.get(request.id);
    assert.equal(saved?.status, 'pending');
    assert.deepEqual(saved?.approvals, []);
    const refusals = h.audit.records.filter(
      (r) => r.type === 'action.refused' && r.details['code'] === 'step_up_required',
    );
    assert.equal(refusals.length, 2);
  });

  it('runs only with two proofs from two distinct approvers, and keeps what each proved', async () => {
    const request = await h.ask('bob.smith@contoso.com');
    const priya = h.person('priya.patel@contoso.com');
    const marcus = h.person('marcus.chen@contoso.com');
    const first = await h.service.handleCardAction('approve', request.id, priya, {
      proof: proof('uti-1'),
    });
    assert.equal(first.accepted, true);
    const again = await h.service.handleCardAction('approve', request.id, priya, {
      proof: proof('uti-2'),
    });
    assert.equal(
      again.accepted,
      false,
      'a second proof by the same person is not a second approver',
    );
    const unproven = await h.service.handleCardAction('approve', request.id, marcus);
    assert.equal(unproven.accepted, false, 'the second approver without a proof');
    assert.equal((await h.store.get(request.id))?.status, 'pending');

    const second = await h.service.handleCardAction('approve', request.id, marcus, {
      proof: proof('uti-3'),
    });
    assert.equal(second.request.status, 'running');
    assert.deepEqual(
      second.request.approvals.map((a) => [a.approver.id, a.stepUp?.tokenId]),
      [
        [priya.id, 'uti-1'],
        [marcus.id, 'uti-3'],
      ],
    );
    const recorded = h.audit.records.filter((r) => r.type === 'approval.recorded');
    assert.deepEqual(
      recorded.map((r) => [r.details['stepUpMethod'], r.details['stepUpTokenId']]),
      [
        ['mfa', 'uti-1'],
        ['mfa', 'uti-3'],
      ],
    );
  });

  it('with step-up off, a click counts as before', async () => {
    const off = await serviceHarness({ approvalStepUp: 'off' });
    const request = await off.ask('bob.smith@contoso.com');
    const result = await off.service.handleCardAction(
      'approve',
      request.id,
      off.person('priya.patel@contoso.com'),
    );
    assert.equal(result.accepted, true, 'off: a click counts as before');
  });
});
