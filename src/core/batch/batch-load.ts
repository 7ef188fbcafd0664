// What a running batch tells the other running batches, saved on its row at each card refresh:
// the steps it still has, how many children they belong to, and how many of its steps finished in
// each slice of the last write window. Graph's write budget is shared by every running batch (on
// every instance), so a batch's time left depends on the others' work: each reads the others'
// loads from the rows (a few numbers each) instead of listing their thousands of children.
import type { RevocationRequest } from '../model';

export interface BatchLoad {
  /** When it was measured. */
  at: string;
  /** Steps not yet succeeded or failed, in children running or waiting to. */
  stepsLeft: number;
  /** Children running or waiting to: each is one of the batch's runs in flight, up to its pool. */
  childrenLeft: number;
  /** The earliest run start of its children; absent before the first run started. */
  runStartedAt?: string;
  /** The length of a slice, in ms: the write window ÷ SLICES_PER_WINDOW. */
  sliceMs: number;
  /** The slice `finished[0]` counts: ms since the epoch ÷ sliceMs, rounded down. */
  firstSlice: number;
  /** Steps finished in each slice from `firstSlice` on, the last one holding `at`. */
  finished: number[];
  /**
   * The instance that runs its children (the one that saved it): instances take from the shared
   * budget in turn, so the budget is shared by instance first, then by batch within one.
   */
  runner?: string;
}

/** Fine enough to see a window's burst and its pause; few enough to keep the row small. */
export const SLICES_PER_WINDOW = 20;

/** Graph's write window, the span a sustained write rate can be seen over. */
export const DEFAULT_WINDOW_MS = 150_000;

const isLeft = (child: RevocationRequest) =>
  child.status === 'running' || child.status === 'pending';

const isOpen = (status: string) => status !== 'succeeded' && status !== 'failed';

/** A batch's load from its children, the finishes counted over the window before `now`. */
export function measureLoad(
  children: readonly RevocationRequest[],
  now: Date,
  windowMs = DEFAULT_WINDOW_MS,
): BatchLoad {
  const t = now.getTime();
  const sliceMs = windowMs / SLICES_PER_WINDOW;
  const lastSlice = Math.floor(t / sliceMs);
  const firstSlice = lastSlice - SLICES_PER_WINDOW;
  const finished = new Array<number>(SLICES_PER_WINDOW + 1).fill(0);
  let stepsLeft = 0;
  let childrenLeft = 0;
  let started = Infinity;
  for (const child of children) {
    const runStart = Date.parse(child.runStartedAt ?? '');
    if (runStart < started) started = runStart;
    if (isLeft(child)) {
      childrenLeft++;
      for (const step of child.steps) if (isOpen(step.status)) stepsLeft++;
    }
    for (const step of child.steps) {
      const at = Date.parse(step.finishedAt ?? '');
      if (!(at <= t)) continue;
      const slice = Math.floor(at / sliceMs) - firstSlice;
      if (slice >= 0) finished[slice] = (finished[slice] ?? 0) + 1;
    }
  }
  return {
    at: now.toISOString(),
    stepsLeft,
    childrenLeft,
    ...(Number.isFinite(started) ? { runStartedAt: new Date(started).toISOString() } : {}),
    sliceMs,
    firstSlice,
    finished,
  };
}
