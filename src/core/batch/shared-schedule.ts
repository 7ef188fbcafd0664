// When one batch finishes, given every running batch's work and one write budget they all draw
// from. Pure arithmetic, played forward in small steps of time:
//
// - How the work is scheduled: each batch runs its children through its own pool (runConcurrency
//   at once, BatchService.runChildren) on the instance that approved it, every batch at the same
//   time, and each child's Graph calls wait in its instance's first-come queue; the instances'
//   queues take from the shared budget in turn. So each instance with work gets an equal share,
//   split among its batches by their children in flight (up to the pool). With equal shares a
//   batch with k steps left finishes after about Σ_i min(k_i, k) ÷ the total rate; a batch down to
//   its last few children gets less; once a batch (or an instance's last batch) finishes, the
//   rest share what it took.
// - How fast the work goes: at most `ratePerMs` (what the instances and Graph manage when the
//   budget has room), and with a budget, never more than `budget` steps in any window, counting
//   the steps already finished in the last window, which leave it when their window has passed.
//   That is the first window's burst followed by a wait, and at the end, the last writes going
//   at once when the window has room for them. A step is taken as one write (the wave's steps
//   are: disable, revoke sessions, disable a device).
import type { BucketLimit } from './rate-gate';
import type { PastSpan } from './write-window';

export type { PastSpan } from './write-window';

export interface Sharer {
  stepsLeft: number;
  childrenLeft: number;
  /** The instance running it; sharers without one count as one instance. */
  runner?: string;
}

export interface ScheduleInput {
  /** Every running batch; the one asked about first. */
  sharers: readonly Sharer[];
  /** Steps per ms when the budget has room. */
  ratePerMs: number;
  budget?: BucketLimit;
  /** What the last window already holds (ignored without a budget). */
  past?: readonly PastSpan[];
  /** Children a batch runs at once; unbounded when absent. */
  runConcurrency?: number;
}

/** Steps of time per window: fine enough for the end of a run, a few hundred steps in all. */
const STEPS_PER_WINDOW = 80;
/** Less than this of a step is rounding, not work. */
const EPSILON = 1e-6;
/** A bound on the work per estimate, whatever the size of the wave. */
const MAX_STEPS = 20_000;

/** Milliseconds until the first sharer's last step finishes; undefined when it never would. */
export function timeToFinish(input: ScheduleInput): number | undefined {
  const { sharers, ratePerMs, budget } = input;
  const own = sharers[0];
  if (!own || own.stepsLeft <= 0) return 0;
  if (!(ratePerMs > 0)) return undefined;
  const needs = sharers.map((s) => Math.max(0, s.stepsLeft));
  const perChild = sharers.map((s) =>
    s.childrenLeft > 0 ? Math.max(1, s.stepsLeft / s.childrenLeft) : 1,
  );
  const pool = input.runConcurrency ?? Infinity;
  const runners = sharers.map((s) => s.runner ?? '');
  const total = needs.reduce((sum, n) => sum + n, 0);
  const slowest = budget ? Math.min(ratePerMs, budget.budget / budget.windowMs) : ratePerMs;
  const dt = Math.max(
    budget ? budget.windowMs / STEPS_PER_WINDOW : total / ratePerMs / 400,
    total / slowest / MAX_STEPS,
    1,
  );
  const windowMs = budget?.windowMs ?? 0;
  const past = budget ? (input.past ?? []) : [];
  const future: { at: number; amount: number }[] = [];
  let futureHead = 0;
  let futureUsed = 0;
  for (let t = 0, step = 0; step < MAX_STEPS * 2; step++, t += dt) {
    const end = t + dt;
    let room = ratePerMs * dt;
    if (budget) {
      const since = end - windowMs;
      for (let f = future[futureHead]; f && f.at <= since; f = future[++futureHead]) {
        futureUsed -= f.amount;
      }
      room = Math.min(room, budget.budget - futureUsed - pastIn(past, since));
    }
    if (room <= 0) continue;
    const weights = weigh(
      needs.map((need, i) =>
        need > 0 ? Math.max(1, Math.min(pool, Math.ceil(need / (perChild[i] ?? 1)))) : 0,
      ),
      runners,
    );
    const { given, offered } = share(room, needs, weights);
    const ownNeed = needs[0] ?? 0;
    // Done within this step: at the share of the step its last steps needed of what it was offered.
    if ((given[0] ?? 0) >= ownNeed - EPSILON) {
      return t + dt * Math.min(1, ownNeed / (offered[0] || ownNeed));
    }
    let spent = 0;
    for (let i = 0; i < needs.length; i++) {
      const g = given[i] ?? 0;
      const left = (needs[i] ?? 0) - g;
      // What is left after rounding is no step: without this, a batch could wait a whole window
      // for a billionth of one.
      needs[i] = left > EPSILON ? left : 0;
      spent += g;
    }
    if (budget && spent > 0) {
      future.push({ at: end, amount: spent });
      futureUsed += spent;
    }
  }
  return undefined;
}

/**
 * Each instance's pump takes from the shared budget in turn (RateGate's SharedWrites), and within
 * an instance the calls wait first come, first served: an equal share per instance with work
 * left, split among its batches by their runs in flight.
 */
function weigh(inFlight: readonly number[], runners: readonly string[]): number[] {
  const perRunner = new Map<string, number>();
  inFlight.forEach((w, i) => {
    const runner = runners[i] ?? '';
    perRunner.set(runner, (perRunner.get(runner) ?? 0) + w);
  });
  const active = [...perRunner.values()].filter((w) => w > 0).length;
  return inFlight.map((w, i) => (w > 0 ? w / (perRunner.get(runners[i] ?? '') ?? w) / active : 0));
}

/** Of the steps finished before now, how many are still in the window that starts at `since`. */
function pastIn(past: readonly PastSpan[], since: number): number {
  if (since >= 0) return 0;
  let used = 0;
  for (const span of past) {
    if (span.to <= since) continue;
    const length = span.to - span.from;
    used +=
      length > 0 ? (span.count * (span.to - Math.max(since, span.from))) / length : span.count;
  }
  return used;
}

/**
 * Splits `room` by weight among those still needing some; what one cannot use goes to the rest.
 * `offered` is what each could have had when it was filled (or given, when not filled).
 */
function share(
  room: number,
  needs: readonly number[],
  weights: readonly number[],
): { given: number[]; offered: number[] } {
  const given = needs.map(() => 0);
  const offered = needs.map(() => 0);
  let left = room;
  let active = needs.map((need, i) => i).filter((i) => (needs[i] ?? 0) > 0);
  while (active.length > 0 && left > 1e-9) {
    const weight = active.reduce((sum, i) => sum + (weights[i] ?? 0), 0);
    const filled = active.filter(
      (i) => (needs[i] ?? 0) - (given[i] ?? 0) <= (left * (weights[i] ?? 0)) / weight,
    );
    if (filled.length === 0) {
      for (const i of active) {
        given[i] = (given[i] ?? 0) + (left * (weights[i] ?? 0)) / weight;
        offered[i] = given[i] ?? 0;
      }
      return { given, offered };
    }
    let taken = 0;
    for (const i of filled) {
      taken += (needs[i] ?? 0) - (given[i] ?? 0);
      offered[i] = (given[i] ?? 0) + (left * (weights[i] ?? 0)) / weight;
      given[i] = needs[i] ?? 0;
    }
    left -= taken;
    active = active.filter((i) => !filled.includes(i));
  }
  return { given, offered };
}
