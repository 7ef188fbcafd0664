// The drift guard through the service harness: the run schedules the check, the fake clock moves
// past it, the sweep reads both accounts again and tells the thread when either was re-enabled.
import { strict as assert } from 'node:assert';
import type { RevocationRequest } from '../../src/core/model';
import { DriftGuard } from '../../src/core/drift-guard';
import { buildRequestCardView } from '../../src/teams/cards/request-view';
import { captureLogger } from '../support/capture-logger';
import { serviceHarness, THREAD_REFERENCE, type ServiceHarness } from '../support/service-harness';

const ALICE = 'a17201cf-0dfb-4500-802b-04577183531d';
const ALICE_DN = 'CN=Alice Johnson,OU=Finance,OU=Users,OU=Contoso,DC=corp,DC=contoso,DC=com';

async function revokeAlice(h: ServiceHarness): Promise<RevocationRequest> {
  const request = await h.ask('alice.johnson@contoso.com');
  await h.service.handleCardAction('approve', request.id, h.person('priya.patel@contoso.com'));
  await h.service.handleCardAction('approve', request.id, h.person('marcus.chen@contoso.com'));
  await h.engine.run(request.id);
  const done = await h.store.get(request.id);
  assert.ok(done);
  assert.equal(done.status, 'completed');
  return done;
}

function peopleText(request: RevocationRequest, now: Date): string {
  return buildRequestCardView(request, { now })
    .people.map((l) => l.text)
    .join('\n');
}

describe('the drift guard (service harness, fake clock)', () => {
  it('is scheduled by the run, waits until due, and records "still disabled" without an alert', async () => {
    const h = await serviceHarness({}, { driftCheckMinutes: 40 });
    const done = await revokeAlice(h);
    const finishedAt = Date.parse(done.finishedAt ?? '');
    assert.equal(Date.parse(done.driftCheck?.dueAt ?? ''), finishedAt + 40 * 60_000);
    assert.match(peopleText(done, h.clock.now()), /Drift check due at 10:40 UTC/);

    h.clock.advanceMinutes(39);
    assert.equal(await h.driftGuard.checkDue(), 0, 'not due yet');
    h.clock.advanceMinutes(1);
    const milestonesBefore = h.notifier.milestones.length;
    assert.equal(await h.driftGuard.checkDue(), 1);

    const checked = await h.store.get(done.id);
    assert.equal(checked?.driftCheck?.checkedAt, h.clock.now().toISOString());
    assert.deepEqual(checked?.driftCheck?.reEnabled, []);
    assert.equal(h.notifier.milestones.length, milestonesBefore, 'no alert when nothing drifted');
    assert.ok(checked);
    assert.match(peopleText(checked, h.clock.now()), /Drift check at 10:40 UTC: still disabled ✓/);
    assert.equal(h.notifier.lastCard()?.driftCheck?.checkedAt, checked.driftCheck?.checkedAt);
    const audit = h.audit.records.filter((r) => r.type === 'drift.checked');
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.details['stillDisabled'], true);
    // Done is done: later sweeps leave it alone.
    h.clock.advanceMinutes(60);
    assert.equal(await h.driftGuard.checkDue(), 0);
  });

  it('alerts in the thread and on the card when either account was enabled again', async () => {
    const h = await serviceHarness({}, { driftCheckMinutes: 40 });
    const done = await revokeAlice(h);
    // What an admin (or a sync from an AD account enabled again) does in the meantime.
    await h.sandbox.containment.enableUser(ALICE);
    await h.sandbox.onPrem.enableAccount(ALICE_DN);
    h.clock.advanceMinutes(41);
    assert.equal(await h.driftGuard.checkDue(), 1);

    const checked = await h.store.get(done.id);
    assert.ok(checked);
    assert.deepEqual(checked.driftCheck?.reEnabled, ['Entra ID account', 'AD account ajohnson']);
    const alert = h.notifier.milestones.at(-1);
    assert.equal(alert?.requestId, done.id);
    assert.match(alert?.text ?? '', /Drift check for R-.*Entra ID account and the AD account/);
    assert.match(alert?.text ?? '', /enabled again/);
    assert.match(
      peopleText(checked, h.clock.now()),
      /Drift check at 10:41 UTC: RE-ENABLED ✗ \(Entra ID account, AD account ajohnson\)/,
    );
    const audit = h.audit.records.find((r) => r.type === 'drift.checked');
    assert.deepEqual(audit?.details['reEnabled'], ['Entra ID account', 'AD account ajohnson']);
    assert.equal(audit?.details['stillDisabled'], false);
  });

  it('runs exactly once when several instances sweep the same store at once', async () => {
    const h = await serviceHarness({}, { driftCheckMinutes: 40 });
    const done = await revokeAlice(h);
    await h.sandbox.containment.enableUser(ALICE);
    h.clock.advanceMinutes(40);
    const other = () =>
      new DriftGuard({
        store: h.store,
        directory: h.sandbox.directory,
        onPrem: h.sandbox.onPrem,
        notifier: h.notifier,
        clock: h.clock,
        logger: captureLogger(),
        audit: h.audit,
      });
    const results = await Promise.all([
      h.driftGuard.checkDue(),
      other().checkDue(),
      other().checkDue(),
    ]);
    assert.equal(
      results.reduce((a, b) => a + b, 0),
      1,
    );
    assert.equal(h.notifier.milestones.filter((m) => /Drift check/.test(m.text)).length, 1);
    assert.equal(h.audit.records.filter((r) => r.type === 'drift.checked').length, 1);
    assert.equal((await h.store.get(done.id))?.driftCheck?.reEnabled?.length, 1);
  });

  it('survives a restart: a new guard on the same store picks the saved check up', async () => {
    const h = await serviceHarness({}, { driftCheckMinutes: 40 });
    const done = await revokeAlice(h);
    h.clock.advanceMinutes(45);
    const restarted = new DriftGuard({
      store: h.store,
      directory: h.sandbox.directory,
      onPrem: h.sandbox.onPrem,
      notifier: h.notifier,
      clock: h.clock,
      logger: captureLogger(),
    });
    assert.equal(await restarted.checkDue(), 1);
    assert.ok((await h.store.get(done.id))?.driftCheck?.checkedAt);
  });

  it('does not cry wolf after a restore re-enabled the account on purpose', async () => {
    const h = await serviceHarness({}, { driftCheckMinutes: 40 });
    const done = await revokeAlice(h);
    const restore = await h.service.requestRestore({
      originalId: done.id,
      reason: 'False alarm',
      requester: h.person('sam.rivera@contoso.com'),
      conversationReference: THREAD_REFERENCE,
    });
    await h.service.handleCardAction('approve', restore.id, h.person('priya.patel@contoso.com'));
    await h.service.handleCardAction('approve', restore.id, h.person('marcus.chen@contoso.com'));
    await h.engine.run(restore.id);
    assert.equal((await h.store.get(restore.id))?.driftCheck, undefined, 'a restore has none');
    h.clock.advanceMinutes(40);
    const before = h.notifier.milestones.length;
    assert.equal(await h.driftGuard.checkDue(), 1);
    const checked = await h.store.get(done.id);
    assert.match(
      checked?.driftCheck?.skipped ?? '',
      new RegExp(`restored on purpose by ${restore.id}`),
    );
    assert.equal(h.notifier.milestones.length, before);
  });

  it('tries again at the next sweep when the directory does not answer, and says so when it is refused', async () => {
    const h = await serviceHarness({}, { driftCheckMinutes: 40 });
    const done = await revokeAlice(h);
    h.clock.advanceMinutes(40);
    h.sandbox.behaviour.failAlways('getUser', 'transient');
    assert.equal(await h.driftGuard.checkDue(), 0);
    assert.equal((await h.store.get(done.id))?.driftCheck?.checkedAt, undefined);
    h.sandbox.behaviour.clearFaults();
    h.sandbox.behaviour.failNext('getUser', 'permission');
    assert.equal(await h.driftGuard.checkDue(), 1);
    const checked = await h.store.get(done.id);
    assert.match(checked?.driftCheck?.skipped ?? '', /could not read/);
    assert.match(h.notifier.milestones.at(-1)?.text ?? '', /could not be read again/);
  });

  it('is not scheduled when turned off, nor for a run that disabled no account', async () => {
    const off = await serviceHarness();
    assert.equal((await revokeAlice(off)).driftCheck, undefined);
    const h = await serviceHarness({}, { driftCheckMinutes: 40 });
    h.sandbox.behaviour.failAlways('disableUser', 'permission');
    h.sandbox.behaviour.failAlways('disableAccount', 'permission');
    const request = await h.ask('alice.johnson@contoso.com');
    await h.service.handleCardAction('approve', request.id, h.person('priya.patel@contoso.com'));
    await h.service.handleCardAction('approve', request.id, h.person('marcus.chen@contoso.com'));
    await h.engine.run(request.id);
    const done = await h.store.get(request.id);
    assert.equal(done?.status, 'completed_with_failures');
    assert.equal(done?.driftCheck, undefined);
  });
});
