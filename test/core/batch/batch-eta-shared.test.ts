// The ETA through the batch service: each refresh saves the batch's load on its row, and reads the
// other running batches' loads from their rows (not their children), so a batch's card counts the
// work of every batch sharing the write budget.
import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { estimateEta } from '../../../src/core/batch/batch-eta';
import type { BatchRequest } from '../../../src/core/batch/batch-model';
import { newBatchId, newRequestId } from '../../../src/core/request-id';
import type { RevocationRequest } from '../../../src/core/model';
import { aRequest, aStep } from '../../support/builders';
import { batchHarness, type BatchHarness } from '../../support/batch-harness';
import { massTenant } from '../../support/mass-tenant';

const BUDGET = { budget: 3_000, windowMs: 150_000 };

/** A running batch as the store holds it: `done` children finished over the last 10 s, `left` to go. */
async function seedRunning(h: BatchHarness, done: number, left: number, now: number) {
  const id = newBatchId();
  const started = new Date(now - 10_000).toISOString();
  const child = (finishedMsAgo?: number): RevocationRequest =>
    aRequest({
      id: newRequestId(),
      batchId: id,
      status: finishedMsAgo === undefined ? 'running' : 'completed',
      runStartedAt: started,
      steps: [
        aStep({
          status: finishedMsAgo === undefined ? 'pending' : 'succeeded',
          ...(finishedMsAgo === undefined
            ? {}
            : { finishedAt: new Date(now - finishedMsAgo).toISOString() }),
        }),
      ],
    });
  const children = [
    ...Array.from({ length: done }, (_, i) => child(9_000 - (9_000 * i) / done)),
    ...Array.from({ length: left }, () => child()),
  ];
  for (const c of children) await h.store.create(c);
  const batch: BatchRequest = {
    id,
    version: 1,
    status: 'running',
    reason: 'phishing wave',
    requester: { id: 'req', name: 'Requester' },
    createdAt: new Date(now - 60_000).toISOString(),
    expiresAt: new Date(now + 3_600_000).toISOString(),
    requiredApprovals: 2,
    approvals: [],
    members: children.map((c) => ({
      requestId: c.id,
      targetId: c.target.id,
      userPrincipalName: c.target.userPrincipalName,
      displayName: c.target.displayName,
      deviceCount: 0,
    })),
    skipped: [],
    malformed: [],
    runStartedAt: started,
    card: { conversationReference: '{}', cardActivityId: `batch:${id}` },
    retries: 0,
  };
  await h.store.batches.createBatch(batch);
  return { id, children };
}

describe('batch ETA through the batch service', () => {
  let harness: BatchHarness | undefined;

  afterEach(async () => {
    sinon.restore();
    await harness?.close();
    harness = undefined;
  });

  it("saves each batch's load on its row and counts the other running batches' work", async () => {
    harness = await batchHarness(massTenant(1).document, {
      settings: { writeBudget: BUDGET, runConcurrency: 50 },
    });
    const h = harness;
    const now = Date.now();
    const a = await seedRunning(h, 300, 2_700, now);
    const b = await seedRunning(h, 300, 2_700, now);
    const listed = sinon.spy(h.store.batches, 'listChildren');

    await h.service.refresh(a.id);
    const savedA = await h.store.batches.getBatch(a.id);
    assert.equal(savedA?.load?.stepsLeft, 2_700);
    assert.equal(savedA?.load?.childrenLeft, 2_700);
    assert.equal(
      savedA?.load?.finished.reduce((sum, n) => sum + n, 0),
      300,
    );

    await h.service.refresh(b.id);
    const card = h.notifier.cards.at(-1);
    assert.equal(card?.batch.id, b.id);
    const eta = card?.progress.eta;
    assert.deepEqual(eta?.sharedWith, { batches: 1, stepsLeft: 2_700 });
    // As the estimator says for B beside A's saved load; B alone would finish inside the window.
    const expected = estimateEta(b.children, new Date(now), BUDGET, {
      others: savedA?.load ? [savedA.load] : [],
      runConcurrency: 50,
    });
    const alone = estimateEta(b.children, new Date(now), BUDGET);
    const ms = eta?.remainingMs ?? 0;
    assert.ok(
      Math.abs(ms - (expected?.remainingMs ?? 0)) < 5_000,
      `${ms} vs ${expected?.remainingMs}`,
    );
    assert.ok(ms > 1.5 * (alone?.remainingMs ?? 0), `${ms} vs alone ${alone?.remainingMs}`);
    // Each refresh listed its own children only.
    assert.deepEqual(
      listed.getCalls().map((call) => call.args[0]),
      [a.id, b.id],
    );
  });

  it("reads only the others' loads when the store offers them (PostgreSQL), not their rows", async () => {
    harness = await batchHarness(massTenant(1).document, { settings: { writeBudget: BUDGET } });
    const h = harness;
    const now = Date.now();
    const a = await seedRunning(h, 300, 2_700, now);
    const rows = sinon.spy(h.store.batches, 'listBatchesByStatus');
    const other = { id: 'B-OTHER000', members: 500 };
    Object.assign(h.store.batches, { listRunningLoads: async () => [other] });
    await h.service.refresh(a.id);
    // Not yet refreshed: its 500 members at this batch's one step each.
    assert.deepEqual(h.notifier.cards.at(-1)?.progress.eta?.sharedWith, {
      batches: 1,
      stepsLeft: 500,
    });
    assert.equal(rows.callCount, 0);
  });

  it('clears the load when the batch finishes', async () => {
    harness = await batchHarness(massTenant(1).document, { settings: { writeBudget: BUDGET } });
    const h = harness;
    const now = Date.now();
    const a = await seedRunning(h, 10, 1, now);
    await h.service.refresh(a.id);
    assert.equal((await h.store.batches.getBatch(a.id))?.load?.stepsLeft, 1);
    const last = a.children.at(-1);
    assert.ok(last);
    await h.store.compareAndSwap(
      {
        ...last,
        version: last.version + 1,
        status: 'completed',
        steps: last.steps.map((s) => ({
          ...s,
          status: 'succeeded',
          finishedAt: new Date().toISOString(),
        })),
      },
      last.version,
    );
    await h.service.refresh(a.id);
    const finished = await h.store.batches.getBatch(a.id);
    assert.equal(finished?.status, 'completed');
    assert.equal(finished?.load, undefined);
  });
});
