// What the write budget's window holds right now, as the gate counts it: every write granted
// (steps' writes, approvals' checkMemberGroups, writes Graph refused and their retries), which is
// what decides when the window has room again. Steps finished say less: a step is not always
// exactly one write, and the last few writes of a wave wait a whole window when they do not fit.

/** Writes (or steps) before now: `count` spread over [from, to), ms relative to now (≤ 0). */
export interface PastSpan {
  from: number;
  to: number;
  count: number;
}

export interface HeldWrites {
  /** How long a grant stays in the window (the budget's window, plus any margin it holds). */
  windowMs: number;
  /** Writes granted and still in the window, by slice, in ms relative to now (≤ 0). */
  spans: PastSpan[];
}

/** The RateGate: local window or the shared one in the store. */
export interface WriteWindow {
  heldWrites(sliceMs: number): Promise<HeldWrites | undefined>;
}

/** Grants (at, amount) in absolute ms, added up by slice of `sliceMs`, relative to `now`. */
export function spansOf(
  grants: Iterable<{ at: number; amount: number }>,
  sliceMs: number,
  now: number,
): PastSpan[] {
  const bySlice = new Map<number, number>();
  for (const grant of grants) {
    const slice = Math.floor(grant.at / sliceMs);
    bySlice.set(slice, (bySlice.get(slice) ?? 0) + grant.amount);
  }
  return [...bySlice.entries()]
    .sort(([a], [b]) => a - b)
    .map(([slice, count]) => ({
      from: slice * sliceMs - now,
      to: Math.min(0, (slice + 1) * sliceMs - now),
      count,
    }));
}
