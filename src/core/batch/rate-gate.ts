// Client-side pacing of Graph calls: sliding windows (resource units per window, writes per
// window) that every call is counted in before it goes out, and one global pause when Graph answers 429 with
// Retry-After. Without it, hundreds of runs started together turn one throttled second into
// hundreds of 429s, each retried on its own schedule.
import type { Clock } from '../clock';
import { DirectoryError } from '../errors';
import type { SharedBudget } from './shared-budget';
import { spansOf, type HeldWrites, type WriteWindow } from './write-window';

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

  /** The grants still in the window. */
  held(now: number): readonly { at: number; amount: number }[] {
    this.forget(now);
    return this.taken;
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

export interface RateGateOptions {
  /**
   * The write budget kept by the store several instances share (PostgreSQL): writes are counted
   * there instead of in this process's own window, so the instances together keep to it.
   */
  sharedWrites?: SharedBudget;
}

export class RateGate implements WriteWindow {
  private readonly units: SlidingWindow;
  private readonly writes: SlidingWindow | undefined;
  private readonly shared: SharedWrites | undefined;
  private readonly queue: Waiter[] = [];
  private pausedUntil = 0;
  private pumping = false;
  readonly stats: RateGateStats = { waited: 0, pauses: 0 };

  private readonly writesLimit: BucketLimit;

  constructor(
    limits: RateLimits,
    private readonly clock: Clock,
    options: RateGateOptions = {},
  ) {
    this.writesLimit = limits.writes;
    this.units = new SlidingWindow(limits.units);
    this.writes = options.sharedWrites ? undefined : new SlidingWindow(limits.writes);
    this.shared = options.sharedWrites
      ? new SharedWrites(options.sharedWrites, clock, limits.writes.budget, () =>
          Math.max(0, this.pausedUntil - clock.now().getTime()),
        )
      : undefined;
  }

  /**
   * Waits its turn (first come, first served) until the cost fits and no pause is on. With a
   * shared write budget, the writes are taken from it last, when nothing here holds the call back
   * any more: Graph counts a write when it arrives and the budget when it grants it, so a write
   * granted and then held for seconds by this instance's units window or a pause would arrive
   * after the budget had already let its window move on, and Graph would answer 429.
   */
  async acquire(cost: RateCost): Promise<void> {
    await this.acquireHere(cost);
    if (!this.shared || cost.writes === 0) return;
    if (await this.shared.acquire(cost.writes)) this.stats.waited++;
    // The pump takes nothing while paused; a 429 seen during the take itself still holds this write.
    for (let wait = this.pausedUntil - this.clock.now().getTime(); wait > 0;) {
      await this.clock.sleep(wait);
      wait = this.pausedUntil - this.clock.now().getTime();
    }
  }

  private acquireHere(cost: RateCost): Promise<void> {
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

  /** What the write window holds now (the shared one when there is one), for the batch ETA. */
  async heldWrites(sliceMs: number): Promise<HeldWrites | undefined> {
    if (this.shared) return this.shared.held(sliceMs);
    if (!this.writes) return undefined;
    const now = this.clock.now().getTime();
    return {
      windowMs: this.writesLimit.windowMs,
      spans: spansOf(this.writes.held(now), sliceMs, now),
    };
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
      cost.writes > 0 && this.writes ? this.writes.waitFor(cost.writes, now) : 0,
    );
  }

  private take(cost: RateCost, now: number): void {
    this.units.take(cost.units, now);
    if (cost.writes > 0) this.writes?.take(cost.writes, now);
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

interface SharedWaiter {
  need: number;
  resolve: (waited: boolean) => void;
  reject: (error: unknown) => void;
  waited: boolean;
}

/**
 * This instance's queue in front of the shared budget: one take at a time asks the store for what
 * every waiter still needs, hands out what was granted in arrival order, and sleeps as long as the
 * store says when the window is full, or while a Retry-After pauses this instance. One statement
 * per refill rather than one per write, and no crowd of callers polling the database together.
 */
class SharedWrites {
  private readonly queue: SharedWaiter[] = [];
  private pumping = false;

  constructor(
    private readonly budget: SharedBudget,
    private readonly clock: Clock,
    private readonly most: number,
    /** How long this instance is still paused by a Retry-After: nothing is taken meanwhile. */
    private readonly pausedFor: () => number,
  ) {}

  /** The shared window's grants, when the store can say. */
  held(sliceMs: number): Promise<HeldWrites | undefined> {
    return this.budget.held ? this.budget.held(sliceMs) : Promise.resolve(undefined);
  }

  /** Resolves true when the caller had to wait for the window to free. */
  acquire(writes: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      // More than the whole budget at once could never be granted; as the local window does, charge the budget.
      this.queue.push({
        need: Math.min(writes, this.most),
        resolve,
        reject,
        waited: false,
      });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        // A grant taken during a pause would go out only after it, later than the budget counts it.
        const paused = this.pausedFor();
        if (paused > 0) {
          for (const waiter of this.queue) waiter.waited = true;
          await this.clock.sleep(paused);
          continue;
        }
        // Each waiter's need whole, in arrival order; never more than a window could grant.
        const needs: number[] = [];
        let asked = 0;
        for (const waiter of this.queue) {
          if (asked + waiter.need > this.most) break;
          needs.push(waiter.need);
          asked += waiter.need;
        }
        let take;
        try {
          take = await this.budget.take(needs);
        } catch (error) {
          // The store did not answer: every waiter fails as a transient directory failure, which
          // the retry layer around the call already knows how to wait for.
          const failure = new DirectoryError(
            'transient',
            'The shared Graph write budget could not be read from the store.',
            { code: 'SharedBudgetUnavailable', cause: error },
          );
          for (const waiter of this.queue.splice(0)) waiter.reject(failure);
          continue;
        }
        let left = take.granted;
        for (let head = this.queue[0]; head && left >= head.need; head = this.queue[0]) {
          left -= head.need;
          this.queue.shift();
          head.resolve(head.waited);
        }
        if (take.granted === 0) {
          for (const waiter of this.queue) waiter.waited = true;
          await this.clock.sleep(Math.max(1, take.waitMs));
        }
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
