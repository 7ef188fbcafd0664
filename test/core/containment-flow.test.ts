// The compromised profile, the dry run and the restore, through the service harness: the core
// wired with the sandbox tenant, an in-memory store and a fake clock.
import { strict as assert } from 'node:assert';
import {
  approveAndRun,
  refusalOf,
  serviceHarness,
  THREAD_REFERENCE,
  type ServiceHarness,
} from '../support/service-harness';

const ALICE = 'a17201cf-0dfb-4500-802b-04577183531d';
const ALICE_DN = 'CN=Alice Johnson,OU=Finance,OU=Users,OU=Contoso,DC=corp,DC=contoso,DC=com';
const DANA = '424386c8-546b-4c45-ba97-b6be8f51c400';
const CONTAINMENT_GROUP = '0c5d3b1e-7a2f-4d8e-9b61-3f2a7c9e4d10';
const RECENT_PHONE = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c02';
const OLD_AUTHENTICATOR = '6f2b3c1d-8a4e-4f0b-9c2d-1e3f5a7b9c01';
const ALICE_LAPTOP = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d05';

function compromised(h: ServiceHarness, upn = 'alice.johnson@contoso.com', retire = false) {
  return h.service.requestRevocation({
    target: upn,
    reason: 'Phished via fake invoice',
    requester: h.person('sam.rivera@contoso.com'),
    conversationReference: THREAD_REFERENCE,
    profile: 'compromised',
    options: { retireDevices: retire },
  });
}

describe('the compromised profile, dry run and restore (service harness)', () => {
  it('plans exactly what it will touch: the recent MFA method, the consented app, the group, the Intune devices', async () => {
    const h = await serviceHarness();
    const request = await compromised(h, 'alice.johnson@contoso.com', true);
    const titles = request.steps.map((s) => s.title);
    assert.ok(titles.includes('Confirm the user compromised in Identity Protection'));
    assert.ok(titles.includes('Remove MFA method mobile: phone ending in 17'), titles.join('\n'));
    assert.ok(!titles.some((t) => t.includes('Microsoft Authenticator')), 'older methods are kept');
    assert.ok(titles.includes('Remove consent to Mail Sync Pro (Mail.Read offline_access)'));
    assert.ok(titles.some((t) => t.startsWith('Add to the containment group Revoke containment')));
    assert.ok(titles.includes('Retire ALICE-LT-4821 in Intune (company data removed)'));
    assert.ok(titles.includes("Retire Alice's iPhone in Intune (company data removed)"));
    assert.ok(request.planNotes.some((n) => /last 7 days are removed/.test(n)));
    assert.equal(request.profile, 'compromised');
  });

  it('keeps the termination profile exactly the runbook', async () => {
    const h = await serviceHarness();
    const request = await h.ask('alice.johnson@contoso.com');
    assert.equal(request.profile, 'termination');
    assert.deepEqual(
      [...new Set(request.steps.map((s) => s.kind))],
      [
        'ad.disableAccount',
        'ad.resetPasswordTwice',
        'entra.disableAccount',
        'entra.revokeSessions',
        'entra.disableDevice',
      ],
    );
    assert.equal(h.sandbox.behaviour.callsTo('listAuthMethods').length, 0);
  });

  it('a dry run shows the same plan and writes nothing but its audit record', async () => {
    const h = await serviceHarness();
    const preview = await h.service.previewRevocation({
      target: 'alice.johnson@contoso.com',
      requester: h.person('sam.rivera@contoso.com'),
      profile: 'compromised',
      options: { retireDevices: true },
    });
    assert.equal(await h.store.get(preview.id), undefined);
    assert.deepEqual(await h.store.listByStatus(['pending', 'running']), []);
    // Who looked at whom is recorded; nothing else is.
    assert.deepEqual(
      h.audit.records.map((r) => r.type),
      ['plan.previewed'],
    );
    assert.equal(h.notifier.cards.length, 0);
    const writes = h.sandbox.behaviour.calls.filter((c) =>
      /^(disable|revoke|delete|add|remove|retire|wipe|enable|confirm|reset)/.test(c.operation),
    );
    assert.deepEqual(writes, []);
    const real = await compromised(h, 'alice.johnson@contoso.com', true);
    assert.deepEqual(
      preview.steps.map((s) => s.title),
      real.steps.map((s) => s.title),
    );
  });

  it('a dry run is refused for a protected account, as the request would be', async () => {
    const h = await serviceHarness();
    const refusal = await refusalOf(
      h.service.previewRevocation({
        target: 'breakglass01@contoso.onmicrosoft.com',
        requester: h.person('sam.rivera@contoso.com'),
      }),
    );
    assert.equal(refusal.code, 'protected_target');
  });

  it('runs the containment, verifies it, and records the prior state', async () => {
    const h = await serviceHarness();
    const done = await approveAndRun(h, await compromised(h, 'alice.johnson@contoso.com', true));
    assert.equal(
      done.status,
      'completed',
      JSON.stringify(done.steps.filter((s) => s.status !== 'succeeded')),
    );
    const c = h.sandbox.containment;
    assert.equal(await c.getRiskState(ALICE), 'confirmedCompromised');
    const methods = (await c.listAuthMethods(ALICE)).map((m) => m.id);
    assert.deepEqual(methods, [OLD_AUTHENTICATOR]);
    assert.deepEqual(await c.listOAuthGrants(ALICE), []);
    assert.equal(await c.isGroupMember(CONTAINMENT_GROUP, ALICE), true);
    assert.equal((await c.getManagedDevice(ALICE_LAPTOP))?.managementState, 'retirePending');
    const facts = Object.fromEntries(done.steps.map((s) => [s.id, s.facts]));
    assert.deepEqual(facts['entra-disable'], { wasEnabled: true });
    assert.deepEqual(facts['ad-disable'], { wasDisabled: false });
    assert.deepEqual(facts['containment-group'], { wasMember: false });
    assert.deepEqual(facts['entra-confirm-compromised'], { riskStateBefore: 'none' });
    assert.equal(typeof facts['entra-revoke-sessions']?.['validFrom'], 'string');
  });

  it('runs a containment step again without harm when the first call timed out after acting', async () => {
    const h = await serviceHarness();
    h.sandbox.behaviour.failNext('deleteAuthMethod', 'transient', { afterEffect: true });
    h.sandbox.behaviour.failNext('addGroupMember', 'transient', { afterEffect: true });
    const done = await approveAndRun(h, await compromised(h));
    assert.equal(done.status, 'completed');
    const method = done.steps.find((s) => s.id === `auth-method-${RECENT_PHONE}`);
    assert.equal(method?.attempts, 2);
    assert.deepEqual(method?.facts, { wasPresent: true }, 'the first observation is kept');
    const group = done.steps.find((s) => s.id === 'containment-group');
    assert.deepEqual(group?.facts, { wasMember: false });
    // The adapter's add answers success when the member is already there, so the retry of the
    // call that had in fact succeeded does no harm.
    assert.match(group?.outcome ?? '', /added to/);
    assert.equal(await h.sandbox.containment.isGroupMember(CONTAINMENT_GROUP, ALICE), true);
  });

  it('restores after a false alarm under two approvals: every prior state back, the password not', async () => {
    const h = await serviceHarness();
    const danaBefore = await h.sandbox.directory.listRegisteredDevices(DANA);
    const revoked = await approveAndRun(h, await compromised(h, 'dana.obrien@contoso.com'));
    assert.equal(revoked.status, 'completed');
    assert.equal((await h.sandbox.directory.getUser(DANA))?.accountEnabled, false);

    const restore = await h.service.requestRestore({
      originalId: revoked.id,
      reason: 'False alarm: the sign-in was Dana travelling',
      requester: h.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });
    assert.equal(restore.kind, 'restore');
    assert.equal(restore.followsUp, revoked.id);
    assert.equal(restore.requiredApprovals, revoked.requiredApprovals);
    assert.ok(
      restore.planNotes.some((n) => /LOANER-LT-OLD-07/.test(n)),
      restore.planNotes.join('\n'),
    );
    assert.ok(restore.planNotes.some((n) => /password is not restored/.test(n)));
    // The requester cannot approve their own restore either.
    const self = await h.service.handleCardAction(
      'approve',
      restore.id,
      h.person('sam.rivera@contoso.com'),
    );
    assert.equal(self.accepted, false);
    const restored = await approveAndRun(h, restore);
    assert.equal(restored.status, 'completed', JSON.stringify(restored.steps));

    assert.equal((await h.sandbox.directory.getUser(DANA))?.accountEnabled, true);
    const after = await h.sandbox.directory.listRegisteredDevices(DANA);
    assert.deepEqual(
      after.map((d) => [d.displayName, d.accountEnabled]),
      danaBefore.map((d) => [d.displayName, d.accountEnabled]),
      'every device is back as it was, the one disabled before stays disabled',
    );
    const account = await h.sandbox.onPrem.findAccount({ samAccountName: 'dobrien' });
    assert.equal(account?.userAccountControl, 512);
    assert.equal(await h.sandbox.containment.isGroupMember(CONTAINMENT_GROUP, DANA), false);
    assert.equal(h.sandbox.onPrem.passwordResetCount(account?.dn ?? ''), 2, 'not reset back');
  });

  it('restores the AD account keeping its other userAccountControl bits', async () => {
    const h = await serviceHarness();
    const request = await h.ask('carol.nguyen@contoso.com');
    await h.service.handleCardAction('approve', request.id, h.person('jordan.lee@contoso.com'));
    const revoked = await approveAndRun(h, request);
    assert.equal(
      (await h.sandbox.onPrem.findAccount({ samAccountName: 'cnguyen' }))?.userAccountControl,
      66050,
    );
    const restore = await h.service.requestRestore({
      originalId: revoked.id,
      reason: 'Wrong person',
      requester: h.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });
    // Carol holds a privileged role: the restore needs the same three approvals.
    assert.equal(restore.requiredApprovals, 3);
    await h.service.handleCardAction('approve', restore.id, h.person('priya.patel@contoso.com'));
    await h.service.handleCardAction('approve', restore.id, h.person('marcus.chen@contoso.com'));
    await h.service.handleCardAction('approve', restore.id, h.person('jordan.lee@contoso.com'));
    await h.engine.run(restore.id);
    const account = await h.sandbox.onPrem.findAccount({ samAccountName: 'cnguyen' });
    assert.equal(account?.userAccountControl, 66048);
  });

  it('refuses to restore what is not a finished revocation, or twice at once', async () => {
    const h = await serviceHarness();
    const pending = await h.ask('bob.smith@contoso.com');
    const ask = (id: string) =>
      h.service.requestRestore({
        originalId: id,
        reason: 'False alarm',
        requester: h.person('sam.rivera@contoso.com'),
        conversationReference: THREAD_REFERENCE,
      });
    assert.equal((await refusalOf(ask(pending.id))).code, 'not_restorable');
    const done = await approveAndRun(h, pending);
    await ask(done.id);
    assert.equal((await refusalOf(ask(done.id))).code, 'not_restorable');
    assert.equal((await refusalOf(ask('R-00000000'))).code, 'unknown_request');
  });

  it('keeps an account that was already disabled disabled', async () => {
    const h = await serviceHarness();
    await h.sandbox.directory.disableUser(ALICE);
    await h.sandbox.onPrem.disableAccount(ALICE_DN);
    const revoked = await approveAndRun(h, await h.ask('alice.johnson@contoso.com'));
    const restore = await h.service.requestRestore({
      originalId: revoked.id,
      reason: 'False alarm',
      requester: h.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });
    assert.ok(!restore.steps.some((s) => s.kind === 'restore.enableEntraAccount'));
    assert.ok(!restore.steps.some((s) => s.kind === 'restore.enableAdAccount'));
    assert.ok(restore.planNotes.some((n) => /Entra ID account was already disabled/.test(n)));
    await approveAndRun(h, restore);
    assert.equal((await h.sandbox.directory.getUser(ALICE))?.accountEnabled, false);
  });
});
