// ALLOW_MANAGER_APPROVAL: the target's manager may fill one approval slot, never more, and never
// complete a request no approver has approved.
import { strict as assert } from 'node:assert';
import { decideApproval, decideRejection, type Actor } from '../../../src/core/approval/policy';
import type { Person, RevocationRequest } from '../../../src/core/model';
import { allStillCount, aRequest, MARCUS, PRIYA } from '../../support/builders';

const NOW = new Date('2025-03-01T09:30:00.000Z');
const ELENA: Person = { id: '1d2004de-18fb-4e92-b056-0d1aca973f97', name: 'Elena Garcia' };
const NEW_MANAGER: Person = { id: '5e5e5e5e-0000-4000-8000-000000000005', name: 'Nia Brooks' };

const manager = (person: Person): Actor => ({ person, isApprover: false, isManagerOfTarget: true });
const approver = (person: Person): Actor => ({ person, isApprover: true });

function apply(request: RevocationRequest, actor: Actor): RevocationRequest {
  const decision = decideApproval(request, actor, NOW, allStillCount(request));
  assert.ok(decision.ok, decision.ok ? '' : decision.code);
  return decision.request;
}

function refusal(request: RevocationRequest, actor: Actor): string {
  const decision = decideApproval(request, actor, NOW, allStillCount(request));
  assert.ok(!decision.ok, 'expected a refusal');
  return decision.code;
}

describe('approval policy: the target’s manager', () => {
  it('counts as one approval, recorded as a manager’s, and an approver completes it', () => {
    const first = apply(aRequest(), manager(ELENA));
    assert.equal(first.status, 'pending');
    assert.equal(first.approvals[0]?.as, 'manager');
    const second = apply(first, approver(PRIYA));
    assert.equal(second.status, 'running');
    assert.deepEqual(
      second.approvals.map((a) => a.as),
      ['manager', 'approver'],
    );
  });

  it('may be the last approval when an approver has already approved', () => {
    const afterPriya = apply(aRequest(), approver(PRIYA));
    assert.equal(apply(afterPriya, manager(ELENA)).status, 'running');
  });

  it('cannot complete a request alone (one approval required)', () => {
    assert.equal(
      refusal(aRequest({ requiredApprovals: 1 }), manager(ELENA)),
      'manager_cannot_complete',
    );
  });

  it('counts at most once, even if the manager changed while the request was pending', () => {
    const request = apply(aRequest({ requiredApprovals: 3 }), manager(ELENA));
    assert.equal(refusal(request, manager(NEW_MANAGER)), 'manager_already_counted');
    assert.equal(refusal(request, manager(ELENA)), 'already_approved');
  });

  it('with three required: manager + two approvers, never manager + one', () => {
    let request = apply(aRequest({ requiredApprovals: 3 }), manager(ELENA));
    request = apply(request, approver(PRIYA));
    assert.equal(request.status, 'pending');
    request = apply(request, approver(MARCUS));
    assert.equal(request.status, 'running');
  });

  it('a manager who is also an approver counts as an approver', () => {
    const request = apply(aRequest(), { person: ELENA, isApprover: true, isManagerOfTarget: true });
    assert.equal(request.approvals[0]?.as, 'approver');
  });

  it('is not enabled unless the caller says so (isManagerOfTarget absent = outsider)', () => {
    assert.equal(refusal(aRequest(), { person: ELENA, isApprover: false }), 'not_authorised');
  });

  it('cannot reject: rejection stays with the approver group', () => {
    const decision = decideRejection(aRequest(), manager(ELENA), NOW);
    assert.ok(!decision.ok);
    assert.equal(decision.code, 'not_authorised');
  });

  it('counts only for a termination: never for a compromised account, a restore, a wipe or a batch', () => {
    const cases: Partial<RevocationRequest>[] = [
      { profile: 'compromised' },
      { kind: 'restore', followsUp: 'R-0000000A' },
      { kind: 'wipe', followsUp: 'R-0000000A' },
      { batchId: 'B-0000000A' },
    ];
    for (const overrides of cases) {
      assert.equal(
        refusal(aRequest(overrides), manager(ELENA)),
        'not_authorised',
        JSON.stringify(overrides),
      );
    }
    assert.equal(apply(aRequest({ profile: 'termination' }), manager(ELENA)).approvals.length, 1);
  });
});
