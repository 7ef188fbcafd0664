import { strict as assert } from 'node:assert';
import { UpdateCoalescer } from '../../../src/core/batch/update-coalescer';
import { FakeClock } from '../../support/fake-clock';
import { ManualTimers } from '../../support/manual-timers';

describe('UpdateCoalescer (batch card updates)', () => {
  it('shows the first change at once and folds a storm of changes into one update per interval', async () => {
    const clock = new FakeClock();
    const timers = new ManualTimers(clock);
    const flushed: number[] = [];
    const coalescer = new UpdateCoalescer(
      5_000,
      () => clock.now().getTime(),
      timers,
      async () => {
        flushed.push(clock.now().getTime());
      },
    );
    const start = clock.now().getTime();
    coalescer.signal('B-1');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(flushed.length, 1);
    // 2,000 step saves over the next 20 s.
    for (let i = 0; i < 2_000; i++) {
      coalescer.signal('B-1');
      if (i % 100 === 99) await timers.advance(1_000);
    }
    await timers.advance(5_000);
    const gaps = flushed.slice(1).map((at, i) => at - (flushed[i] as number));
    assert.ok(
      gaps.every((gap) => gap >= 5_000),
      `gaps ${gaps.join(', ')}`,
    );
    assert.ok(flushed.length <= 6, `${flushed.length} updates for 2,000 changes`);
    assert.ok((flushed.at(-1) as number) - start >= 20_000, 'the last change is shown');
    // Within Teams' ~1,800 operations per thread per hour: at most 720 per hour at 5 s.
    assert.ok(3_600_000 / 5_000 < 1_800);
  });

  it('keeps batches apart and never runs two updates of one batch at once', async () => {
    const clock = new FakeClock();
    const timers = new ManualTimers(clock);
    let running = 0;
    let maxRunning = 0;
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const coalescer = new UpdateCoalescer(
      1_000,
      () => clock.now().getTime(),
      timers,
      async (key) => {
        seen.push(key);
        running++;
        maxRunning = Math.max(maxRunning, running);
        if (key === 'B-1' && seen.length === 1)
          await new Promise<void>((resolve) => (release = resolve));
        running--;
      },
    );
    coalescer.signal('B-1');
    coalescer.signal('B-2');
    coalescer.signal('B-1');
    await timers.advance(2_000);
    assert.deepEqual(seen, ['B-1', 'B-2']);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    await timers.advance(2_000);
    assert.deepEqual(
      seen,
      ['B-1', 'B-2', 'B-1'],
      'the change during the slow update is shown after it',
    );
    coalescer.stop();
    assert.equal(timers.scheduled, 0);
  });
});
