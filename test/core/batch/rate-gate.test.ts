import { strict as assert } from 'node:assert';
import { DirectoryError } from '../../../src/core/errors';
import { RateGate } from '../../../src/core/batch/rate-gate';
import { costOf, gatedDirectory } from '../../../src/core/batch/gated-directory';
import { FakeClock } from '../../support/fake-clock';

const READ = { units: 1, writes: 0 };

describe('RateGate', () => {
  it('lets a burst of a tenth of the budget through, then paces at the rest of the budget', async () => {
    const clock = new FakeClock();
    // 100 units per second: burst 10, then 90 per second.
    const gate = new RateGate(
      { units: { budget: 100, windowMs: 1_000 }, writes: { budget: 100, windowMs: 1_000 } },
      clock,
    );
    const start = clock.now().getTime();
    for (let i = 0; i < 10; i++) await gate.acquire(READ);
    assert.equal(clock.now().getTime(), start, 'the burst does not wait');
    for (let i = 0; i < 90; i++) await gate.acquire(READ);
    const elapsed = clock.now().getTime() - start;
    assert.ok(elapsed >= 990 && elapsed <= 1_010, `${elapsed} ms for 100 units`);
    assert.ok(gate.stats.waited > 0);
  });

  it('refills tokens while idle, up to the burst only', async () => {
    const clock = new FakeClock();
    const gate = new RateGate(
      { units: { budget: 100, windowMs: 1_000 }, writes: { budget: 100, windowMs: 1_000 } },
      clock,
    );
    for (let i = 0; i < 10; i++) await gate.acquire(READ);
    clock.advance(60_000);
    const before = clock.sleeps.length;
    for (let i = 0; i < 10; i++) await gate.acquire(READ);
    assert.equal(clock.sleeps.length, before, 'ten tokens were back');
    await gate.acquire(READ);
    assert.equal(clock.sleeps.length, before + 1, 'but not more than the burst');
  });

  it('paces writes on their own budget', async () => {
    const clock = new FakeClock();
    const gate = new RateGate(
      { units: { budget: 10_000, windowMs: 1_000 }, writes: { budget: 20, windowMs: 10_000 } },
      clock,
    );
    await gate.acquire({ units: 1, writes: 1 });
    await gate.acquire({ units: 1, writes: 1 });
    const start = clock.now().getTime();
    await gate.acquire({ units: 1, writes: 1 });
    assert.ok(clock.now().getTime() - start >= 500, 'the third write waits for the write bucket');
    await gate.acquire(READ);
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
    assert.deepEqual(costOf('memberGroups'), { units: 2, writes: 0 });
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
