// The shared schedule on its own: fair shares of one budget, the window freeing as its writes age.
import { strict as assert } from 'node:assert';
import { timeToFinish } from '../../../src/core/batch/shared-schedule';

const BUDGET = { budget: 3_000, windowMs: 150_000 };

describe('shared schedule', () => {
  it('without a budget, equal batches finish together at the total rate', () => {
    const ms = timeToFinish({
      sharers: [
        { stepsLeft: 600, childrenLeft: 600 },
        { stepsLeft: 600, childrenLeft: 600 },
      ],
      ratePerMs: 0.02,
    });
    assert.ok(ms !== undefined && Math.abs(ms - 60_000) < 300, String(ms));
  });

  it('finishes as the window frees, however the rate rounds (no extra window for a rounding error)', () => {
    // Two batches of 2,700 steps, 600 steps already in the window, 600 steps in 10.5 s: 2,400
    // fit now (42 s), 600 more as the first ones leave the window, the last 2,400 as the window's
    // own writes of 0–42 s leave it, 150–192 s from now.
    for (const ratePerMs of [600 / 10_500, 0.0571, 0.06]) {
      const ms = timeToFinish({
        sharers: [
          { stepsLeft: 2_700, childrenLeft: 2_700 },
          { stepsLeft: 2_700, childrenLeft: 2_700 },
        ],
        ratePerMs,
        budget: BUDGET,
        past: [{ from: -8_000, to: -500, count: 600 }],
        runConcurrency: 50,
      });
      assert.ok(ms !== undefined && ms > 185_000 && ms < 200_000, `${ratePerMs}: ${ms}`);
    }
  });

  it('is done at once when nothing is left', () => {
    assert.equal(timeToFinish({ sharers: [{ stepsLeft: 0, childrenLeft: 0 }], ratePerMs: 1 }), 0);
  });
});
