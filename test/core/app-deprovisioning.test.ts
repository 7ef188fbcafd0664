// App deprovisioning through the service harness: provisioning on demand (sandbox), a SCIM app
// (the HTTPS SCIM stand-in through the real adapter) and the manual checklist.
import { strict as assert } from 'node:assert';
import { residualAccess } from '../../src/core/revocation/residual-access';
import { ScimAppsDirectory } from '../../src/directory/scim';
import { renderRequestCard } from '../../src/teams/cards/render-request-card';
import { cardText } from '../support/card-text';
import { ScimStandin } from '../support/scim-standin';
import { approveAndRun, serviceHarness, THREAD_REFERENCE } from '../support/service-harness';

const APP = '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6';
const ALICE = 'a17201cf-0dfb-4500-802b-04577183531d';

describe('app deprovisioning (service harness)', () => {
  let scimStandin: ScimStandin;
  before(async () => {
    scimStandin = await new ScimStandin().start();
  });
  after(async () => {
    await scimStandin.stop();
  });

  async function harness() {
    const scim = new ScimAppsDirectory([
      {
        name: 'Acme HR',
        baseUrl: scimStandin.baseUrl,
        tokenEnv: 'SCIM_TOKEN_ACME',
        token: scimStandin.token,
      },
    ]);
    return serviceHarness(
      {
        provisioningAppIds: [APP],
        manualTasks: ['Remove from payroll system', 'Revoke VPN certificate'],
      },
      { scim },
    );
  }

  it('plans the apps in the termination profile, unassigns and provisions before the disable, and verifies', async () => {
    scimStandin.users.clear();
    const account = scimStandin.addUser('alice.johnson@contoso.com');
    const h = await harness();
    const request = await h.ask('alice.johnson@contoso.com');
    const titles = request.steps.map((s) => s.title);
    assert.ok(titles.some((t) => t.startsWith('Unassign from Demo app 7d1e2f3a and provision')));
    assert.ok(titles.includes('Deactivate the user in Acme HR (SCIM)'));
    assert.deepEqual(
      request.manualTasks?.map((t) => t.title),
      ['Remove from payroll system', 'Revoke VPN certificate'],
    );
    const done = await approveAndRun(h, request);
    assert.equal(done.status, 'completed', JSON.stringify(done.steps.map((s) => s.error)));
    assert.equal(h.sandbox.provisioning.pushed.get(APP)?.get(ALICE), false);
    assert.equal(account.active, false);
    const scimStep = done.steps.find((s) => s.kind === 'app.scimDeactivate');
    assert.match(scimStep?.outcome ?? '', /deactivated/);
    assert.deepEqual(scimStep?.facts, { scimAccount: true, wasActive: true });
    const cookies = residualAccess(done).find((l) => l.what.startsWith('Apps that keep'));
    assert.match(
      cookies?.revokeDid ?? '',
      /deprovisioned from Demo app 7d1e2f3a \(.+ UTC\), Acme HR/,
    );
  });

  it('restores the accounts but says on the card which apps stay deprovisioned', async () => {
    scimStandin.users.clear();
    const account = scimStandin.addUser('alice.johnson@contoso.com');
    const h = await harness();
    const revoked = await approveAndRun(h, await h.ask('alice.johnson@contoso.com'));
    const restore = await h.service.requestRestore({
      originalId: revoked.id,
      reason: 'False alarm',
      requester: h.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });
    assert.ok(!restore.steps.some((s) => s.kind.startsWith('app.')), 'no app is re-activated');
    assert.equal(restore.manualTasks, undefined, 'the checklist belongs to the revocation');
    const notes = restore.planNotes ?? [];
    assert.ok(
      notes.some((n) => /^Not re-activated by this restore: Demo app 7d1e2f3a\./.test(n)),
      notes.join('\n'),
    );
    assert.ok(
      notes.includes('Stay deactivated: Acme HR (SCIM). Re-activate the user in each app by hand.'),
    );
    const card = cardText(renderRequestCard(restore, { now: h.clock.now() }));
    assert.match(card, /Not re-activated by this restore: Demo app 7d1e2f3a/);
    assert.match(card, /Stay deactivated: Acme HR \(SCIM\)/);
    await h.service.handleCardAction('approve', restore.id, h.person('priya.patel@contoso.com'));
    await h.service.handleCardAction('approve', restore.id, h.person('marcus.chen@contoso.com'));
    await h.engine.run(restore.id);
    assert.equal(account.active, false, 'the SCIM account is left as the revocation left it');
  });

  it('shows a SCIM user not found by userName as "no account found", never as deprovisioned', async () => {
    scimStandin.users.clear();
    const h = await harness();
    const done = await approveAndRun(h, await h.ask('alice.johnson@contoso.com'));
    const scimStep = done.steps.find((s) => s.kind === 'app.scimDeactivate');
    assert.equal(scimStep?.status, 'succeeded');
    assert.equal(scimStep?.verification?.state, 'no_account');
    assert.match(
      scimStep?.outcome ?? '',
      /no account found for userName alice\.johnson@contoso\.com/,
    );
    assert.doesNotMatch(scimStep?.outcome ?? '', /nothing to do/);
    // The card: a line of its own, a warning badge, and a summary that names it.
    const card = cardText(renderRequestCard(done, { now: h.clock.now() }));
    assert.match(
      card,
      /– no account found \| {2}Deactivate the user in Acme HR \(SCIM\) \| {2}— no account found for userName alice\.johnson@contoso\.com in Acme HR/,
    );
    assert.match(card, /Completed — not all verified/);
    assert.match(
      card,
      /No account found \(nothing deprovisioned there\): Deactivate the user in Acme HR \(SCIM\)/,
    );
    assert.doesNotMatch(card, /All \d+ steps succeeded/);
    // What may still work: named apart, and not among the apps deprovisioned.
    const cookies = residualAccess(done).find((l) => l.what.startsWith('Apps that keep'));
    assert.match(cookies?.revokeDid ?? '', /found no account to deprovision in Acme HR/);
    assert.doesNotMatch(cookies?.revokeDid ?? '', /deprovisioned from [^;]*Acme HR/);
    assert.match(
      cookies?.adminCan ?? '',
      /check by hand that the user has no active account in Acme HR/,
    );
    // The audit trail says so too.
    const record = h.audit.records.find(
      (e) => e.type === 'step.succeeded' && e.details['stepId'] === scimStep?.id,
    );
    assert.equal(record?.details['verification'], 'no_account');
    const finished = h.audit.records.find((e) => e.type === 'run.finished');
    assert.deepEqual(finished?.details['noAccountSteps'], [scimStep?.id]);
  });

  it('lets approvers tick a manual task once, recording who and when', async () => {
    scimStandin.users.clear();
    const h = await harness();
    const request = await h.ask('alice.johnson@contoso.com');
    const priya = h.person('priya.patel@contoso.com');
    const early = await h.service.completeTask(request.id, 'task-1', priya);
    assert.equal(early.accepted, false, 'not before approval');
    await approveAndRun(h, request);
    const outsider = await h.service.completeTask(
      request.id,
      'task-1',
      h.person('sam.rivera@contoso.com'),
    );
    assert.equal(outsider.accepted, false);
    const first = await h.service.completeTask(request.id, 'task-1', priya);
    assert.equal(first.accepted, true);
    assert.equal(first.request.manualTasks?.[0]?.doneBy?.id, priya.id);
    const second = await h.service.completeTask(
      request.id,
      'task-1',
      h.person('marcus.chen@contoso.com'),
    );
    assert.equal(second.accepted, false);
    assert.match(second.message, /already done .*Priya/);
    const events = h.audit.records.filter((e) => e.type === 'task.done');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.actorId, priya.id);
    const line = residualAccess(second.request).find((l) => l.what.includes('manual checklist'));
    assert.match(line?.until ?? '', /open: Revoke VPN certificate/);
    assert.match(line?.revokeDid ?? '', /Remove from payroll system \(Priya/);
  });
});
