// Card pacing of a single run: a user with 25 devices makes close to a hundred step saves, and a card
// edit per save would spend Teams' ~1,800 operations per thread per hour quickly. With an
// interval, the card is updated at most once per interval, never twice at once, with the newest
// saved state, and the run's last state is sent at once.
import { strict as assert } from 'node:assert';
import type { RevocationRequest } from '../../../src/core/model';
import type { EntraDirectory } from '../../../src/core/ports';
import { FakeClock } from '../../support/fake-clock';
import { ManualTimers } from '../../support/manual-timers';
import { RecordingNotifier } from '../../support/recording-notifier';
import { BOB_UPN, harness, saved } from './engine-harness';

const DANA_UPN = 'dana.obrien@contoso.com';

/** Records card updates with their time, and how many were in flight at once. */
class SlowNotifier extends RecordingNotifier {
  readonly at: number[] = [];
  private inFlight = 0;
  peak = 0;
  constructor(private readonly clock: FakeClock) {
    super();
  }
  override async updateCard(request: RevocationRequest): Promise<void> {
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    this.at.push(this.clock.now().getTime());
    try {
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      await super.updateCard(request);
    } finally {
      this.inFlight--;
    }
  }
}

/** The same directory, but every call first moves the clock on (firing due timers). */
function ticking(timers: ManualTimers, ms: number): (d: EntraDirectory) => EntraDirectory {
  return (d) =>
    new Proxy(d, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const call = value as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          await timers.advance(ms);
          return call.apply(target, args);
        };
      },
    });
}

describe('RevocationEngine card pacing', () => {
  it('folds the step saves of a 25-device run into few card updates, one at a time, ending with the final status', async () => {
    const clock = new FakeClock();
    const timers = new ManualTimers(clock);
    const notifier = new SlowNotifier(clock);
    const h = await harness(DANA_UPN, {
      clock,
      notifier,
      timers,
      cardUpdateIntervalMs: 1_000,
      wrapDirectory: ticking(timers, 100),
    });
    assert.equal(h.request.target.deviceCount, 25);
    await h.engine.run(h.request.id);

    const done = await saved(h);
    assert.equal(done.status, 'completed');
    const saves = done.version - h.request.version;
    const updates = notifier.cards.length;
    assert.ok(saves >= 50, `${saves} saves`);
    assert.ok(updates >= 3, `${updates} updates`);
    assert.ok(updates * 4 <= saves, `${updates} card updates for ${saves} saves`);
    assert.equal(notifier.peak, 1, 'never two updates of one card at once');
    // Paced updates are an interval apart; only the final one may come sooner.
    const gaps = notifier.at.slice(1, -1).map((at, i) => at - (notifier.at[i] as number));
    assert.ok(
      gaps.every((gap) => gap >= 1_000),
      `gaps ${gaps.join(', ')}`,
    );
    const last = notifier.lastCard();
    assert.equal(last?.status, 'completed');
    assert.equal(last?.version, done.version, 'the last update shows the newest saved state');
    assert.equal(timers.scheduled, 0, 'nothing left scheduled after the run');
  });

  it('sends the final state at once, even inside the interval', async () => {
    const clock = new FakeClock();
    const timers = new ManualTimers(clock);
    const notifier = new SlowNotifier(clock);
    const h = await harness(BOB_UPN, { clock, notifier, timers, cardUpdateIntervalMs: 60_000 });
    const start = clock.now().getTime();
    await h.engine.run(h.request.id);

    const done = await saved(h);
    assert.equal(done.status, 'completed');
    assert.ok(clock.now().getTime() - start < 60_000, 'the run ended inside the interval');
    // The first save is shown at once; the rest waited for the interval, and the finish cut it short.
    assert.equal(notifier.cards.length, 2);
    assert.equal(notifier.cards[0]?.status, 'running');
    assert.equal(notifier.lastCard()?.status, 'completed');
    assert.equal(notifier.lastCard()?.version, done.version);
    assert.equal(timers.scheduled, 0, 'the scheduled update was cancelled, not left to fire');
    assert.equal(notifier.peak, 1);
  });

  it('never fails the run when card updates fail', async () => {
    const clock = new FakeClock();
    const timers = new ManualTimers(clock);
    const notifier = new RecordingNotifier();
    notifier.failUpdates = true;
    const h = await harness(DANA_UPN, {
      clock,
      notifier,
      timers,
      cardUpdateIntervalMs: 1_000,
      wrapDirectory: ticking(timers, 100),
    });
    await h.engine.run(h.request.id);
    assert.equal((await saved(h)).status, 'completed');
    assert.ok(h.lines.some((l) => l.message === 'card update failed'));
  });
});
