// The run watchdog: a step whose call never settles does not leave the run "Running" for ever.
// After RUN_STALL_SECONDS without a step changing state the run fails that step with a reason,
// ends, says so on the card and in the thread, and approvers can retry. Timers are the test's.
import { strict as assert } from 'node:assert';
import { decideRetry } from '../../../src/core/approval/policy';
import type { EntraDirectory } from '../../../src/core/ports';
import { RUN_STALLED } from '../../../src/core/revocation/run-watchdog';
import { renderRequestCard } from '../../../src/teams/cards/render-request-card';
import { cardText } from '../../support/card-text';
import { FakeClock } from '../../support/fake-clock';
import { ManualTimers } from '../../support/manual-timers';
import { MemoryAuditLog } from '../../support/memory-audit-log';
import { ALICE_UPN, BOB_UPN, harness, saved, statusOf } from './engine-harness';

const STALL_MS = 300_000;

/** disableDevice hangs (a hung driver the call timeout missed) until that device is released. */
function hangingDevices() {
  const waiting = new Map<string, () => void>();
  let calls = 0;
  return {
    wrap: (d: EntraDirectory): EntraDirectory => {
      const wrapped = Object.create(d) as EntraDirectory;
      wrapped.disableDevice = async (id) => {
        calls++;
        await new Promise<void>((resolve) => waiting.set(id, resolve));
        return d.disableDevice(id);
      };
      return wrapped;
    },
    /** Lets the hung call about this device answer. */
    release: (deviceId: string) => {
      waiting.get(deviceId)?.();
      waiting.delete(deviceId);
    },
    /** disableDevice calls made so far. */
    calls: () => calls,
  };
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail('condition never became true');
}

async function stalledRun(upn = BOB_UPN) {
  const clock = new FakeClock();
  const timers = new ManualTimers(clock);
  const audit = new MemoryAuditLog();
  const hang = hangingDevices();
  const h = await harness(upn, {
    clock,
    timers,
    audit,
    runStallMs: STALL_MS,
    wrapDirectory: hang.wrap,
  });
  const devices = h.request.steps.filter((s) => s.kind === 'entra.disableDevice');
  let finished = false;
  const run = h.engine.run(h.request.id).then(() => (finished = true));
  await until(() => hang.calls() === devices.length);
  // Every other step has finished; only the device steps are in flight.
  await until(async () => statusOf(await saved(h), 'entra-revoke-sessions') === 'succeeded');
  return { h, timers, audit, hang, run, devices, isFinished: () => finished };
}

describe('engine watchdog', () => {
  it('waits while the quiet period lasts, then fails the stalled step and ends the run', async () => {
    const { h, timers, audit, run, devices, isFinished } = await stalledRun();
    const id = devices[0]?.id ?? '';
    assert.equal(statusOf(await saved(h), id), 'running');

    await timers.advance(STALL_MS - 1);
    assert.equal(isFinished(), false, 'not before the quiet period is up');
    assert.equal((await saved(h)).status, 'running');

    await timers.advance(1);
    await run;
    const done = await saved(h);
    assert.equal(done.status, 'completed_with_failures');
    const step = done.steps.find((s) => s.id === id);
    assert.equal(step?.status, 'failed');
    assert.equal(step?.error?.code, RUN_STALLED);
    assert.match(step?.error?.message ?? '', /^no progress for 300 s/);
    assert.equal(done.finishedAt, h.clock.now().toISOString());

    // The card, the thread and the audit trail say why the run ended.
    const card = cardText(renderRequestCard(done, { now: h.clock.now() }));
    assert.match(card, /✗ failed \| {2}Disable device .* \| {2}— no progress for 300 s/);
    assert.match(card, /The run stopped: no progress for 300 s/);
    assert.match(card, /Retry failed steps/);
    assert.match(h.notifier.milestones.at(-1)?.text ?? '', /^Stopped for .*no progress for 300 s/);
    const failed = audit.ofType('step.failed').find((r) => r.details['stepId'] === id);
    assert.equal(failed?.details['code'], RUN_STALLED);
    assert.deepEqual(audit.ofType('run.finished')[0]?.details['stalledSteps'], [id]);
  });

  it('counts every step state saved as progress: the quiet period starts again', async () => {
    const { h, timers, hang, run, devices, isFinished } = await stalledRun(ALICE_UPN);
    assert.ok(devices.length >= 2);
    const [first, second] = devices;
    assert.ok(first && second);
    await timers.advance(STALL_MS - 1_000);
    // One device answers at last: its step is saved as succeeded, which is progress.
    hang.release(second.subject?.id ?? '');
    await until(async () => statusOf(await saved(h), second.id) === 'succeeded');
    await timers.advance(2_000);
    assert.equal(isFinished(), false, 'the quiet period restarted at the progress');
    await timers.advance(STALL_MS);
    await run;
    const done = await saved(h);
    assert.equal(done.status, 'completed_with_failures');
    assert.equal(statusOf(done, first.id), 'failed');
    assert.equal(statusOf(done, second.id), 'succeeded', 'a step that answered is not failed');
  });

  it('lets approvers retry, and a late answer of the stalled call changes nothing', async () => {
    const { h, timers, hang, run, devices } = await stalledRun();
    const id = devices[0]?.id ?? '';
    await timers.advance(STALL_MS);
    await run;
    // The hung call answers after the run gave up on it: its result is dropped (fencing).
    hang.release(devices[0]?.subject?.id ?? '');
    await until(() => h.lines.some((l) => /step result dropped/.test(l.message)));
    const stalled = await saved(h);
    assert.equal(statusOf(stalled, id), 'failed');

    const decision = decideRetry(
      stalled,
      { person: { id: 'approver-1', name: 'Priya Patel' }, isApprover: true },
      h.clock.now(),
    );
    assert.ok(decision.ok);
    assert.ok(
      await h.store.compareAndSwap(
        { ...decision.request, version: stalled.version + 1 },
        stalled.version,
      ),
    );
    // The late call did disable the device: the retried step reads that back and needs no call.
    await h.engine.run(h.request.id);
    assert.equal(hang.calls(), 1);
    const retried = await saved(h);
    assert.equal(retried.status, 'completed');
    assert.equal(statusOf(retried, id), 'succeeded');
  });
});
