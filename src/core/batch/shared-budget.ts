// A budget several bot instances draw from (Graph's write budget is per app and tenant, not per
// instance): kept by the store they share, so two instances together stay within it.
import type { HeldWrites } from './write-window';

export interface SharedBudgetTake {
  /** Tokens granted now: the sum of the needs granted, 0 when not even the first fits. */
  granted: number;
  /** When none were granted: milliseconds until the first need fits. */
  waitMs: number;
}

export interface SharedBudget {
  /**
   * Grants the longest run of `needs`, in order, that fits in the window, each need whole or not
   * at all, atomically against every other instance. A caller never holds part of what it needs
   * while it waits for the rest: that part would be counted long before it is sent.
   */
  take(needs: readonly number[]): Promise<SharedBudgetTake>;
  /** What the window holds now, by slice (for the batch ETA); absent where it cannot be read. */
  held?(sliceMs: number): Promise<HeldWrites>;
}
