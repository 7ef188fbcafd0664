// Client-side pacing of Graph calls: sliding windows (resource units per window, writes per
// window) that every call is counted in before it goes out, and one global pause when Graph answers 429 with
// Retry-After. Without it, hundreds of runs started together turn one throttled second into
// hundreds of 429s, each retried on its own schedule.
import type { Clock } from '../clock';
import { DirectoryError } from '../errors';

/** At most `budget` tokens taken in any `windowMs`, as Graph counts its limits. */
export interface BucketLimit {
  budget: number;
  windowMs: number;
}

export interface RateLimits {
  /** Graph identity resource units (3,500 / 5,000 / 8,000 per 10 s by tenant size). */
  units: BucketLimit;
  /** Writes (3,000 per 150 s per app and tenant). */
  writes: BucketLimit;
}

export interface RateCost {
  units: number;
  writes: number;
}

export interface RateGateStats {
  /** Calls that had to wait for tokens or a pause. */
  waited: number;
  /** 429s seen with a Retry-After, each of which paused every caller. */
  pauses: number;
}

interface Waiter {
  cost: RateCost;
  resolve: () => void;
}

/**
 * A sliding window: what was taken in the last `windowMs` is remembered, and a call goes out only
 * when the window still has room for it. That is exactly "at most `budget` in any window", as
 * Graph counts, and it lets a whole budget go at once when nothing was spent before — a mass
 * revocation's first 1,500 writes need not trickle out over minutes.
 */
class SlidingWindow {
  private readonly taken: { at: number; amount: number }[] = [];
  private used = 0;

  constructor(private readonly limit: BucketLimit) {}

  /** Milliseconds until `amount` fits in the window (0 when it fits now). */
  waitFor(amount: number, now: number): number {
    this.forget(now);
    const wanted = Math.min(amount, this.limit.budget);
    let excess = this.used + wanted - this.limit.budget;
    if (excess <= 0) return 0;
    for (const entry of this.taken) {
      excess -= entry.amount;
      if (excess <= 0) return entry.at + this.limit.windowMs - now;
    }
    return this.limit.windowMs;
  }

  take(amount: number, now: number): void {
    this.forget(now);
    const charged = Math.min(amount, this.limit.budget);
    this.taken.push({ at: now, amount: charged });
    this.used += charged;
  }

  private forget(now: number): void {
    while (this.taken.length > 0 && (this.taken[0]?.at ?? now) + this.limit.windowMs <= now) {
      this.used -= this.taken.shift()?.amount ?? 0;
    }
  }
}

export class RateGate {
  private readonly units: SlidingWindow;
  private readonly writes: SlidingWindow;
  private readonly queue: Waiter[] = [];
  private pausedUntil = 0;
  private pumping = false;
  readonly stats: RateGateStats = { waited: 0, pauses: 0 };

  constructor(
    limits: RateLimits,
    private readonly clock: Clock,
  ) {
    this.units = new SlidingWindow(limits.units);
    this.writes = new SlidingWindow(limits.writes);
  }

  /** Waits its turn (first come, first served) until the cost fits and no pause is on. */
  acquire(cost: RateCost): Promise<void> {
    const now = this.clock.now().getTime();
    if (this.queue.length === 0 && this.delayFor(cost, now) === 0) {
      this.take(cost, now);
      return Promise.resolve();
    }
    this.stats.waited++;
    return new Promise<void>((resolve) => {
      this.queue.push({ cost, resolve });
      void this.pump();
    });
  }

  /** Every caller waits at least until `ms` from now (a Retry-After); a shorter pause never shortens it. */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    this.stats.pauses++;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now().getTime() + ms);
  }

  /** Runs `operation` once through the gate; a 429 with Retry-After pauses everyone. */
  async run<T>(cost: RateCost, operation: () => Promise<T>): Promise<T> {
    await this.acquire(cost);
    try {
      return await operation();
    } catch (error) {
      this.noteFailure(error);
      throw error;
    }
  }

  /** For outcomes reported without throwing ($batch sub-responses). */
  noteFailure(error: unknown): void {
    if (error instanceof DirectoryError && error.kind === 'throttled') {
      if (error.retryAfterMs !== undefined) this.pause(error.retryAfterMs);
    }
  }

  private delayFor(cost: RateCost, now: number): number {
    return Math.max(
      this.pausedUntil - now,
      this.units.waitFor(cost.units, now),
      cost.writes > 0 ? this.writes.waitFor(cost.writes, now) : 0,
    );
  }

  private take(cost: RateCost, now: number): void {
    this.units.take(cost.units, now);
    if (cost.writes > 0) this.writes.take(cost.writes, now);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let head = this.queue[0]; head; head = this.queue[0]) {
        const now = this.clock.now().getTime();
        const delay = this.delayFor(head.cost, now);
        if (delay > 0) {
          await this.clock.sleep(delay);
          continue;
        }
        this.take(head.cost, now);
        this.queue.shift();
        head.resolve();
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** Graph's documented budgets for a tenant under 50 users; configure the larger ones. */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  units: { budget: 3_500, windowMs: 10_000 },
  writes: { budget: 3_000, windowMs: 150_000 },
};
