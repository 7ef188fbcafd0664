// How long a running batch still needs, from what it has done so far, not from a constant: the
// steps left divided by the rate steps finished at over the last window of the write budget (or
// since the run started, when that is shorter). In a wave every step is about one Graph write, so
// this is "writes left ÷ the write rate sustained so far"; the rate already reflects the budget,
// 429 pauses and the share other batches take of it. Early on, while the first window's burst
// inflates the rate, it is floored by what the budget allows: whatever does not fit in what is
// left of this window goes at no more than `budget` per window.
import type { RevocationRequest } from '../model';
import type { BucketLimit } from './rate-gate';

export interface BatchEta {
  /** Steps still to run in the batch's children that are running or waiting to. */
  stepsLeft: number;
  /** Steps finished per minute over `measuredOverMs`. */
  stepsPerMinute: number;
  measuredOverMs: number;
  /** The estimate; undefined until a step has finished (there is no rate to go by yet). */
  remainingMs: number | undefined;
}

/** Graph's write window, the span a sustained write rate can be seen over. */
const DEFAULT_WINDOW_MS = 150_000;

export function estimateEta(
  children: readonly RevocationRequest[],
  now: Date,
  budget?: BucketLimit,
): BatchEta | undefined {
  const running = children.filter((c) => c.status === 'running' || c.status === 'pending');
  if (running.length === 0) return undefined;
  const windowMs = budget?.windowMs ?? DEFAULT_WINDOW_MS;
  const t = now.getTime();
  const started = Math.min(
    ...children.map((c) => Date.parse(c.runStartedAt ?? '')).filter((ms) => Number.isFinite(ms)),
  );
  const stepsLeft = running.reduce(
    (sum, c) =>
      sum + c.steps.filter((s) => s.status !== 'succeeded' && s.status !== 'failed').length,
    0,
  );
  if (!Number.isFinite(started)) {
    return { stepsLeft, stepsPerMinute: 0, measuredOverMs: 0, remainingMs: undefined };
  }
  const measuredOverMs = Math.max(1, Math.min(windowMs, t - started));
  const since = t - measuredOverMs;
  let recent = 0;
  for (const child of children) {
    for (const step of child.steps) {
      const at = Date.parse(step.finishedAt ?? '');
      if (at > since && at <= t) recent++;
    }
  }
  const stepsPerMinute = (recent / measuredOverMs) * 60_000;
  if (recent === 0) return { stepsLeft, stepsPerMinute: 0, measuredOverMs, remainingMs: undefined };
  let remainingMs = (stepsLeft / recent) * measuredOverMs;
  if (budget && t - started < windowMs) {
    const beyondThisWindow = stepsLeft - Math.max(0, budget.budget - recent);
    remainingMs = Math.max(remainingMs, (beyondThisWindow / budget.budget) * windowMs);
  }
  return { stepsLeft, stepsPerMinute, measuredOverMs, remainingMs: Math.round(remainingMs) };
}

/** "about 12 min", "about 40 s", for the card. */
export function describeRemaining(ms: number): string {
  if (ms < 90_000) return `about ${Math.max(1, Math.round(ms / 1_000))} s`;
  if (ms < 90 * 60_000) return `about ${Math.round(ms / 60_000)} min`;
  return `about ${(ms / 3_600_000).toFixed(1)} h`;
}
