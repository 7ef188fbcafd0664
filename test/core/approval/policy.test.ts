import { strict as assert } from 'node:assert';
import {
  decideApproval,
  decideExpiry,
  decideRejection,
  decideRetry,
  type Actor,
  type Decision,
} from '../../../src/core/approval/policy';
import type { Person, RevocationRequest } from '../../../src/core/model';
import { allStillCount, aRequest, ALICE, MARCUS, PRIYA, SAM } from '../../support/builders';

const BEFORE_EXPIRY = new Date('2025-03-01T09:30:00.000Z');
const AT_EXPIRY = new Date('2025-03-01T10:00:00.000Z');
const DANA: Person = { id: '9d9d9d9d-0000-4000-8000-00000000dana', name: 'Dana Lee' };
const TARGET_AS_PERSON: Person = { id: ALICE.id, name: ALICE.displayName };

const approver = (person: Person): Actor => ({ person, isApprover: true });
const outsider = (person: Person): Actor => ({ person, isApprover: false });

function accepted(decision: Decision): RevocationRequest {
  assert.ok(decision.ok, `expected acceptance, got ${decision.ok ? '' : decision.code}`);
  return decision.request;
}

function refusedWith(decision: Decision, code: string): string {
  assert.ok(!decision.ok, 'expected a refusal');
  assert.equal(decision.code, code);
  return decision.message;
}

describe('approval policy', () => {
  describe('approve', () => {
    it('records the first approval and keeps the request pending', () => {
      const decision = decideApproval(aRequest(), approver(PRIYA), BEFORE_EXPIRY);
      const next = accepted(decision);
      assert.equal(decision.ok && decision.outcome, 'approval_recorded');
      assert.equal(next.status, 'pending');
      assert.deepEqual(next.approvals, [
        { approver: PRIYA, at: BEFORE_EXPIRY.toISOString(), as: 'approver' },
      ]);
    });

    it('starts the run on the second distinct approval', () => {
      const once = accepted(decideApproval(aRequest(), approver(PRIYA), BEFORE_EXPIRY));
      const decision = decideApproval(once, approver(MARCUS), BEFORE_EXPIRY, allStillCount(once));
      const twice = accepted(decision);
      assert.equal(decision.ok && decision.outcome, 'approved');
      assert.equal(twice.status, 'running');
      assert.equal(twice.runStartedAt, BEFORE_EXPIRY.toISOString());
      assert.deepEqual(
        twice.approvals.map((a) => a.approver.id),
        [PRIYA.id, MARCUS.id],
      );
    });

    it('honours REQUIRED_APPROVALS = 1 and = 3', () => {
      const single = decideApproval(
        aRequest({ requiredApprovals: 1 }),
        approver(PRIYA),
        BEFORE_EXPIRY,
      );
      assert.equal(accepted(single).status, 'running');
      let request = aRequest({ requiredApprovals: 3 });
      for (const person of [PRIYA, MARCUS])
        request = accepted(decideApproval(request, approver(person), BEFORE_EXPIRY));
      assert.equal(request.status, 'pending');
      assert.equal(
        accepted(decideApproval(request, approver(DANA), BEFORE_EXPIRY, allStillCount(request)))
          .status,
        'running',
      );
    });

    it('never lets the requester approve, even as an approver', () => {
      assert.match(
        refusedWith(decideApproval(aRequest(), approver(SAM), BEFORE_EXPIRY), 'self_approval'),
        /two other people/,
      );
    });

    it('never lets the target approve, even as an approver', () => {
      refusedWith(
        decideApproval(aRequest(), approver(TARGET_AS_PERSON), BEFORE_EXPIRY),
        'target_approval',
      );
    });

    it('refuses people outside the approver group', () => {
      assert.match(
        refusedWith(decideApproval(aRequest(), outsider(DANA), BEFORE_EXPIRY), 'not_authorised'),
        /approver group/,
      );
    });

    it('counts the same approver once and says so', () => {
      const once = accepted(decideApproval(aRequest(), approver(PRIYA), BEFORE_EXPIRY));
      const message = refusedWith(
        decideApproval(once, approver(PRIYA), BEFORE_EXPIRY),
        'already_approved',
      );
      assert.match(message, /already approved.*1 more/);
    });

    it('recognises the same approver by object id, whatever the display name', () => {
      const once = accepted(decideApproval(aRequest(), approver(PRIYA), BEFORE_EXPIRY));
      refusedWith(
        decideApproval(once, approver({ ...PRIYA, name: 'P. Patel (renamed)' }), BEFORE_EXPIRY),
        'already_approved',
      );
    });

    it('refuses once the request has expired, at the exact expiry instant', () => {
      refusedWith(decideApproval(aRequest(), approver(PRIYA), AT_EXPIRY), 'expired');
    });

    for (const status of [
      'running',
      'completed',
      'completed_with_failures',
      'rejected',
      'expired',
    ] as const) {
      it(`refuses approvals when the request is ${status}`, () => {
        refusedWith(
          decideApproval(aRequest({ status }), approver(PRIYA), BEFORE_EXPIRY),
          'not_pending',
        );
      });
    }

    it('does not change the request it was given', () => {
      const request = aRequest();
      const copy = structuredClone(request);
      decideApproval(request, approver(PRIYA), BEFORE_EXPIRY);
      assert.deepEqual(request, copy);
    });
  });

  describe('reject', () => {
    it('lets any approver reject, recording who and when', () => {
      const rejected = accepted(decideRejection(aRequest(), approver(MARCUS), BEFORE_EXPIRY));
      assert.equal(rejected.status, 'rejected');
      assert.deepEqual(rejected.rejection, { by: MARCUS, at: BEFORE_EXPIRY.toISOString() });
    });

    it('lets an approver reject after another approved', () => {
      const once = accepted(decideApproval(aRequest(), approver(PRIYA), BEFORE_EXPIRY));
      assert.equal(
        accepted(decideRejection(once, approver(MARCUS), BEFORE_EXPIRY)).status,
        'rejected',
      );
    });

    it('lets a requester who is an approver withdraw the request', () => {
      assert.equal(
        accepted(decideRejection(aRequest(), approver(SAM), BEFORE_EXPIRY)).status,
        'rejected',
      );
    });

    it('never lets the target stop their own revocation', () => {
      refusedWith(
        decideRejection(aRequest(), approver(TARGET_AS_PERSON), BEFORE_EXPIRY),
        'target_approval',
      );
    });

    it('refuses people outside the approver group', () => {
      refusedWith(decideRejection(aRequest(), outsider(DANA), BEFORE_EXPIRY), 'not_authorised');
    });

    it('refuses once rejected, running or expired', () => {
      const rejected = accepted(decideRejection(aRequest(), approver(MARCUS), BEFORE_EXPIRY));
      assert.match(
        refusedWith(decideRejection(rejected, approver(PRIYA), BEFORE_EXPIRY), 'not_pending'),
        /rejected by Marcus Chen/,
      );
      refusedWith(decideApproval(rejected, approver(PRIYA), BEFORE_EXPIRY), 'not_pending');
      refusedWith(
        decideRejection(aRequest({ status: 'running' }), approver(PRIYA), BEFORE_EXPIRY),
        'not_pending',
      );
      refusedWith(decideRejection(aRequest(), approver(PRIYA), AT_EXPIRY), 'expired');
    });
  });

  describe('expiry', () => {
    it('expires a pending request at its expiry time, not before', () => {
      assert.equal(decideExpiry(aRequest(), BEFORE_EXPIRY), undefined);
      const expired = decideExpiry(aRequest(), AT_EXPIRY);
      assert.equal(expired?.status, 'expired');
      assert.equal(expired?.finishedAt, aRequest().expiresAt);
    });

    it('leaves other states alone', () => {
      for (const status of ['running', 'completed', 'rejected', 'expired'] as const) {
        assert.equal(decideExpiry(aRequest({ status }), AT_EXPIRY), undefined);
      }
    });
  });

  describe('retry failed steps', () => {
    const finishedWithFailures = () => {
      const request = aRequest({
        status: 'completed_with_failures',
        finishedAt: BEFORE_EXPIRY.toISOString(),
      });
      request.steps = request.steps.map((step, index) =>
        index === 0
          ? { ...step, status: 'failed', attempts: 3, error: { code: 'x', message: 'boom' } }
          : { ...step, status: 'succeeded', attempts: 1 },
      );
      return request;
    };

    it('puts failed steps back to pending and the request back to running', () => {
      const next = accepted(decideRetry(finishedWithFailures(), approver(PRIYA), AT_EXPIRY));
      assert.equal(next.status, 'running');
      assert.equal(next.finishedAt, undefined);
      assert.equal(next.steps[0]?.status, 'pending');
      assert.equal(next.steps[0]?.error, undefined);
      assert.equal(next.steps[0]?.attempts, 3, 'attempts are kept for the record');
      assert.ok(next.steps.slice(1).every((s) => s.status === 'succeeded'));
    });

    it('is for approvers only, never the target, and only after failures', () => {
      refusedWith(decideRetry(finishedWithFailures(), outsider(DANA), AT_EXPIRY), 'not_authorised');
      refusedWith(
        decideRetry(finishedWithFailures(), approver(TARGET_AS_PERSON), AT_EXPIRY),
        'target_approval',
      );
      for (const status of ['pending', 'running', 'completed', 'rejected', 'expired'] as const) {
        refusedWith(
          decideRetry(aRequest({ status }), approver(PRIYA), AT_EXPIRY),
          'nothing_to_retry',
        );
      }
    });
  });
});
