// The service's share of "security and trust": who may request, who may approve (the manager
// rule, privileged targets), and what reaches the audit trail.
import { strict as assert } from 'node:assert';
import { refusalOf, serviceHarness, type ServiceHarness } from '../support/service-harness';
import { DirectoryError } from '../../src/core/errors';

const SECURITY_MANAGERS = 'b258c32e-c28c-4738-bbd1-26023902651e';

const harness = serviceHarness;

describe('security rules in the service', () => {
  describe('REQUESTER_GROUP_ID', () => {
    it('refuses a requester outside the group before looking the target up, and audits it', async () => {
      const h = await harness({ requesterGroupId: SECURITY_MANAGERS });
      const refusal = await refusalOf(
        h.ask('alice.johnson@contoso.com', 'phished', h.person('sam.rivera@contoso.com')),
      );
      assert.equal(refusal.code, 'not_requester');
      assert.deepEqual(await h.store.listByStatus(['pending']), []);
      assert.equal(
        h.sandbox.behaviour.calls.filter((c) => c.operation === 'findUser').length,
        0,
        'a non-requester learns nothing about the directory',
      );
      const [event] = h.audit.ofType('request.refused');
      assert.equal(event?.details['code'], 'not_requester');
    });

    it('accepts a transitive member (Marcus is in Security Managers)', async () => {
      const h = await harness({ requesterGroupId: SECURITY_MANAGERS });
      const request = await h.ask(
        'alice.johnson@contoso.com',
        'phished',
        h.person('marcus.chen@contoso.com'),
      );
      assert.equal(request.status, 'pending');
    });
  });

  describe('privileged targets', () => {
    it('need one more approval, and the card says why (Carol is a User Administrator)', async () => {
      const h = await harness();
      const request = await h.ask(
        'carol.nguyen@contoso.com',
        'token theft',
        h.person('sam.rivera@contoso.com'),
      );
      assert.equal(request.requiredApprovals, 3);
      assert.deepEqual(request.target.privilegedRoles, ['User Administrator']);
      assert.match(request.planNotes[0] ?? '', /User Administrator.*3 approvals instead of 2/);
      const after2 = await h.service.handleCardAction(
        'approve',
        request.id,
        h.person('priya.patel@contoso.com'),
      );
      const after3 = await h.service.handleCardAction(
        'approve',
        request.id,
        h.person('marcus.chen@contoso.com'),
      );
      assert.ok(after2.accepted && after3.accepted);
      assert.equal(after3.request.status, 'pending', 'two approvals are not enough');
    });

    it('an ordinary target keeps the configured number', async () => {
      const h = await harness();
      const request = await h.ask(
        'alice.johnson@contoso.com',
        'phished',
        h.person('sam.rivera@contoso.com'),
      );
      assert.equal(request.requiredApprovals, 2);
      assert.equal(request.target.privilegedRoles, undefined);
    });
  });

  describe('ALLOW_MANAGER_APPROVAL', () => {
    async function aliceRequest(h: ServiceHarness): Promise<string> {
      const request = await h.ask(
        'alice.johnson@contoso.com',
        'phished',
        h.person('sam.rivera@contoso.com'),
      );
      return request.id;
    }

    it('off (default): Alice’s manager Elena is refused like any outsider', async () => {
      const h = await harness();
      const id = await aliceRequest(h);
      const result = await h.service.handleCardAction(
        'approve',
        id,
        h.person('elena.garcia@contoso.com'),
      );
      assert.equal(result.accepted, false);
      assert.match(result.message, /approver group/);
    });

    it('on: Elena counts once, checked against the directory at click time; an approver completes it', async () => {
      const h = await harness({ allowManagerApproval: true });
      const id = await aliceRequest(h);
      const elena = await h.service.handleCardAction(
        'approve',
        id,
        h.person('elena.garcia@contoso.com'),
      );
      assert.equal(elena.accepted, true);
      assert.equal(elena.request.approvals[0]?.as, 'manager');
      const marcus = await h.service.handleCardAction(
        'approve',
        id,
        h.person('marcus.chen@contoso.com'),
      );
      assert.equal(marcus.request.status, 'running');
      await h.engine.run(id);
      const approvals = h.audit.ofType('approval.recorded');
      assert.deepEqual(
        approvals.map((r) => [r.actorId, r.details['as']]),
        [
          [h.person('elena.garcia@contoso.com').id, 'manager'],
          [h.person('marcus.chen@contoso.com').id, 'approver'],
        ],
      );
    });
  });

  describe('audit trail', () => {
    it('records creation, each approval, refusals, each step start and result, and the finish, chained', async () => {
      const h = await harness();
      const sam = h.person('sam.rivera@contoso.com');
      const request = await h.ask('bob.smith@contoso.com', 'Token theft', sam);
      await h.service.handleCardAction('approve', request.id, sam);
      await h.service.handleCardAction('approve', request.id, h.person('priya.patel@contoso.com'));
      await h.service.handleCardAction('approve', request.id, h.person('marcus.chen@contoso.com'));
      await h.engine.run(request.id);
      const types = h.audit.records.map((r) => r.type);
      assert.deepEqual(types.slice(0, 5), [
        'request.created',
        'action.refused',
        'approval.recorded',
        'approval.recorded',
        'request.approved',
      ]);
      assert.equal(h.audit.ofType('action.refused')[0]?.details['code'], 'self_approval');
      const started = h.audit.ofType('step.started').map((r) => r.details['stepId']);
      const succeeded = h.audit.ofType('step.succeeded').map((r) => r.details['stepId']);
      assert.deepEqual([...started].sort(), request.steps.map((s) => s.id).sort());
      assert.deepEqual([...succeeded].sort(), [...started].sort());
      assert.equal(types.at(-1), 'run.finished');
      assert.deepEqual(await h.audit.verify(), {
        ok: true,
        records: types.length,
        lastHash: h.audit.records.at(-1)?.hash,
      });
    });

    it('records a failed step with the directory’s error code and request id', async () => {
      const h = await harness();
      const request = await h.ask(
        'bob.smith@contoso.com',
        'Token theft',
        h.person('sam.rivera@contoso.com'),
      );
      h.sandbox.behaviour.failNext(
        'disableUser',
        new DirectoryError('permission', 'Insufficient privileges', {
          code: 'Authorization_RequestDenied',
          requestId: 'graph-req-42',
        }),
      );
      await h.service.handleCardAction('approve', request.id, h.person('priya.patel@contoso.com'));
      await h.service.handleCardAction('approve', request.id, h.person('marcus.chen@contoso.com'));
      await h.engine.run(request.id);
      const failed = h.audit.ofType('step.failed')[0];
      assert.equal(failed?.details['kind'], 'entra.disableAccount');
      assert.equal(failed?.details['errorCode'], 'Authorization_RequestDenied');
      assert.equal(failed?.details['directoryRequestId'], 'graph-req-42');
    });
  });
});
