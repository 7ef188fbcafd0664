// The approval that would complete a request re-judges the approvals already counted, from what
// the caller re-checked just before: pure policy, no I/O.
import { strict as assert } from 'node:assert';
import {
  decideApproval,
  describeLapse,
  type Actor,
  type Decision,
} from '../../../src/core/approval/policy';
import { decideBatchApproval } from '../../../src/core/batch/batch-policy';
import type { BatchRequest } from '../../../src/core/batch/batch-model';
import type { Approval, Person, RevocationRequest } from '../../../src/core/model';
import { allStillCount, aRequest, MARCUS, PRIYA } from '../../support/builders';

const NOW = new Date('2025-03-01T09:30:00.000Z');
const EARLIER = '2025-03-01T09:10:00.000Z';
const DANA: Person = { id: '9d9d9d9d-0000-4000-8000-00000000dana', name: 'Dana Lee' };
const ELENA: Person = { id: '1d2004de-18fb-4e92-b056-0d1aca973f97', name: 'Elena Garcia' };

const approver = (person: Person): Actor => ({ person, isApprover: true });
const byApprover = (person: Person): Approval => ({
  approver: person,
  at: EARLIER,
  as: 'approver',
});

function accepted(decision: Decision) {
  assert.ok(decision.ok, decision.ok ? '' : `${decision.code}: ${decision.message}`);
  return decision;
}

describe('approval policy: the final approval re-checks the approvals already counted', () => {
  const priyaApproved = (): RevocationRequest => aRequest({ approvals: [byApprover(PRIYA)] });

  it('an approver who left the approver group no longer counts: the run does not start', () => {
    const decision = accepted(
      decideApproval(
        priyaApproved(),
        approver(MARCUS),
        NOW,
        new Map([[PRIYA.id, 'not_approver' as const]]),
      ),
    );
    assert.equal(decision.outcome, 'approval_recorded');
    assert.equal(decision.request.status, 'pending');
    assert.equal(decision.request.runStartedAt, undefined);
    assert.deepEqual(
      decision.request.approvals.map((a) => a.approver.id),
      [MARCUS.id],
    );
    const lapsed = { ...byApprover(PRIYA), lapsedAt: NOW.toISOString(), reason: 'not_approver' };
    assert.deepEqual(decision.request.lapsedApprovals, [lapsed]);
    assert.deepEqual(decision.lapsed, [lapsed]);
    assert.equal(
      describeLapse(decision.lapsed[0]!),
      "Priya Patel's approval no longer counts: not in the approver group any more",
    );
  });

  it('approvals that still count let the run start, and nothing is marked lapsed', () => {
    const request = priyaApproved();
    const decision = accepted(
      decideApproval(request, approver(MARCUS), NOW, allStillCount(request)),
    );
    assert.equal(decision.outcome, 'approved');
    assert.equal(decision.request.status, 'running');
    assert.equal(decision.lapsed, undefined);
    assert.equal(decision.request.lapsedApprovals, undefined);
  });

  it('refuses to complete on approvals it was not given a re-check of', () => {
    const request = aRequest({
      requiredApprovals: 3,
      approvals: [byApprover(PRIYA), byApprover(DANA)],
    });
    const decision = decideApproval(
      request,
      approver(MARCUS),
      NOW,
      new Map([[PRIYA.id, undefined]]),
    );
    assert.ok(!decision.ok);
    assert.equal(decision.code, 'recheck_needed');
    // Without any re-check (the default), likewise: a completing approval is never unchecked.
    const unchecked = decideApproval(priyaApproved(), approver(MARCUS), NOW);
    assert.ok(!unchecked.ok);
    assert.equal(unchecked.code, 'recheck_needed');
  });

  it('needs no re-check for an approval that does not complete the request', () => {
    const request = aRequest({ requiredApprovals: 3, approvals: [byApprover(PRIYA)] });
    assert.equal(
      accepted(decideApproval(request, approver(MARCUS), NOW)).outcome,
      'approval_recorded',
    );
  });

  it('a manager who is no longer the target’s manager no longer counts', () => {
    const request = aRequest({ approvals: [{ approver: ELENA, at: EARLIER, as: 'manager' }] });
    const decision = accepted(
      decideApproval(request, approver(PRIYA), NOW, new Map([[ELENA.id, 'not_manager' as const]])),
    );
    assert.equal(decision.outcome, 'approval_recorded');
    assert.equal(
      describeLapse(decision.lapsed![0]!),
      "Elena Garcia's approval no longer counts: no longer the target's manager",
    );
  });

  it('a stored manager approval on a request that is not a termination never counts', () => {
    const request = aRequest({
      profile: 'compromised',
      approvals: [{ approver: ELENA, at: EARLIER, as: 'manager' }],
    });
    const decision = accepted(
      decideApproval(request, approver(PRIYA), NOW, allStillCount(request)),
    );
    assert.equal(decision.request.status, 'pending');
    assert.equal(decision.lapsed?.[0]?.reason, 'not_manager');
  });

  it('a lapsed approver may approve again once back in the group', () => {
    const first = accepted(
      decideApproval(
        priyaApproved(),
        approver(MARCUS),
        NOW,
        new Map([[PRIYA.id, 'not_approver' as const]]),
      ),
    ).request;
    const again = accepted(decideApproval(first, approver(PRIYA), NOW, allStillCount(first)));
    assert.equal(again.outcome, 'approved');
    assert.equal(again.request.lapsedApprovals?.length, 1, 'the lapse stays on record');
  });

  it('a batch: the same rule on the batch’s approvals', () => {
    const batch: BatchRequest = {
      id: 'B-0000TEST',
      version: 3,
      status: 'pending',
      reason: 'Phishing wave',
      requester: { id: 'sam', name: 'Sam Rivera' },
      createdAt: EARLIER,
      expiresAt: '2025-03-01T10:00:00.000Z',
      requiredApprovals: 2,
      approvals: [byApprover(PRIYA)],
      members: [],
      skipped: [],
      malformed: [],
      card: { conversationReference: '{}', cardActivityId: 'card-1' },
      retries: 0,
    };
    const lapsed = decideBatchApproval(
      batch,
      approver(MARCUS),
      NOW,
      new Map([[PRIYA.id, 'not_approver' as const]]),
    );
    assert.ok(lapsed.ok);
    assert.equal(lapsed.outcome, 'approval_recorded');
    assert.equal(lapsed.batch.status, 'pending');
    assert.deepEqual(
      lapsed.batch.lapsedApprovals?.map((a) => a.approver.id),
      [PRIYA.id],
    );
    const unchecked = decideBatchApproval(batch, approver(MARCUS), NOW);
    assert.ok(!unchecked.ok);
    assert.equal(unchecked.code, 'recheck_needed');
    const fine = decideBatchApproval(batch, approver(MARCUS), NOW, allStillCount(batch));
    assert.ok(fine.ok);
    assert.equal(fine.batch.status, 'running');
  });
});
