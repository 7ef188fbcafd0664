// A budget several bot instances draw from (Graph's write budget is per app and tenant, not per
// instance): kept by the store they share, so two instances together stay within it.
import type { HeldWrites } from './write-window';

export interface SharedBudgetTake {
  /** Tokens granted now, at most the number asked for; 0 when the window is full. */
  granted: number;
  /** When none (or fewer than asked) were granted: milliseconds until some come back. */
  waitMs: number;
}

export interface SharedBudget {
  /** Takes up to `wanted` tokens at once, atomically against every other instance. */
  take(wanted: number): Promise<SharedBudgetTake>;
  /** What the window holds now, by slice (for the batch ETA); absent where it cannot be read. */
  held?(sliceMs: number): Promise<HeldWrites>;
}
