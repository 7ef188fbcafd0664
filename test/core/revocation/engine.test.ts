import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import type { EntraDirectory } from '../../../src/core/ports';
import { ALICE_UPN, BOB_UPN, harness, saved, statusOf } from './engine-harness';

describe('revocation engine', () => {
  it('runs every step of a synced user and verifies the effect in both directories', async () => {
    const h = await harness(ALICE_UPN);
    await h.engine.run(h.request.id);
    const done = await saved(h);
    assert.equal(done.status, 'completed');
    assert.ok(done.steps.every((s) => s.status === 'succeeded'));
    assert.equal((await h.sandbox.directory.getUser(done.target.id))?.accountEnabled, false);
    for (const device of await h.sandbox.directory.listRegisteredDevices(done.target.id)) {
      assert.equal(device.accountEnabled, false, device.displayName);
    }
    const account = await h.sandbox.onPrem.findAccount({
      samAccountName: done.target.onPremisesSamAccountName,
    });
    assert.equal(account?.disabled, true);
    assert.equal(h.sandbox.onPrem.passwordResetCount(account?.dn ?? ''), 2);
    assert.ok(h.sandbox.directory.signInSessionsValidFrom(done.target.id));
  });

  it('keeps the plan order: AD first, Entra disable before session revocation', async () => {
    const h = await harness(ALICE_UPN);
    await h.engine.run(h.request.id);
    const order = h.sandbox.behaviour.calls.map((c) => c.operation);
    const first = (op: string) => order.indexOf(op as never);
    const last = (op: string) => order.lastIndexOf(op as never);
    assert.ok(last('disableAccount') < first('disableUser'), 'AD disable before the Entra disable');
    assert.ok(last('disableAccount') < first('disableDevice'), 'AD disable before devices');
    assert.ok(
      last('disableUser') < first('revokeSignInSessions'),
      'Entra disable before revoking sessions',
    );
  });

  it('saves each step as running before its call and as done after it, and updates the card each time', async () => {
    const h = await harness(BOB_UPN);
    await h.engine.run(h.request.id);
    const states = h.notifier.cards.map((card) => statusOf(card, 'entra-disable'));
    const firstRunning = states.indexOf('running');
    const firstSucceeded = states.indexOf('succeeded');
    assert.ok(
      firstRunning >= 0 && firstRunning < firstSucceeded,
      `card states: ${states.join(',')}`,
    );
    assert.equal(h.notifier.lastCard()?.status, 'completed');
    assert.match(h.notifier.milestones.at(-1)?.text ?? '', /Done: all 3 steps succeeded/);
  });

  it('runs independent steps concurrently, within the concurrency bound', async () => {
    let active = 0;
    let peak = 0;
    const gate = (d: EntraDirectory): EntraDirectory => {
      // Same directory, with disableDevice slowed down so that overlapping calls can be counted.
      const gated = Object.create(d) as EntraDirectory;
      gated.disableDevice = async (id) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        return d.disableDevice(id);
      };
      return gated;
    };
    const h = await harness('dana.obrien@contoso.com', { concurrency: 3, wrapDirectory: gate });
    await h.engine.run(h.request.id);
    assert.equal((await saved(h)).status, 'completed');
    assert.equal(peak, 3);
  });

  it('retries a throttled call after the Retry-After and shows the retry on the card', async () => {
    const h = await harness(BOB_UPN);
    h.sandbox.behaviour.failNext(
      'disableUser',
      new DirectoryError('throttled', 'Too many requests', { retryAfterMs: 4_000 }),
      {
        times: 2,
      },
    );
    await h.engine.run(h.request.id);
    const done = await saved(h);
    assert.equal(done.status, 'completed');
    assert.deepEqual(h.clock.sleeps, [4_000, 4_000]);
    const step = done.steps.find((s) => s.id === 'entra-disable');
    assert.equal(step?.attempts, 3);
    assert.ok(h.notifier.cards.some((c) => statusOf(c, 'entra-disable') === 'retrying'));
  });

  it('is idempotent when a call timed out after the directory had done the work', async () => {
    const h = await harness(BOB_UPN);
    h.sandbox.behaviour.failNext('disableUser', 'transient', { afterEffect: true });
    await h.engine.run(h.request.id);
    assert.equal((await saved(h)).status, 'completed');
    assert.equal(h.sandbox.behaviour.callsTo('disableUser').length, 2);
  });

  it('fails a step at once on a permission error with the advice, and finishes the others', async () => {
    const h = await harness(ALICE_UPN);
    h.sandbox.behaviour.failAlways(
      'disableAccount',
      new DirectoryError('permission', 'Insufficient access rights to write userAccountControl.', {
        advice: 'Delegate "write userAccountControl" on the users\' OU to the bind account.',
      }),
    );
    await h.engine.run(h.request.id);
    const done = await saved(h);
    assert.equal(done.status, 'completed_with_failures');
    const failed = done.steps.find((s) => s.id === 'ad-disable');
    assert.equal(failed?.status, 'failed');
    assert.equal(failed?.attempts, 1, 'a permission error is not retried');
    assert.match(failed?.error?.message ?? '', /Delegate "write userAccountControl"/);
    for (const id of ['ad-reset-password', 'entra-disable', 'entra-revoke-sessions']) {
      assert.equal(statusOf(done, id), 'succeeded', id);
    }
    assert.ok(
      h.notifier.milestones.some((m) =>
        /Step failed: Disable the on-premises AD account/.test(m.text),
      ),
    );
    assert.match(h.notifier.milestones.at(-1)?.text ?? '', /Finished with failures/);
  });

  it('gives up on a step whose outage outlasts its deadline', async () => {
    const h = await harness(BOB_UPN);
    // 20 s apart, the deadline (60 s) is what stops it after 4 attempts, well before maxAttempts (8).
    h.sandbox.behaviour.failAlways(
      'revokeSignInSessions',
      new DirectoryError('throttled', 'Too many requests', { retryAfterMs: 20_000 }),
    );
    await h.engine.run(h.request.id);
    const done = await saved(h);
    const step = done.steps.find((s) => s.id === 'entra-revoke-sessions');
    assert.equal(step?.status, 'failed');
    assert.equal(h.sandbox.behaviour.callsTo('revokeSignInSessions').length, 4);
    assert.equal(step?.attempts, 4);
    assert.deepEqual(h.clock.sleeps, [20_000, 20_000, 20_000]);
  });

  it('resumes an interrupted run: finished steps are kept, the one in flight runs again', async () => {
    const h = await harness(BOB_UPN);
    const interrupted = structuredClone(h.request);
    interrupted.version = 2;
    interrupted.steps = interrupted.steps.map((s) =>
      s.id === 'entra-disable'
        ? { ...s, status: 'succeeded', attempts: 1, outcome: 'accountEnabled is false' }
        : s.id === 'entra-revoke-sessions'
          ? { ...s, status: 'running', attempts: 1 }
          : s,
    );
    assert.ok(await h.store.compareAndSwap(interrupted, 1));
    await h.engine.run(h.request.id);
    const done = await saved(h);
    assert.equal(done.status, 'completed');
    assert.equal(
      h.sandbox.behaviour.callsTo('disableUser').length,
      0,
      'a finished step is not repeated',
    );
    assert.equal(h.sandbox.behaviour.callsTo('revokeSignInSessions').length, 1);
    assert.equal(done.steps.find((s) => s.id === 'entra-revoke-sessions')?.attempts, 2);
  });

  it('joins a run already in progress instead of starting a second one', async () => {
    const h = await harness(BOB_UPN);
    await Promise.all([h.engine.run(h.request.id), h.engine.run(h.request.id)]);
    assert.equal(h.sandbox.behaviour.callsTo('disableUser').length, 1);
  });

  it('does nothing for a request that is not running', async () => {
    const h = await harness(BOB_UPN);
    const pending = { ...structuredClone(h.request), status: 'pending' as const, version: 2 };
    assert.ok(await h.store.compareAndSwap(pending, 1));
    await h.engine.run(h.request.id);
    assert.equal(h.sandbox.behaviour.calls.length, 0);
  });

  it('keeps revoking when the card cannot be updated', async () => {
    const h = await harness(BOB_UPN);
    h.notifier.failUpdates = true;
    await h.engine.run(h.request.id);
    assert.equal((await saved(h)).status, 'completed');
  });

  it('stops between steps on shutdown and leaves the rest for the next start', async () => {
    const h = await harness(ALICE_UPN, { concurrency: 1 });
    h.sandbox.behaviour.latencyMs = 0;
    const run = h.engine.run(h.request.id);
    await h.engine.shutdown();
    await run;
    const paused = await saved(h);
    assert.equal(paused.status, 'running');
    assert.ok(paused.steps.some((s) => s.status === 'pending'));
    assert.ok(
      paused.steps.every((s) => s.status !== 'running'),
      'no step is left half-done',
    );
  });

  it('without AD configured, runs the cloud steps for a synced user', async () => {
    const h = await harness(ALICE_UPN, { onPrem: false });
    await h.engine.run(h.request.id);
    const done = await saved(h);
    assert.equal(done.status, 'completed');
    assert.ok(done.steps.every((s) => !s.kind.startsWith('ad.')));
    assert.equal(h.sandbox.behaviour.callsTo('disableAccount').length, 0);
  });
});
