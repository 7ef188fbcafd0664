// A running batch's ETA comes from its own measured rate, never a constant: steps left divided by
// the rate steps finished at over the write budget's window (or since the start, if shorter),
// floored early on by what the budget allows; the card shows it with what it rests on.
import { strict as assert } from 'node:assert';
import { estimateEta } from '../../../src/core/batch/batch-eta';
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
    // The burst's rate alone would say 50 s; 3,000 of the 5,000 left must wait for the window.
    assert.equal(eta?.remainingMs, 150_000);
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
