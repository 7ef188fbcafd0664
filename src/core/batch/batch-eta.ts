// How long a running batch still needs, from what every running batch has done so far, not from a
// constant. Graph's write budget is shared by all of them (and by every instance), so a batch's
// own recent rate says little: early on, the first window's burst makes it look fast while the
// other batches' writes still have to go through the same budget; near the end, it looks slow
// because the others took the budget, and goes faster once they finish. So the estimate plays
// the shared schedule forward (shared-schedule.ts) with
// - the steps left in every running batch (this one's from its children, the others' from the
//   load each saved on its row at its last refresh, batch-load.ts),
// - the rate the instances manage when the budget has room: the rate since the run started while
//   the window has room, and once the budget binds, the rate of the busiest quarter of the last
//   window (a sliding window lets each window's budget go in a burst, then waits),
// - and the budget itself, counting what the last window already holds (the gate's own count of
//   grants when it can say, else the steps finished).
import { DEFAULT_WINDOW_MS, measureLoad, type BatchLoad } from './batch-load';
import type { RevocationRequest } from '../model';
import type { BucketLimit } from './rate-gate';
import { timeToFinish, type PastSpan } from './shared-schedule';
import type { HeldWrites } from './write-window';

export interface BatchEta {
  /** Steps still to run in the batch's children that are running or waiting to. */
  stepsLeft: number;
  /** This batch's steps finished per minute over `measuredOverMs`. */
  stepsPerMinute: number;
  measuredOverMs: number;
  /** The estimate; undefined until a step has finished (there is no rate to go by yet). */
  remainingMs: number | undefined;
  /** The running batches it shares the write budget with, and the steps they have left. */
  sharedWith?: { batches: number; stepsLeft: number };
}

export interface EtaContext {
  /** The other running batches' loads, as saved on their rows. */
  others?: readonly BatchLoad[];
  /** Children each batch runs at once (BATCH_RUN_CONCURRENCY): its share of the gate's queue. */
  runConcurrency?: number;
  /**
   * What the write window holds, as the gate counts it; without it, the steps finished in the
   * last window stand for the writes (a step is about one write).
   */
  held?: HeldWrites;
}

/** Past this share of the budget in the last window, the budget is what holds the rate back. */
const BINDING = 0.9;

/** The estimate from this batch's children (the others' loads in `context`). */
export function estimateEta(
  children: readonly RevocationRequest[],
  now: Date,
  budget?: BucketLimit,
  context: EtaContext = {},
): BatchEta | undefined {
  return estimateFromLoads(
    measureLoad(children, now, budget?.windowMs ?? DEFAULT_WINDOW_MS),
    now,
    budget,
    context,
  );
}

export function estimateFromLoads(
  own: BatchLoad,
  now: Date,
  budget?: BucketLimit,
  context: EtaContext = {},
): BatchEta | undefined {
  if (own.childrenLeft === 0) return undefined;
  const t = now.getTime();
  const windowMs = budget?.windowMs ?? DEFAULT_WINDOW_MS;
  const others = (context.others ?? []).filter((load) => load.stepsLeft > 0);
  const sharedWith =
    others.length > 0
      ? {
          batches: others.length,
          stepsLeft: others.reduce((sum, load) => sum + load.stepsLeft, 0),
        }
      : undefined;
  const base = { stepsLeft: own.stepsLeft, ...(sharedWith ? { sharedWith } : {}) };
  const ownStart = Date.parse(own.runStartedAt ?? '');
  if (!Number.isFinite(ownStart)) {
    return { ...base, stepsPerMinute: 0, measuredOverMs: 0, remainingMs: undefined };
  }
  const measuredOverMs = Math.max(1, Math.min(windowMs, t - ownStart));
  // Nothing finished before the run started: count the whole window, divide by the time measured.
  const ownRecent = finishedSince(own, t - windowMs, t);
  const stepsPerMinute = (ownRecent / measuredOverMs) * 60_000;
  const result = { ...base, stepsPerMinute, measuredOverMs };

  const all = [own, ...others];
  const slices = sumSlices(all, own.sliceMs, t, windowMs);
  const earliest = Math.min(
    ...all.map((load) => Date.parse(load.runStartedAt ?? '')).filter(Number.isFinite),
  );
  const spanStart = Math.max(t - windowMs, earliest);
  const inSpan = slices.reduce((sum, s) => sum + s.count * overlap(s, t - windowMs, t), 0);
  if (inSpan === 0) return { ...result, remainingMs: undefined };
  const ratePerMs =
    budget && inSpan >= BINDING * budget.budget
      ? (busiestQuarter(slices, spanStart, t) ?? inSpan / (t - spanStart))
      : inSpan / Math.max(1, t - spanStart);
  const remainingMs = timeToFinish({
    sharers: all.map((load) => ({
      stepsLeft: load.stepsLeft,
      childrenLeft: load.childrenLeft,
      ...(load.runner ? { runner: load.runner } : {}),
    })),
    ratePerMs,
    ...(budget
      ? { budget: context.held ? { ...budget, windowMs: context.held.windowMs } : budget }
      : {}),
    past:
      context.held?.spans ??
      slices.map((s): PastSpan => ({ from: s.from - t, to: s.to - t, count: s.count })),
    ...(context.runConcurrency ? { runConcurrency: context.runConcurrency } : {}),
  });
  return {
    ...result,
    remainingMs: remainingMs === undefined ? undefined : Math.round(remainingMs),
  };
}

interface Slice {
  /** Absolute ms; `to` is clipped to the time it was measured. */
  from: number;
  to: number;
  count: number;
}

/** Every load's finishes of the last window, added up slice by slice (this batch's slicing). */
function sumSlices(
  loads: readonly BatchLoad[],
  sliceMs: number,
  t: number,
  windowMs: number,
): Slice[] {
  const first = Math.floor((t - windowMs) / sliceMs);
  const last = Math.floor(t / sliceMs);
  const counts = new Array<number>(last - first + 1).fill(0);
  for (const load of loads) {
    load.finished.forEach((count, i) => {
      const middle = (load.firstSlice + i + 0.5) * load.sliceMs;
      const index = Math.floor(middle / sliceMs) - first;
      if (count > 0 && index >= 0 && index < counts.length) {
        counts[index] = (counts[index] ?? 0) + count;
      }
    });
  }
  return counts.map((count, i) => ({
    from: (first + i) * sliceMs,
    to: Math.min(t, (first + i + 1) * sliceMs),
    count,
  }));
}

/** The share of a slice that lies within [from, to]. */
function overlap(slice: Slice, from: number, to: number): number {
  const length = slice.to - slice.from;
  if (length <= 0) return slice.to > from && slice.to <= to ? 1 : 0;
  return Math.max(0, Math.min(to, slice.to) - Math.max(from, slice.from)) / length;
}

/**
 * The rate of the busiest quarter of the whole slices in [from, to]: with the budget binding, a
 * window's writes go in bursts at what the instances manage, and this is that pace.
 */
function busiestQuarter(slices: readonly Slice[], from: number, to: number): number | undefined {
  const whole = slices
    .filter((s) => s.from >= from && s.to <= to && s.to - s.from > 0)
    .map((s) => s.count / (s.to - s.from))
    .sort((a, b) => b - a);
  if (whole.length < 4) return undefined;
  const top = whole.slice(0, Math.ceil(whole.length / 4));
  return top.reduce((sum, rate) => sum + rate, 0) / top.length;
}

function finishedSince(load: BatchLoad, from: number, to: number): number {
  return load.finished.reduce((sum, count, i) => {
    const start = (load.firstSlice + i) * load.sliceMs;
    const slice = { from: start, to: Math.min(to, start + load.sliceMs), count };
    return sum + count * overlap(slice, from, to);
  }, 0);
}

/** "about 12 min", "about 40 s", for the card. */
export function describeRemaining(ms: number): string {
  if (ms < 90_000) return `about ${Math.max(1, Math.round(ms / 1_000))} s`;
  if (ms < 90 * 60_000) return `about ${Math.round(ms / 60_000)} min`;
  return `about ${(ms / 3_600_000).toFixed(1)} h`;
}
