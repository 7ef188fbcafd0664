import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import type { ServiceSettings } from '../../src/core/revoke-service';
import { refusalOf, serviceHarness, type ServiceHarness } from '../support/service-harness';
import type { Person } from '../../src/core/model';

type Harness = ServiceHarness & {
  people: Record<'sam' | 'priya' | 'marcus' | 'jordan' | 'elena' | 'alice', Person>;
};

async function harness(settings: Partial<ServiceSettings> = {}): Promise<Harness> {
  const h = await serviceHarness(settings);
  const people = {
    sam: h.person('sam.rivera@contoso.com'),
    priya: h.person('priya.patel@contoso.com'),
    marcus: h.person('marcus.chen@contoso.com'),
    jordan: h.person('jordan.lee@contoso.com'),
    elena: h.person('elena.garcia@contoso.com'),
    alice: h.person('alice.johnson@contoso.com'),
  };
  return { ...h, people };
}

const ALICE_ID = 'a17201cf-0dfb-4500-802b-04577183531d';

describe('RevokeService', () => {
  describe('asking for a revocation', () => {
    it('saves a pending request with the target, plan and expiry, and posts its card', async () => {
      const h = await harness();
      const request = await h.ask('alice.johnson@contoso.com', 'Phished via fake invoice');
      assert.match(request.id, /^R-[0-9A-Z]{8}$/);
      assert.equal(request.status, 'pending');
      assert.equal(request.target.displayName, 'Alice Johnson');
      assert.equal(request.target.onPremisesSynced, true);
      assert.equal(request.target.deviceCount, 3);
      assert.equal(request.steps.length, 4 + 3);
      assert.equal(
        request.expiresAt,
        new Date(h.clock.now().getTime() + 60 * 60_000).toISOString(),
      );
      assert.equal(request.card.cardActivityId, 'activity-1');
      assert.deepEqual((await h.store.get(request.id))?.card.cardActivityId, 'activity-1');
      assert.equal(h.notifier.cards.length, 1);
    });

    it('finds a user by mail when it differs from the UPN', async () => {
      const h = await harness();
      const bob = await h.sandbox.directory.getUser('37a640de-7826-4ee0-9210-9f543b1f2e02');
      assert.ok(bob?.mail && bob.mail !== bob.userPrincipalName);
      const request = await h.ask(bob.mail, 'Left the company');
      assert.equal(request.target.id, bob.id);
    });

    it('refuses an unknown user and keeps nothing pending', async () => {
      const h = await harness();
      const error = await refusalOf(h.ask('nobody@contoso.com', 'x y z'));
      assert.equal(error.code, 'unknown_user');
      assert.deepEqual(await h.store.listByStatus(['pending']), []);
      assert.equal(h.notifier.cards.length, 0);
    });

    it('refuses a member of the protected group (transitively) and says why', async () => {
      const h = await harness();
      for (const upn of ['breakglass01@contoso.onmicrosoft.com', 'jordan.lee@contoso.com']) {
        const error = await refusalOf(h.ask(upn, 'test run'));
        assert.equal(error.code, 'protected_target');
        assert.match(error.message, /protected account/);
      }
      assert.deepEqual(await h.store.listByStatus(['pending']), []);
    });

    it('refuses users listed in PROTECTED_USERS, by UPN or object id', async () => {
      const h = await harness({ protectedUsers: ['bob.smith@contoso.com', ALICE_ID] });
      for (const upn of ['bob.smith@contoso.com', 'alice.johnson@contoso.com']) {
        const error = await refusalOf(h.ask(upn, 'test run'));
        assert.equal(error.code, 'protected_target');
      }
    });
  });

  describe('approving', () => {
    async function pending(h: Harness) {
      return h.ask('bob.smith@contoso.com', 'Token theft');
    }

    it('runs the revocation after two distinct approvers, and only then', async () => {
      const h = await harness();
      const request = await pending(h);
      const first = await h.service.handleCardAction('approve', request.id, h.people.priya);
      assert.equal(first.accepted, true);
      assert.match(first.message, /1 more approver/);
      assert.equal(h.sandbox.behaviour.callsTo('disableUser').length, 0);
      const second = await h.service.handleCardAction('approve', request.id, h.people.marcus);
      assert.equal(second.accepted, true);
      assert.equal(second.request.status, 'running');
      await h.engine.run(request.id);
      assert.equal((await h.store.get(request.id))?.status, 'completed');
      assert.match(h.notifier.milestones[0]?.text ?? '', /Approved by Priya Patel and Marcus Chen/);
    });

    it('refuses the requester, the target and outsiders without changing anything', async () => {
      const h = await harness();
      const request = await pending(h);
      const bob = { id: request.target.id, name: 'Bob Smith' };
      for (const person of [h.people.sam, bob, h.people.elena]) {
        const result = await h.service.handleCardAction('approve', request.id, person);
        assert.equal(result.accepted, false);
        assert.equal(result.request.version, request.version);
      }
      assert.equal(h.store.writes, 1, 'only the card id was ever written');
    });

    it('counts a double click once', async () => {
      const h = await harness();
      const request = await pending(h);
      await h.service.handleCardAction('approve', request.id, h.people.priya);
      const again = await h.service.handleCardAction('approve', request.id, h.people.priya);
      assert.equal(again.accepted, false);
      assert.match(again.message, /already approved/);
      assert.equal((await h.store.get(request.id))?.approvals.length, 1);
    });

    it('checks approver membership at click time', async () => {
      const h = await harness();
      const request = await pending(h);
      const memberGroups = sinon.stub(h.sandbox.directory, 'memberGroups').resolves([]);
      const result = await h.service.handleCardAction('approve', request.id, h.people.priya);
      assert.equal(result.accepted, false);
      assert.match(result.message, /approver group/);
      assert.ok(memberGroups.calledWith(h.people.priya.id, [h.sandbox.approverGroupId]));
    });

    it('starts exactly one run when the last two approvals land at the same moment', async () => {
      const h = await harness({ requiredApprovals: 2 });
      const request = await pending(h);
      const run = sinon.spy(h.engine, 'run');
      // Both clickers read the request before either writes: the classic lost-update race.
      let readers = 0;
      let release: () => void = () => undefined;
      const bothRead = new Promise<void>((resolve) => (release = resolve));
      h.store.beforeWrite = async () => {
        if (++readers === 2) release();
        await bothRead;
      };
      const results = await Promise.all([
        h.service.handleCardAction('approve', request.id, h.people.priya),
        h.service.handleCardAction('approve', request.id, h.people.marcus),
      ]);
      h.store.beforeWrite = undefined;
      assert.deepEqual(
        results.map((r) => r.accepted),
        [true, true],
      );
      const saved = await h.store.get(request.id);
      assert.equal(saved?.approvals.length, 2);
      assert.equal(saved?.status, 'running');
      assert.equal(run.callCount, 1);
      await h.engine.run(request.id);
    });

    it('lets three simultaneous approvals of a 2-approval request start one run and refuse the third', async () => {
      const h = await harness();
      const request = await pending(h);
      const run = sinon.spy(h.engine, 'run');
      const results = await Promise.all(
        [h.people.priya, h.people.marcus, h.people.jordan].map((p) =>
          h.service.handleCardAction('approve', request.id, p),
        ),
      );
      assert.equal(results.filter((r) => r.accepted).length, 2);
      assert.match(results.find((r) => !r.accepted)?.message ?? '', /already approved and running/);
      assert.equal(run.callCount, 1);
      await h.engine.run(request.id);
    });

    it('refuses a click from a card that is not the request’s own', async () => {
      const h = await harness();
      const request = await pending(h);
      const result = await h.service.handleCardAction('approve', request.id, h.people.priya, {
        cardActivityId: 'activity-999',
      });
      assert.equal(result.accepted, false);
      assert.match(result.message, /does not belong/);
    });

    it('refuses an unknown request id', async () => {
      const h = await harness();
      const error = await refusalOf(
        h.service.handleCardAction('approve', 'R-00000000', h.people.priya),
      );
      assert.equal(error.code, 'unknown_request');
    });
  });

  describe('rejecting, expiring and retrying', () => {
    it('a rejection ends the request and nothing runs', async () => {
      const h = await harness();
      const request = await h.ask('bob.smith@contoso.com', 'False alarm maybe');
      const result = await h.service.handleCardAction('reject', request.id, h.people.marcus);
      assert.equal(result.request.status, 'rejected');
      assert.equal(
        (await h.service.handleCardAction('approve', request.id, h.people.priya)).accepted,
        false,
      );
      assert.equal(h.sandbox.behaviour.callsTo('disableUser').length, 0);
      assert.match(h.notifier.milestones.at(-1)?.text ?? '', /rejected by Marcus Chen/);
    });

    it('expires requests after APPROVAL_TIMEOUT_MINUTES, says so, and refuses late clicks', async () => {
      const h = await harness({ approvalTimeoutMinutes: 30 });
      const request = await h.ask('bob.smith@contoso.com', 'Suspicious sign-ins');
      h.clock.advanceMinutes(29);
      assert.equal(await h.service.expireDue(), 0);
      h.clock.advanceMinutes(1);
      assert.equal(await h.service.expireDue(), 1);
      assert.equal((await h.store.get(request.id))?.status, 'expired');
      assert.equal(h.notifier.lastCard()?.status, 'expired');
      assert.match(h.notifier.milestones.at(-1)?.text ?? '', /expired without 2 approvals/);
      const late = await h.service.handleCardAction('approve', request.id, h.people.priya);
      assert.equal(late.accepted, false);
      assert.equal(await h.service.expireDue(), 0, 'expiring twice does nothing');
    });

    it('a click after the expiry time expires the request even before the sweep', async () => {
      const h = await harness({ approvalTimeoutMinutes: 5 });
      const request = await h.ask('bob.smith@contoso.com', 'Suspicious sign-ins');
      h.clock.advanceMinutes(6);
      const result = await h.service.handleCardAction('approve', request.id, h.people.priya);
      assert.equal(result.accepted, false);
      assert.match(result.message, /expired/);
      assert.equal((await h.store.get(request.id))?.status, 'expired');
    });

    it('retries only the failed steps when an approver asks', async () => {
      const h = await harness();
      const request = await h.ask('bob.smith@contoso.com', 'Token theft');
      h.sandbox.behaviour.failNext('revokeSignInSessions', 'permission');
      await h.service.handleCardAction('approve', request.id, h.people.priya);
      await h.service.handleCardAction('approve', request.id, h.people.marcus);
      await h.engine.run(request.id);
      assert.equal((await h.store.get(request.id))?.status, 'completed_with_failures');
      const refused = await h.service.handleCardAction('retry', request.id, h.people.elena);
      assert.equal(refused.accepted, false);
      const retry = await h.service.handleCardAction('retry', request.id, h.people.priya);
      assert.equal(retry.accepted, true);
      await h.engine.run(request.id);
      const done = await h.store.get(request.id);
      assert.equal(done?.status, 'completed');
      assert.equal(
        h.sandbox.behaviour.callsTo('disableUser').length,
        1,
        'succeeded steps are not repeated',
      );
    });

    it('resumes requests that were running when the process stopped', async () => {
      const h = await harness();
      const request = await h.ask('bob.smith@contoso.com', 'Token theft');
      const run = sinon.stub(h.engine, 'run').resolves();
      await h.service.handleCardAction('approve', request.id, h.people.priya);
      await h.service.handleCardAction('approve', request.id, h.people.marcus);
      run.restore();
      assert.deepEqual(await h.service.resumeRunning(), [request.id]);
      await h.engine.run(request.id);
      assert.equal((await h.store.get(request.id))?.status, 'completed');
    });
  });
});
