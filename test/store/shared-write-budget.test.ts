// Graph's write budget shared by two bot instances through PostgreSQL (migration 11), against the
// real server the suite starts: two stores (two pools, as two instances have) and two RateGates
// drawing from one budget never get more than the budget in a window between them, and the
// window is judged by the database's clock, not the instances' (theirs are fake and frozen here).
import assert from 'node:assert/strict';
import type { Clock } from '../../src/core/clock';
import { RateGate, type BucketLimit } from '../../src/core/batch/rate-gate';
import { openStore, PostgresRequestStore } from '../../src/store';
import { sharedWriteBudget } from '../../src/store/shared-write-budget';
import { sharedPostgres } from '../support/postgres';

const WRITE = { units: 1, writes: 1 };

/** An instance's clock that never moves; its sleeps wait until the test lets them go. */
class HeldClock implements Clock {
  readonly sleeps: { ms: number; wake: () => void }[] = [];
  now(): Date {
    return new Date('2020-01-01T00:00:00.000Z');
  }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleeps.push({ ms, wake }));
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  // Callbacks of what already settled run first.
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 500 && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(condition(), `never happened: ${what}`);
}

async function twoInstances(): Promise<[PostgresRequestStore, PostgresRequestStore]> {
  const url = await (await sharedPostgres()).createDatabase();
  const stores = await Promise.all([openStore(url), openStore(url)]);
  return stores.map((s) => {
    assert.ok(s instanceof PostgresRequestStore);
    return s;
  }) as [PostgresRequestStore, PostgresRequestStore];
}

describe('Shared Graph write budget (PostgreSQL)', function () {
  this.timeout(60_000);
  let stores: PostgresRequestStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    stores = [];
  });

  it('lets two gates together through no more than the budget in the window', async () => {
    const [a, b] = await twoInstances();
    stores = [a, b];
    const limit: BucketLimit = { budget: 10, windowMs: 600_000 };
    const clocks = [new HeldClock(), new HeldClock()];
    const gates = [a, b].map(
      (store, i) =>
        new RateGate(
          { units: { budget: 1_000, windowMs: 1_000 }, writes: limit },
          clocks[i] as HeldClock,
          sharedWriteBudget(store, limit),
        ),
    );
    let through = 0;
    const perGate = [0, 0];
    gates.forEach((gate, i) => {
      for (let n = 0; n < 12; n++) {
        void gate.acquire(WRITE).then(() => {
          through++;
          perGate[i] = (perGate[i] ?? 0) + 1;
        });
      }
    });
    // Both instances end up waiting for the window, having shared the budget between them.
    await until(() => clocks.every((c) => c.sleeps.length > 0), 'both gates waiting');
    assert.equal(through, 10, `${perGate.join(' + ')} writes went through`);
    for (const clock of clocks) {
      const wait = clock.sleeps[0]?.ms ?? 0;
      assert.ok(wait > 0 && wait <= limit.windowMs * 1.02 + 1, `told to wait ${wait} ms`);
    }
    // Waking early (the window has not moved on the database's clock) lets nothing more through.
    for (const clock of clocks) clock.sleeps.shift()?.wake();
    await until(() => clocks.every((c) => c.sleeps.length > 0), 'both gates waiting again');
    assert.equal(through, 10);
    // Reads are not held back by the full write budget.
    await gates[0]?.acquire({ units: 1, writes: 0 });
  });

  it('grants each token once however many takes race for it', async () => {
    const [a, b] = await twoInstances();
    stores = [a, b];
    const limit: BucketLimit = { budget: 25, windowMs: 600_000 };
    for (let round = 0; round < 3; round++) {
      const budgets = [a, b].map((s) => s.sharedBudgets.budget(`race-${round}`, limit));
      const takes = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (budgets[i % 2] ?? budgets[0])?.take([1])),
      );
      const granted = takes.reduce((sum, t) => sum + (t?.granted ?? 0), 0);
      assert.equal(granted, 25, `round ${round}: ${granted} tokens granted of 25`);
    }
  });

  it('says what the shared window holds, by slice, on the database clock (for the batch ETA)', async () => {
    const [a, b] = await twoInstances();
    stores = [a, b];
    const limit: BucketLimit = { budget: 100, windowMs: 600_000 };
    const gates = [a, b].map(
      (store) =>
        new RateGate(
          { units: { budget: 1_000, windowMs: 1_000 }, writes: limit },
          new HeldClock(),
          sharedWriteBudget(store, limit),
        ),
    );
    for (let n = 0; n < 7; n++) await gates[n % 2]?.acquire(WRITE);
    // Either instance sees both's grants, just taken (the instances' own clocks are years off).
    const held = await gates[1]?.heldWrites(1_000);
    assert.equal(held?.windowMs, Math.ceil(limit.windowMs * 1.02));
    assert.equal(
      held?.spans.reduce((sum, span) => sum + span.count, 0),
      7,
    );
    for (const span of held?.spans ?? []) {
      assert.ok(span.from > -5_000 && span.from <= span.to && span.to <= 0, JSON.stringify(span));
    }
  });

  it('gives tokens back as the window slides on the database clock', async () => {
    const [a] = await twoInstances();
    stores = [a];
    const budget = a.sharedBudgets.budget('slide', { budget: 5, windowMs: 400 });
    assert.equal(
      (await budget.take([8])).granted,
      5,
      'a need above the budget counts as all of it',
    );
    const full = await budget.take([1]);
    assert.equal(full.granted, 0);
    assert.ok(full.waitMs > 0 && full.waitMs <= 400, `wait ${full.waitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, full.waitMs + 50));
    assert.equal((await budget.take([5])).granted, 5, 'the whole budget is back');
  });

  it('grants each need whole or not at all, in order, and says when the first would fit', async () => {
    const [a] = await twoInstances();
    stores = [a];
    const budget = a.sharedBudgets.budget('whole', { budget: 10, windowMs: 60_000 });
    assert.equal((await budget.take([4])).granted, 4);
    assert.equal((await budget.take([3])).granted, 3);
    // 3 left: the first need fits, the second (4) does not, and the third (1) does not pass it.
    assert.deepEqual(await budget.take([2, 4, 1]), { granted: 2, waitMs: 0 });
    const none = await budget.take([4, 1]);
    assert.equal(
      none.granted,
      0,
      'nothing of the first need is granted when all of it does not fit',
    );
    // 1 left; 4 fit once the first grant (4) has left the window: about a window from now.
    assert.ok(none.waitMs > 55_000 && none.waitMs <= 60_000, `wait ${none.waitMs} ms`);
    assert.deepEqual(await budget.take([1]), { granted: 1, waitMs: 0 });
    assert.deepEqual(await budget.take([]), { granted: 0, waitMs: 0 });
  });

  it('is not used with SQLite, whose one process counts in its own gate', async () => {
    const sqlite = await openStore('sqlite::memory:');
    try {
      assert.deepEqual(sharedWriteBudget(sqlite, { budget: 1, windowMs: 1 }), {});
    } finally {
      await sqlite.close();
    }
  });
});
