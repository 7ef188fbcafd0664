import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import { RateGate } from '../../../src/core/batch/rate-gate';
import type { SharedBudget, SharedBudgetTake } from '../../../src/core/batch/shared-budget';
import { costOf, gatedDirectory } from '../../../src/core/batch/gated-directory';
import { FakeClock } from '../../support/fake-clock';

const READ = { units: 1, writes: 0 };

/** A shared budget's take that grants every need, noting the time each write was granted. */
function grantAll(needs: readonly number[], clock: FakeClock, grants: number[]): SharedBudgetTake {
  const wanted = needs.reduce((sum, need) => sum + need, 0);
  for (let i = 0; i < wanted; i++) grants.push(clock.now().getTime());
  return { granted: wanted, waitMs: 0 };
}

describe('RateGate', () => {
  it('lets the whole budget through at once, then waits for the window to slide', async () => {
    const clock = new FakeClock();
    const gate = new RateGate(
      { units: { budget: 100, windowMs: 1_000 }, writes: { budget: 100, windowMs: 1_000 } },
      clock,
    );
    const start = clock.now().getTime();
    for (let i = 0; i < 100; i++) await gate.acquire(READ);
    assert.equal(clock.now().getTime(), start, 'a full budget does not wait');
    await gate.acquire(READ);
    assert.equal(
      clock.now().getTime() - start,
      1_000,
      'the 101st waits until the first leaves the window',
    );
    assert.ok(gate.stats.waited > 0);
  });

  it('never lets more than the budget into any window, however the calls are spread', async () => {
    const clock = new FakeClock();
    const gate = new RateGate(
      { units: { budget: 50, windowMs: 1_000 }, writes: { budget: 50, windowMs: 1_000 } },
      clock,
    );
    const times: number[] = [];
    for (let i = 0; i < 400; i++) {
      if (i % 7 === 0) clock.advance(37);
      await gate.acquire(READ);
      times.push(clock.now().getTime());
    }
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= (times[i] ?? 0) && t < (times[i] ?? 0) + 1_000);
      assert.ok(inWindow.length <= 50, `${inWindow.length} calls in the window from call ${i}`);
    }
  });

  it('frees the window while idle', async () => {
    const clock = new FakeClock();
    const gate = new RateGate(
      { units: { budget: 100, windowMs: 1_000 }, writes: { budget: 100, windowMs: 1_000 } },
      clock,
    );
    for (let i = 0; i < 100; i++) await gate.acquire(READ);
    clock.advance(1_000);
    const before = clock.sleeps.length;
    for (let i = 0; i < 100; i++) await gate.acquire(READ);
    assert.equal(clock.sleeps.length, before, 'the whole budget was back');
  });

  it('paces writes on their own budget', async () => {
    const clock = new FakeClock();
    const gate = new RateGate(
      { units: { budget: 10_000, windowMs: 1_000 }, writes: { budget: 2, windowMs: 10_000 } },
      clock,
    );
    await gate.acquire({ units: 1, writes: 1 });
    await gate.acquire({ units: 1, writes: 1 });
    const start = clock.now().getTime();
    await gate.acquire(READ);
    assert.equal(clock.now().getTime(), start, 'reads are not held back by the write budget');
    await gate.acquire({ units: 1, writes: 1 });
    assert.equal(
      clock.now().getTime() - start,
      10_000,
      'the third write waits for the write window',
    );
  });

  it('says what its write window holds, by slice, for the batch ETA', async () => {
    const clock = new FakeClock('2026-03-02T10:00:00.000Z');
    const gate = new RateGate(
      { units: { budget: 100, windowMs: 1_000 }, writes: { budget: 100, windowMs: 10_000 } },
      clock,
    );
    for (let i = 0; i < 5; i++) await gate.acquire({ units: 1, writes: 1 });
    await gate.acquire(READ);
    clock.advance(3_500);
    await gate.acquire({ units: 1, writes: 2 });
    clock.advance(7_000);
    // 10.5 s on, the first five have left the window; the two taken at 3.5 s are in it.
    assert.deepEqual(await gate.heldWrites(1_000), {
      windowMs: 10_000,
      spans: [{ from: -7_500, to: -6_500, count: 2 }],
    });
  });

  it('takes a write from the shared budget only when nothing here holds it back any more', async () => {
    // Graph counts a write on arrival, the shared budget on its grant: a write granted and then
    // held by this instance's units window or a pause would arrive a window late by Graph's count.
    const clock = new FakeClock();
    const grants: number[] = [];
    const shared: SharedBudget = { take: async (needs) => grantAll(needs, clock, grants) };
    const gate = new RateGate(
      { units: { budget: 10, windowMs: 1_000 }, writes: { budget: 3_000, windowMs: 150_000 } },
      clock,
      { sharedWrites: shared },
    );
    const start = clock.now().getTime();
    const released: number[] = [];
    // 30 writes, 10 units a second: they go out over three seconds.
    for (let i = 0; i < 30; i++) {
      await gate.acquire({ units: 1, writes: 1 });
      released.push(clock.now().getTime());
    }
    assert.deepEqual([...new Set(released.map((t) => t - start))], [0, 1_000, 2_000]);
    assert.deepEqual(grants, released, 'each write was granted when it went out');

    // A Retry-After pause holds the grant back as well.
    gate.pause(5_000);
    const paused = clock.now().getTime();
    await gate.acquire({ units: 1, writes: 1 });
    assert.equal(clock.now().getTime() - paused, 5_000);
    assert.equal(grants.at(-1), clock.now().getTime());
  });

  it('takes nothing from the shared budget while a Retry-After pauses this instance', async () => {
    const clock = new FakeClock();
    const grants: number[] = [];
    let takes = 0;
    const shared: SharedBudget = {
      take: async (needs) => {
        // The window is full at first; meanwhile another call of this instance gets a 429.
        if (takes++ === 0) {
          gate.pause(5_000);
          return { granted: 0, waitMs: 1_000 };
        }
        return grantAll(needs, clock, grants);
      },
    };
    const gate = new RateGate(
      { units: { budget: 100, windowMs: 1_000 }, writes: { budget: 3_000, windowMs: 150_000 } },
      clock,
      { sharedWrites: shared },
    );
    const start = clock.now().getTime();
    await gate.acquire({ units: 1, writes: 1 });
    assert.equal(clock.now().getTime() - start, 5_000, 'it went out when the pause ended');
    assert.deepEqual(grants, [start + 5_000], 'and was granted then, not during the pause');
  });

  it('pauses every caller on a Retry-After, not just the one that was throttled', async () => {
    const clock = new FakeClock();
    const gate = new RateGate(
      { units: { budget: 1_000, windowMs: 1_000 }, writes: { budget: 1_000, windowMs: 1_000 } },
      clock,
    );
    const throttled = new DirectoryError('throttled', 'slow down', { retryAfterMs: 7_000 });
    await assert.rejects(
      gate.run(READ, () => Promise.reject(throttled)),
      /slow down/,
    );
    assert.equal(gate.stats.pauses, 1);
    const start = clock.now().getTime();
    const others = await Promise.all(
      [1, 2, 3].map((n) => gate.run(READ, async () => ({ n, at: clock.now().getTime() }))),
    );
    for (const other of others) assert.ok(other.at - start >= 7_000, `caller ${other.n} waited`);
  });

  it('never shortens a pause and ignores a 429 without Retry-After', () => {
    const clock = new FakeClock();
    const gate = new RateGate(
      { units: { budget: 1_000, windowMs: 1_000 }, writes: { budget: 1_000, windowMs: 1_000 } },
      clock,
    );
    gate.pause(5_000);
    gate.pause(1_000);
    gate.noteFailure(new DirectoryError('throttled', 'no header'));
    gate.noteFailure(new DirectoryError('transient', 'x', { retryAfterMs: 60_000 }));
    assert.equal(gate.stats.pauses, 2);
  });

  it('counts writes by method name and checkMemberGroups at two units', () => {
    assert.deepEqual(costOf('disableUser'), { units: 1, writes: 1 });
    assert.deepEqual(costOf('revokeSignInSessions'), { units: 1, writes: 1 });
    assert.deepEqual(costOf('getUser'), { units: 1, writes: 0 });
    assert.deepEqual(costOf('memberGroups'), { units: 2, writes: 1 });
  });

  it('sends device disables that arrive together as one $batch, each with its own outcome', async () => {
    const clock = new FakeClock();
    const gate = new RateGate(
      { units: { budget: 10_000, windowMs: 1_000 }, writes: { budget: 10_000, windowMs: 1_000 } },
      clock,
    );
    const batches: string[][] = [];
    const directory = {
      disableDevice: async (_id: string) => assert.fail('should go through $batch'),
      getUser: async (id: string) => ({ id }),
    };
    const gated = gatedDirectory(directory, gate, {
      lingerMs: 5,
      deviceBatch: {
        disableDevices: async (ids) => {
          batches.push([...ids]);
          return new Map(
            ids.map((id) => [
              id,
              id === 'd-bad'
                ? new DirectoryError('throttled', 'busy', { retryAfterMs: 2_000 })
                : undefined,
            ]),
          );
        },
      },
    });
    const ids = Array.from({ length: 25 }, (_, i) => `d-${i}`);
    const outcomes = await Promise.allSettled(
      [...ids, 'd-bad'].map((id) => gated.disableDevice(id)),
    );
    assert.deepEqual(
      batches.map((b) => b.length),
      [20, 6],
    );
    assert.equal(outcomes.filter((o) => o.status === 'rejected').length, 1);
    assert.equal(gate.stats.pauses, 1, 'a throttled sub-response pauses the gate');
    assert.deepEqual(await gated.getUser('u1'), { id: 'u1' });
  });
});
