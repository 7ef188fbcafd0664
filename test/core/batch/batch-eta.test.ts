// A running batch's ETA comes from measured rates, never a constant: its own steps left and every
// other running batch's, shared through the write budget, at the pace measured over the budget's
// window (or since the start, if shorter); the card shows it with what it rests on.
import { strict as assert } from 'node:assert';
import { estimateEta, estimateFromLoads } from '../../../src/core/batch/batch-eta';
import { measureLoad } from '../../../src/core/batch/batch-load';
import type { BatchRequest } from '../../../src/core/batch/batch-model';
import { batchProgress } from '../../../src/core/batch/batch-progress';
import type { RevocationRequest, Step } from '../../../src/core/model';
import { renderBatchCard } from '../../../src/teams/batch/batch-card';
import { aRequest, aStep } from '../../support/builders';

const NOW = Date.parse('2026-12-04T12:00:00.000Z');
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const BUDGET = { budget: 3_000, windowMs: 150_000 };

/** One child per step: `done` lists how long ago each finished step finished. */
function children(startedMsAgo: number, done: number[], left: number): RevocationRequest[] {
  const step = (n: number, finishedMsAgo?: number): Step =>
    aStep({
      id: `s-${n}`,
      status: finishedMsAgo === undefined ? 'pending' : 'succeeded',
      ...(finishedMsAgo === undefined ? {} : { finishedAt: at(finishedMsAgo) }),
    });
  const all = [
    ...done.map((ago, n) => ({ steps: [step(n, ago)], status: 'completed' as const })),
    ...Array.from({ length: left }, (_, n) => ({
      steps: [step(done.length + n)],
      status: 'running' as const,
    })),
  ];
  return all.map((c, n) =>
    aRequest({ id: `R-${n}`, status: c.status, runStartedAt: at(startedMsAgo), steps: c.steps }),
  );
}

const spread = (count: number, fromMsAgo: number, toMsAgo: number) =>
  Array.from({ length: count }, (_, i) => fromMsAgo - ((fromMsAgo - toMsAgo) * i) / count);

describe('batch ETA', () => {
  it('divides the steps left by the rate measured since the start', () => {
    const eta = estimateEta(children(60_000, spread(100, 59_000, 0), 200), new Date(NOW));
    assert.equal(eta?.stepsLeft, 200);
    assert.equal(eta?.stepsPerMinute, 100);
    assert.equal(eta?.remainingMs, 120_000);
  });

  it('measures over the last window only, so an early burst does not flatter it', () => {
    const burst = spread(300, 600_000, 540_000);
    const lately = spread(30, 149_000, 0);
    const eta = estimateEta(children(600_000, [...burst, ...lately], 60), new Date(NOW), BUDGET);
    assert.equal(eta?.measuredOverMs, 150_000);
    assert.equal(eta?.remainingMs, 300_000);
  });

  it('within the first window, keeps what does not fit in it to the budget', () => {
    const eta = estimateEta(
      children(10_000, spread(1_000, 9_000, 0), 5_000),
      new Date(NOW),
      BUDGET,
    );
    // The burst's rate alone would say 50 s. 2,000 fit in this window (20 s at 100 a second);
    // the rest goes as the window frees: the 1,000 done by now leave it 140–150 s from now, the
    // 2,000 of the next 20 s leave it 150–170 s from now.
    assert.ok(near(eta?.remainingMs, 170_000, 0.03), String(eta?.remainingMs));
  });

  it('has no estimate before the first step has finished', () => {
    const eta = estimateEta(children(5_000, [], 10), new Date(NOW), BUDGET);
    assert.equal(eta?.remainingMs, undefined);
    assert.equal(eta?.stepsLeft, 10);
  });

  it('shows the estimate and the rate it rests on on the running card', () => {
    const kids = children(60_000, spread(100, 59_000, 0), 200);
    const progress = {
      ...batchProgress(kids),
      eta: estimateEta(kids, new Date(NOW), BUDGET),
    };
    const batch: BatchRequest = {
      id: 'B-ABCDEFGH',
      version: 3,
      status: 'running',
      reason: 'phishing wave',
      requester: { id: 'req', name: 'Requester' },
      createdAt: at(120_000),
      expiresAt: at(-3_600_000),
      requiredApprovals: 2,
      approvals: [],
      members: [],
      skipped: [],
      malformed: [],
      card: { conversationReference: '{}' },
      retries: 0,
    };
    const card = JSON.stringify(renderBatchCard(batch, progress, new Date(NOW)));
    assert.match(
      card,
      /Time left: about 2 min \(200 steps at 100 a minute, the rate of the last 60 s/,
    );
  });
});

const near = (value: number | undefined, expected: number, tolerance: number) =>
  value !== undefined && Math.abs(value - expected) <= tolerance * expected;

/**
 * A batch's children as the store holds them: `finished` steps (each its own finished child)
 * that finished at the given times ago, and `left` steps to run spread over `childrenLeft`.
 */
function batch(startedMsAgo: number, finished: number[], left: number, childrenLeft = left) {
  const kids = children(startedMsAgo, finished, 0);
  const perChild = Math.ceil(left / childrenLeft);
  for (let n = 0, rest = left; rest > 0; n++, rest -= perChild) {
    kids.push(
      aRequest({
        id: `L-${n}`,
        status: 'running',
        runStartedAt: at(startedMsAgo),
        steps: Array.from({ length: Math.min(perChild, rest) }, (_, i) =>
          aStep({ id: `l-${n}-${i}`, status: 'pending' }),
        ),
      }),
    );
  }
  return kids;
}

const load = (kids: RevocationRequest[]) => measureLoad(kids, new Date(NOW), BUDGET.windowMs);

describe('batch ETA with other running batches on the same write budget', () => {
  it('three equal batches in the first window: each needs about the time for all three', () => {
    // 10 s in, each batch did 300 steps (a burst of 90 a second in all) and has 2,700 left.
    const kids = [0, 1, 2].map(() => batch(10_000, spread(300, 9_900, 0), 2_700));
    const [own, ...rest] = kids;
    const alone = estimateEta(own ?? [], new Date(NOW), BUDGET);
    const shared = estimateEta(own ?? [], new Date(NOW), BUDGET, {
      others: rest.map(load),
      runConcurrency: 50,
    });
    // 8,100 steps in all: 2,100 fit in this window (23 s), the rest wait for two more windows.
    assert.ok(near(shared?.remainingMs, 323_000, 0.05), String(shared?.remainingMs));
    assert.deepEqual(shared?.sharedWith, { batches: 2, stepsLeft: 5_400 });
    // On its own, the batch would finish inside this window's burst.
    assert.ok((alone?.remainingMs ?? 0) < 100_000, String(alone?.remainingMs));
  });

  it('a small batch next to a big one finishes first; the big one then gets the whole budget', () => {
    // 300 s in, the budget binding (3,000 steps in the last window, half each, at 20 a second).
    const small = batch(300_000, spread(1_500, 150_000, 0), 300, 100);
    const big = batch(300_000, spread(1_500, 150_000, 0), 6_000, 2_000);
    const context = (other: RevocationRequest[]) => ({
      others: [load(other)],
      runConcurrency: 50,
    });
    const smallEta = estimateEta(small, new Date(NOW), BUDGET, context(big));
    const bigEta = estimateEta(big, new Date(NOW), BUDGET, context(small));
    // Equal shares until the small one is down to its last 50 children (150 steps in 15 s), then
    // a shrinking share; the big one takes what the small one leaves, so it still finishes when
    // the budget has passed all 6,300 steps: 315 s at 20 a second.
    const smallMs = smallEta?.remainingMs ?? 0;
    assert.ok(smallMs >= 30_000 && smallMs < 60_000, String(smallMs));
    assert.ok(near(bigEta?.remainingMs, 315_000, 0.03), String(bigEta?.remainingMs));
    // Its own rate (10 a second) alone would have said 600 s.
    assert.ok(near(bigEta?.stepsPerMinute, 600, 0.02), String(bigEta?.stepsPerMinute));
  });

  it('shares the budget by instance first: a batch alone on its instance gets half', () => {
    // 300 s in, the budget binding; two batches run on instance A, one on instance B.
    const kids = [0, 1, 2].map(() => batch(300_000, spread(1_000, 150_000, 0), 3_000, 1_000));
    const loads = kids.map((k, i) => ({ ...load(k), runner: i < 2 ? 'A' : 'B' }));
    const eta = (i: number) =>
      estimateFromLoads(loads[i] ?? load([]), new Date(NOW), BUDGET, {
        others: loads.filter((_, j) => j !== i),
        runConcurrency: 50,
      });
    // B's batch has 10 a second: 300 s. A's two have 5 a second each until then (1,500 done),
    // then 10 a second each: 150 s more.
    assert.ok(near(eta(2)?.remainingMs, 300_000, 0.03), String(eta(2)?.remainingMs));
    assert.ok(near(eta(0)?.remainingMs, 450_000, 0.03), String(eta(0)?.remainingMs));
  });

  it('a batch down to its last children gets a smaller share of the queue', () => {
    // 20 children left against 50 in flight: 20/70 of the budget, not half.
    const few = batch(300_000, spread(1_500, 150_000, 0), 40, 20);
    const many = batch(300_000, spread(1_500, 150_000, 0), 6_000, 2_000);
    const eta = estimateEta(few, new Date(NOW), BUDGET, {
      others: [load(many)],
      runConcurrency: 50,
    });
    // At 20/70 of 20 a second the 40 steps would take 7 s, and its share shrinks as its children
    // finish; an equal share would say 4 s.
    const ms = eta?.remainingMs ?? 0;
    assert.ok(ms > 10_000 && ms < 25_000, String(ms));
  });

  it("at the end of a run, the last steps go at the burst's pace as the window frees", () => {
    // The budget's 3,000 went out in the first half of the window at 40 a second, then nothing:
    // those writes leave the window from now on, as fast as they came.
    const kids = batch(600_000, spread(3_000, 150_000, 75_000), 200, 100);
    const eta = estimateEta(kids, new Date(NOW), BUDGET, { runConcurrency: 50 });
    // The window's average (20 a second) would say 10 s.
    assert.ok(near(eta?.remainingMs, 5_000, 0.1), String(eta?.remainingMs));
  });

  it('waits for the window when it is full, then goes at the burst pace', () => {
    // 3,000 steps at 40 a second over the last 75 s: nothing more fits until they leave the
    // window, 75 s from now.
    const kids = batch(600_000, spread(3_000, 75_000, 0), 200, 100);
    const eta = estimateEta(kids, new Date(NOW), BUDGET, { runConcurrency: 50 });
    assert.ok(near(eta?.remainingMs, 80_000, 0.05), String(eta?.remainingMs));
  });

  it("counts the gate's grants when it can say: the last steps that do not fit wait for the window", () => {
    // 2,980 steps finished over the last 60 s, but the gate granted the whole 3,000 (approvals'
    // checks, a refused write and its retry): the 20 steps left wait for the first grants to go.
    const kids = batch(600_000, spread(2_980, 60_000, 0), 20, 10);
    const held = { windowMs: 150_000, spans: [{ from: -60_000, to: 0, count: 3_000 }] };
    const byGrants = estimateEta(kids, new Date(NOW), BUDGET, { runConcurrency: 50, held });
    assert.ok(near(byGrants?.remainingMs, 90_000, 0.03), String(byGrants?.remainingMs));
    // The steps alone leave room for 20 more now.
    const bySteps = estimateEta(kids, new Date(NOW), BUDGET, { runConcurrency: 50 });
    assert.ok((bySteps?.remainingMs ?? Infinity) < 5_000, String(bySteps?.remainingMs));
  });

  it('counts a running batch that has not saved its load yet as its members', () => {
    const own = batch(10_000, spread(300, 9_900, 0), 2_700);
    const unmeasured = { ...load(own), stepsLeft: 3_000, childrenLeft: 1_000, finished: [] };
    const eta = estimateEta(own, new Date(NOW), BUDGET, { others: [unmeasured] });
    assert.deepEqual(eta?.sharedWith, { batches: 1, stepsLeft: 3_000 });
    assert.ok((eta?.remainingMs ?? 0) > 150_000, String(eta?.remainingMs));
  });
});
