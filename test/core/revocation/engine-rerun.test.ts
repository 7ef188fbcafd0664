// run() called while the request's run is ending: that run has saved its end (completed with
// failures) and is still posting its thread message, so it reads the request no more. An approver
// retries the failed steps then; run() joins the ending run, which must start them before it
// resolves, not leave them pending until the next adoption sweep (which these tests never run).
// The interleaving is driven by hand: the run's final thread message waits for the test.
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import type { RevocationRequest } from '../../../src/core/model';
import { RequestUpdater, type RequestChange } from '../../../src/core/request-updater';
import type { RecordingNotifier } from '../../support/recording-notifier';
import { MemoryAuditLog } from '../../support/memory-audit-log';
import type { MemoryRequestStore } from '../../support/memory-store';
import { serviceHarness } from '../../support/service-harness';
import { BOB_UPN, harness, saved, statusOf } from './engine-harness';

/** A call held by the test: `reached` when it is made, answering once `release`d. */
interface Held {
  reached: Promise<void>;
  release(): void;
}

/** The run's thread message for a request reaching `status` waits until released. */
function holdFinishedMessage(
  notifier: RecordingNotifier,
  status: RevocationRequest['status'],
): Held {
  let reached = (): void => undefined;
  let release = (): void => undefined;
  const reachedP = new Promise<void>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const post = notifier.postMilestone.bind(notifier);
  let holding = true;
  notifier.postMilestone = async (request, text) => {
    if (holding && request.status === status) {
      holding = false;
      reached();
      await released;
    }
    return post(request, text);
  };
  return { reached: reachedP, release: () => release() };
}

/** Counts the engine's read-modify-writes of the request (a pass starts with one). */
class CountingUpdater extends RequestUpdater {
  updates = 0;

  override update(id: string, change: RequestChange): Promise<RevocationRequest | undefined> {
    this.updates++;
    return super.update(id, change);
  }
}

const REVOKE_SESSIONS = 'entra-revoke-sessions';

describe('engine: run() while the run is ending', () => {
  it('a retry of failed steps joining the ending run has them run before it resolves', async () => {
    const h = await serviceHarness();
    const priya = h.person('priya.patel@contoso.com');
    const request = await h.ask(BOB_UPN, 'Token theft');
    // Every run the service starts (it does not wait for them); the test awaits them all.
    const runs = sinon.spy(h.engine, 'run');
    h.sandbox.behaviour.failNext('revokeSignInSessions', 'permission');
    const ending = holdFinishedMessage(h.notifier, 'completed_with_failures');

    await h.service.handleCardAction('approve', request.id, priya);
    await h.service.handleCardAction('approve', request.id, h.person('marcus.chen@contoso.com'));
    assert.equal(runs.callCount, 1);

    // The run has saved its end and is posting its thread message: it is still in flight.
    await ending.reached;
    const finished = await h.store.get(request.id);
    assert.ok(finished);
    assert.equal(finished.status, 'completed_with_failures');
    assert.equal(statusOf(finished, REVOKE_SESSIONS), 'failed');
    assert.equal(h.engine.isRunning(request.id), true);

    // An approver retries now, as the card's button does: the request needs work again and the
    // service asks the engine to run it, joining the ending run.
    const retry = await h.service.handleCardAction('retry', request.id, priya);
    assert.equal(retry.accepted, true);
    assert.equal(runs.callCount, 2);
    const retried = await h.store.get(request.id);
    assert.ok(retried);
    assert.equal(retried.status, 'running');
    assert.equal(statusOf(retried, REVOKE_SESSIONS), 'pending');

    ending.release();
    await Promise.all(runs.returnValues);

    const done = await h.store.get(request.id);
    assert.ok(done);
    assert.equal(statusOf(done, REVOKE_SESSIONS), 'succeeded');
    assert.equal(done.status, 'completed');
    assert.equal(h.engine.isRunning(request.id), false);
    assert.equal(h.sandbox.behaviour.callsTo('revokeSignInSessions').length, 2);
    assert.equal(h.sandbox.behaviour.callsTo('disableUser').length, 1, 'succeeded steps kept');
    assert.equal(h.notifier.lastCard()?.status, 'completed');
    assert.ok(h.sandbox.directory.signInSessionsValidFrom(request.target.id));
  });

  it('a join that changed nothing runs one more pass that writes and posts nothing', async () => {
    let updater: CountingUpdater | undefined;
    const audit = new MemoryAuditLog();
    const h = await harness(BOB_UPN, {
      audit,
      updater: (store: MemoryRequestStore) => (updater = new CountingUpdater(store)),
    });
    assert.ok(updater);
    const ending = holdFinishedMessage(h.notifier, 'completed');

    const first = h.engine.run(h.request.id);
    await ending.reached;
    // Joined with the request already completed: nothing for the extra pass to do.
    const joined = h.engine.run(h.request.id);
    const before = {
      request: await saved(h),
      writes: h.store.writes,
      cards: h.notifier.cards.length,
      audit: audit.records.length,
      updates: updater.updates,
    };
    assert.equal(before.request.status, 'completed');

    ending.release();
    await Promise.all([first, joined]);

    const after = await saved(h);
    assert.equal(updater.updates, before.updates + 1, 'the extra pass ran (its one read)');
    assert.equal(after.version, before.request.version);
    assert.deepEqual(after, before.request);
    assert.equal(h.store.writes, before.writes);
    assert.equal(h.notifier.cards.length, before.cards, 'no card update');
    assert.equal(audit.records.length, before.audit, 'no audit event');
    assert.deepEqual(
      h.notifier.milestones.map((m) => m.text),
      [h.notifier.milestones[0]?.text],
      'only the held thread message',
    );
    assert.equal(h.engine.isRunning(h.request.id), false);
  });
});
