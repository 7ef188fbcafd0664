// The wipe follow-up through the service harness: only after a finished revocation, its own
// two-person approval, a card that names every device, and idempotent wipe steps.
import { strict as assert } from 'node:assert';
import { parseCommand } from '../../src/core/commands/parse-command';
import { RequestRefused } from '../../src/core/errors';
import { buildRequestCardView } from '../../src/teams/cards/request-view';
import {
  approveAndRun,
  refusalOf,
  serviceHarness,
  THREAD_REFERENCE,
  type ServiceHarness,
} from '../support/service-harness';

const ALICE_LAPTOP = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d05';

function askWipe(h: ServiceHarness, originalId: string) {
  return h.service.requestWipe({
    originalId,
    requester: h.person('sam.rivera@contoso.com'),
    conversationReference: THREAD_REFERENCE,
  });
}

describe('wiping devices as a follow-up (service harness)', () => {
  it('needs exactly `wipe <id> confirm`; anything else explains the data cannot be recovered', () => {
    assert.deepEqual(parseCommand('wipe r-7k3q9mxa confirm'), {
      kind: 'wipe',
      requestId: 'R-7K3Q9MXA',
    });
    for (const text of [
      'wipe R-7K3Q9MXA',
      'wipe R-7K3Q9MXA yes',
      'wipe R-7K3Q9MXA Confirm',
      'wipe R-7K3Q9MXA confirmed',
      'wipe R-7K3Q9MXA confirm now',
    ]) {
      let refusal: unknown;
      try {
        parseCommand(text);
      } catch (error) {
        refusal = error;
      }
      assert.ok(refusal instanceof RequestRefused, text);
      assert.equal(refusal.code, 'wipe_unconfirmed', text);
      assert.match(refusal.message, /cannot be recovered/);
      assert.match(refusal.message, /`wipe R-7K3Q9MXA confirm`/);
    }
  });

  it('creates a follow-up under the same approval rule whose card warns and names every device', async () => {
    const h = await serviceHarness();
    const revoked = await approveAndRun(h, await h.ask('alice.johnson@contoso.com'));
    const wipe = await askWipe(h, revoked.id);
    assert.equal(wipe.kind, 'wipe');
    assert.equal(wipe.followsUp, revoked.id);
    assert.equal(wipe.status, 'pending');
    assert.equal(wipe.requiredApprovals, revoked.requiredApprovals);
    assert.deepEqual(
      wipe.steps.map((s) => [s.kind, s.subject?.name]),
      [
        ['intune.wipeDevice', 'ALICE-LT-4821'],
        ['intune.wipeDevice', "Alice's iPhone"],
      ],
    );
    const view = buildRequestCardView(wipe, { now: h.clock.now() });
    assert.equal(view.title, 'Wipe devices: Alice Johnson');
    const notes = view.planNotes.map((n) => n.text).join('\n');
    assert.match(notes, /erases all data on the devices.*cannot be recovered/);
    assert.match(notes, /ALICE-LT-4821.*Alice's iPhone/);
    assert.ok(view.plan.some((l) => /Wipe ALICE-LT-4821 in Intune \(factory reset/.test(l.title)));
    assert.deepEqual(
      view.actions.map((a) => a.verb),
      ['approve', 'reject'],
    );
    assert.equal(h.sandbox.behaviour.callsTo('wipeManagedDevice').length, 0, 'nothing wiped yet');
    // The requester cannot approve their own wipe, and one approval is not enough.
    const self = await h.service.handleCardAction(
      'approve',
      wipe.id,
      h.person('sam.rivera@contoso.com'),
    );
    assert.equal(self.accepted, false);
    await h.service.handleCardAction('approve', wipe.id, h.person('priya.patel@contoso.com'));
    assert.equal((await h.store.get(wipe.id))?.status, 'pending');
    assert.equal(h.sandbox.behaviour.callsTo('wipeManagedDevice').length, 0);
  });

  it('on approval wipes each device, reads it back, and takes an earlier wipe as done', async () => {
    const h = await serviceHarness();
    const revoked = await approveAndRun(h, await h.ask('alice.johnson@contoso.com'));
    // Wiped already by hand in the Intune portal.
    await h.sandbox.containment.wipeManagedDevice(ALICE_LAPTOP);
    const wipe = await approveAndRun(h, await askWipe(h, revoked.id));
    assert.equal(wipe.status, 'completed', JSON.stringify(wipe.steps));
    const laptop = wipe.steps.find((s) => s.subject?.id === ALICE_LAPTOP);
    assert.match(laptop?.outcome ?? '', /wipe was already issued/);
    assert.deepEqual(laptop?.facts, { managementStateBefore: 'wipePending' });
    const phone = wipe.steps.find((s) => s.subject?.id !== ALICE_LAPTOP);
    assert.match(phone?.outcome ?? '', /wipe wipePending/);
    assert.equal(
      h.sandbox.behaviour.callsTo('wipeManagedDevice').length,
      2,
      'one by hand, one by Revoke',
    );
    for (const device of await h.sandbox.containment.listManagedDevices(revoked.target.id))
      assert.equal(device.managementState, 'wipePending');
    assert.match(
      h.notifier.milestones.at(-1)?.text ?? '',
      /Intune accepted the wipe of all 2 devices/,
    );
    assert.ok(
      h.audit.records.some(
        (r) =>
          r.type === 'request.created' &&
          r.details['kind'] === 'wipe' &&
          r.details['followsUp'] === revoked.id,
      ),
    );
  });

  it('refuses a wipe of what is not a finished revocation, twice at once, or with no devices', async () => {
    const h = await serviceHarness();
    const pending = await h.ask('alice.johnson@contoso.com');
    assert.equal((await refusalOf(askWipe(h, pending.id))).code, 'not_wipeable');
    assert.equal((await refusalOf(askWipe(h, 'R-00000000'))).code, 'unknown_request');
    const revoked = await approveAndRun(h, pending);
    const wipe = await askWipe(h, revoked.id);
    assert.match((await refusalOf(askWipe(h, revoked.id))).message, new RegExp(`${wipe.id}`));
    assert.equal((await refusalOf(askWipe(h, wipe.id))).code, 'not_wipeable', 'not of a wipe');
    const bob = await approveAndRun(h, await h.ask('bob.smith@contoso.com'));
    const none = await refusalOf(askWipe(h, bob.id));
    assert.match(none.message, /Intune manages no device/);
  });
});
