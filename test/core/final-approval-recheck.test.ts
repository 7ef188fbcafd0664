// The service's half of "approvals that mean what they say": at the approval that would start the
// run, the approvals already counted are looked up again (sandbox directory, no network), and one
// that no longer holds does not count, is audited, and shows on the card.
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { serviceHarness } from '../support/service-harness';

const PRIYA_UPN = 'priya.patel@contoso.com';
const MARCUS_UPN = 'marcus.chen@contoso.com';
const JORDAN_UPN = 'jordan.lee@contoso.com';

describe('the final approval re-checks the approvals already counted (service)', () => {
  afterEach(() => sinon.restore());

  it('an approver removed from the group since does not count: no run, card and audit say so', async () => {
    const h = await serviceHarness();
    const request = await h.ask('bob.smith@contoso.com');
    const priya = h.person(PRIYA_UPN);
    await h.service.handleCardAction('approve', request.id, priya);
    // Priya leaves the approver group (a direct member) after approving.
    assert.ok(h.sandbox.directory.setDirectMember(h.sandbox.approverGroupId, priya.id, false));

    const result = await h.service.handleCardAction('approve', request.id, h.person(MARCUS_UPN));
    assert.equal(result.accepted, true);
    assert.match(
      result.message,
      /Priya Patel's approval no longer counts: not in the approver group any more\. 1 more approver\(s\) needed/,
    );
    const saved = await h.store.get(request.id);
    assert.equal(saved?.status, 'pending');
    assert.deepEqual(
      saved?.approvals.map((a) => a.approver.id),
      [h.person(MARCUS_UPN).id],
    );
    assert.equal(saved?.lapsedApprovals?.[0]?.reason, 'not_approver');
    assert.equal(h.audit.ofType('request.approved').length, 0, 'the run never started');
    const [lapse] = h.audit.ofType('approval.lapsed');
    assert.deepEqual(lapse?.details, {
      approverId: priya.id,
      as: 'approver',
      approvedAt: saved?.lapsedApprovals?.[0]?.at,
      reason: 'not_approver',
    });
    assert.equal(lapse?.actorId, h.person(MARCUS_UPN).id);
    assert.equal(h.notifier.lastCard()?.lapsedApprovals?.length, 1);

    // Another approver then completes it.
    const done = await h.service.handleCardAction('approve', request.id, h.person(JORDAN_UPN));
    assert.match(done.message, /^Approved/);
    assert.equal((await h.store.get(request.id))?.status, 'running');
  });

  it('an approver still in the group (transitively) counts, and the run starts', async () => {
    const h = await serviceHarness();
    const request = await h.ask('bob.smith@contoso.com');
    await h.service.handleCardAction('approve', request.id, h.person(MARCUS_UPN));
    const result = await h.service.handleCardAction('approve', request.id, h.person(PRIYA_UPN));
    assert.match(result.message, /^Approved/);
    assert.equal(h.audit.ofType('approval.lapsed').length, 0);
    assert.equal((await h.store.get(request.id))?.status, 'running');
  });

  it('a manager who is no longer the target’s manager does not count', async () => {
    const h = await serviceHarness({ allowManagerApproval: true });
    const request = await h.ask('alice.johnson@contoso.com', 'Last day');
    const elena = h.person('elena.garcia@contoso.com');
    assert.match(
      (await h.service.handleCardAction('approve', request.id, elena)).message,
      /recorded/,
    );
    // Alice moves to another manager before the approver clicks.
    const getManager = h.sandbox.directory.getManager.bind(h.sandbox.directory);
    sinon
      .stub(h.sandbox.directory, 'getManager')
      .callsFake(async (id) => (id === request.target.id ? h.person(JORDAN_UPN) : getManager(id)));
    const result = await h.service.handleCardAction('approve', request.id, h.person(PRIYA_UPN));
    assert.match(
      result.message,
      /Elena Garcia's approval no longer counts: no longer the target's manager/,
    );
    const saved = await h.store.get(request.id);
    assert.equal(saved?.status, 'pending');
    assert.deepEqual(
      saved?.approvals.map((a) => a.as),
      ['approver'],
    );
    assert.equal(h.audit.ofType('approval.lapsed')[0]?.details['as'], 'manager');
  });

  it('a manager approval counts no more once manager approval is switched off', async () => {
    const on = await serviceHarness({ allowManagerApproval: true });
    const request = await on.ask('alice.johnson@contoso.com', 'Last day');
    await on.service.handleCardAction('approve', request.id, on.person('elena.garcia@contoso.com'));
    // The same store, served by a service restarted with ALLOW_MANAGER_APPROVAL off.
    const off = await serviceHarness();
    await off.store.create((await on.store.get(request.id))!);
    const result = await off.service.handleCardAction('approve', request.id, off.person(PRIYA_UPN));
    assert.match(result.message, /manager approval has been switched off/);
    assert.equal((await off.store.get(request.id))?.status, 'pending');
  });

  it('an approval that slips in before the completing click is saved is re-checked too', async () => {
    const h = await serviceHarness({ requiredApprovals: 3 });
    const request = await h.ask('bob.smith@contoso.com');
    const priya = h.person(PRIYA_UPN);
    const marcus = h.person(MARCUS_UPN);
    const jordan = h.person(JORDAN_UPN);
    await h.service.handleCardAction('approve', request.id, priya);
    const memberGroups = h.sandbox.directory.memberGroups.bind(h.sandbox.directory);
    let slipped = false;
    sinon.stub(h.sandbox.directory, 'memberGroups').callsFake(async (userId, groups) => {
      if (!slipped && userId === marcus.id) {
        // While Marcus's click is being checked, Jordan approves (a concurrent click) and then
        // leaves the group: Marcus's approval now completes the request on Jordan's.
        slipped = true;
        await h.service.handleCardAction('approve', request.id, jordan);
        h.sandbox.directory.setDirectMember(h.sandbox.approverGroupId, jordan.id, false);
      }
      return memberGroups(userId, groups);
    });
    const result = await h.service.handleCardAction('approve', request.id, marcus);
    assert.match(result.message, /Jordan Lee's approval no longer counts/);
    const saved = await h.store.get(request.id);
    assert.equal(saved?.status, 'pending');
    assert.deepEqual(
      saved?.approvals.map((a) => a.approver.id),
      [priya.id, marcus.id],
    );
  });

  it('a directory that cannot answer the re-check changes nothing', async () => {
    const h = await serviceHarness();
    const request = await h.ask('bob.smith@contoso.com');
    await h.service.handleCardAction('approve', request.id, h.person(PRIYA_UPN));
    h.sandbox.behaviour.failAlways('memberGroups', 'permission', {
      subject: h.person(PRIYA_UPN).id,
    });
    await assert.rejects(h.service.handleCardAction('approve', request.id, h.person(MARCUS_UPN)));
    const saved = await h.store.get(request.id);
    assert.equal(saved?.status, 'pending');
    assert.equal(saved?.approvals.length, 1);
  });
});
