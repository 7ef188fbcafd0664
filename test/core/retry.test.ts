import { strict as assert } from 'node:assert';
import { withRetry } from '../../src/core/retry';
import { DirectoryError } from '../../src/core/errors';
import { FakeClock } from '../support/fake-clock';

function failing(
  errors: Error[],
  result = 'ok',
): { operation: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    operation: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return result;
    },
    calls: () => calls,
  };
}

describe('withRetry', () => {
  it('waits exactly the Retry-After the service asked for', async () => {
    const clock = new FakeClock();
    const { operation, calls } = failing([
      new DirectoryError('throttled', 'Too many requests', { retryAfterMs: 7_000 }),
      new DirectoryError('throttled', 'Too many requests', { retryAfterMs: 2_000 }),
    ]);
    assert.equal(await withRetry(operation, { clock }), 'ok');
    assert.equal(calls(), 3);
    assert.deepEqual(clock.sleeps, [7_000, 2_000]);
  });

  it('backs off exponentially with jitter when no Retry-After is given', async () => {
    const clock = new FakeClock();
    const { operation } = failing([1, 2, 3].map(() => new DirectoryError('transient', '503')));
    await withRetry(operation, { clock, random: () => 1, policy: { baseDelayMs: 100 } });
    assert.deepEqual(clock.sleeps, [100, 200, 400]);
    const low = new FakeClock();
    await withRetry(failing([1, 2].map(() => new DirectoryError('transient', '503'))).operation, {
      clock: low,
      random: () => 0,
      policy: { baseDelayMs: 100 },
    });
    assert.deepEqual(low.sleeps, [50, 100]);
  });

  it('caps each wait at maxDelayMs', async () => {
    const clock = new FakeClock();
    const { operation } = failing(
      [1, 2, 3, 4, 5].map(() => new DirectoryError('transient', 'reset')),
    );
    await withRetry(operation, {
      clock,
      random: () => 1,
      policy: { baseDelayMs: 1_000, maxDelayMs: 3_000 },
    });
    assert.deepEqual(clock.sleeps, [1_000, 2_000, 3_000, 3_000, 3_000]);
  });

  it('gives up when the next wait would pass the deadline, with the last error', async () => {
    const clock = new FakeClock();
    const last = new DirectoryError('throttled', 'still throttled', { retryAfterMs: 50_000 });
    const { operation, calls } = failing([
      new DirectoryError('throttled', 'x', { retryAfterMs: 50_000 }),
      last,
      new DirectoryError('throttled', 'y'),
    ]);
    await assert.rejects(
      withRetry(operation, { clock, policy: { deadlineMs: 60_000 } }),
      (error) => error === last,
    );
    assert.equal(calls(), 2);
    assert.deepEqual(clock.sleeps, [50_000]);
  });

  it('stops after maxAttempts', async () => {
    const clock = new FakeClock();
    const { operation, calls } = failing(
      [1, 2, 3, 4].map(() => new DirectoryError('transient', 'x', { retryAfterMs: 0 })),
    );
    await assert.rejects(withRetry(operation, { clock, policy: { maxAttempts: 3 } }));
    assert.equal(calls(), 3);
  });

  for (const kind of ['permission', 'not_found', 'rejected', 'misconfigured'] as const) {
    it(`does not retry a ${kind} error`, async () => {
      const clock = new FakeClock();
      const { operation, calls } = failing([new DirectoryError(kind, 'no')]);
      await assert.rejects(withRetry(operation, { clock }), DirectoryError);
      assert.equal(calls(), 1);
      assert.deepEqual(clock.sleeps, []);
    });
  }

  it('does not retry errors that are not DirectoryErrors (bugs are not transient)', async () => {
    const { operation, calls } = failing([new TypeError('undefined is not a function')]);
    await assert.rejects(withRetry(operation, { clock: new FakeClock() }), TypeError);
    assert.equal(calls(), 1);
  });

  it('reports each retry before waiting', async () => {
    const events: number[] = [];
    const { operation } = failing([new DirectoryError('transient', 'a', { retryAfterMs: 10 })]);
    await withRetry(operation, {
      clock: new FakeClock(),
      onRetry: (e) => void events.push(e.attempt),
    });
    assert.deepEqual(events, [1]);
  });

  it('with retryIf, retries what it accepts and nothing else, even retryable errors', async () => {
    const clock = new FakeClock();
    const lagging = new DirectoryError('rejected', 'not visible yet', { code: 'Lag' });
    const { operation, calls } = failing([lagging, lagging]);
    const retryIf = (error: DirectoryError) => error.code === 'Lag';
    assert.equal(await withRetry(operation, { clock, retryIf, random: () => 1 }), 'ok');
    assert.equal(calls(), 3);
    assert.deepEqual(clock.sleeps, [500, 1_000]);

    const transient = failing([new DirectoryError('transient', '503')]);
    await assert.rejects(withRetry(transient.operation, { clock: new FakeClock(), retryIf }));
    assert.equal(transient.calls(), 1);
  });
});
