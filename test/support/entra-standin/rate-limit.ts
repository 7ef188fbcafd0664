// Graph-style throttling for load tests: past `perSecond` resource units in the current one-second
// window, calls get 429 with a Retry-After that points at the next window. Each sub-request of a
// $batch counts on its own and, as Graph does, is answered 429 inside the batch's 200 rather than
// failing the whole batch.

export interface RateLimitSpec {
  perSecond: number;
}

export class GraphRateLimit {
  private windowStart = 0;
  private used = 0;
  /** 429s answered so far. */
  throttled = 0;

  constructor(readonly spec: RateLimitSpec) {}

  /** Undefined when the call may go ahead; else the Retry-After (whole seconds) to answer. */
  take(units: number, now = Date.now()): number | undefined {
    if (now - this.windowStart >= 1_000) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used + units > this.spec.perSecond) {
      this.throttled++;
      return Math.max(1, Math.ceil((this.windowStart + 1_000 - now) / 1_000));
    }
    this.used += units;
    return undefined;
  }
}
