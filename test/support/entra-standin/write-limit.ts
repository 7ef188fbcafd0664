// Graph's write budget for identity and access, per app and tenant: at most 3,000 writes (POST,
// PATCH, PUT, DELETE) in any 150 s, besides the resource-unit budget (rate-limit.ts). Past it, a
// write is answered 429 with Retry-After (whole seconds until enough of the window has passed)
// and the identity service's x-ms-throttle-* headers; reads still go through. Each sub-request
// of a $batch is one write of its own. A write refused is not counted against the window.
//
// For benchmarks the clock may be scaled: `timeScale: 10` keeps the documented shape (3,000 per
// window) on a window ten times shorter (15 s), Retry-After scaled alike.

export interface WriteLimitSpec {
  /** Writes allowed in any window; Graph documents 3,000. */
  budget: number;
  /** Graph documents 150 s. */
  windowMs: number;
  /** Divides the window (and so Retry-After); 1 = Graph's own clock. */
  timeScale?: number;
}

export const GRAPH_WRITE_BUDGET: WriteLimitSpec = { budget: 3_000, windowMs: 150_000 };

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export function isWrite(method: string): boolean {
  return WRITE_METHODS.has(method.toUpperCase());
}

export class GraphWriteLimit {
  /** Arrival times of the writes counted in the current window, oldest first. */
  private readonly taken: number[] = [];
  private head = 0;
  /** Writes let through and refused so far, and when the first and last went through. */
  accepted = 0;
  throttled = 0;
  firstAt: number | undefined;
  lastAt: number | undefined;
  /** When each accepted write arrived, for a benchmark to measure the rate it sustained. */
  private readonly acceptedAt: number[] = [];

  constructor(readonly spec: WriteLimitSpec = GRAPH_WRITE_BUDGET) {}

  /** Writes accepted at or after `at`. */
  acceptedAfter(at: number): number {
    return this.acceptedAt.filter((t) => t >= at).length;
  }

  /** The window on the scaled clock, in real milliseconds. */
  get windowMs(): number {
    return this.spec.windowMs / (this.spec.timeScale ?? 1);
  }

  /** Undefined when the write may go ahead (it is counted); else the Retry-After in seconds. */
  take(now = Date.now()): number | undefined {
    const window = this.windowMs;
    while (this.head < this.taken.length && (this.taken[this.head] ?? 0) + window <= now) {
      this.head++;
    }
    if (this.head > 4_096) {
      this.taken.splice(0, this.head);
      this.head = 0;
    }
    if (this.taken.length - this.head >= this.spec.budget) {
      this.throttled++;
      const oldest = this.taken[this.head] ?? now;
      return Math.max(1, Math.ceil((oldest + window - now) / 1_000));
    }
    this.taken.push(now);
    this.acceptedAt.push(now);
    this.accepted++;
    this.firstAt ??= now;
    this.lastAt = now;
    return undefined;
  }
}

/** What the identity service adds to a 429 for its write limit (diagnostics only). */
export function writeThrottleHeaders(
  retryAfterSeconds: number,
  appId: string,
  tenantId: string,
): Record<string, string> {
  return {
    'Retry-After': String(retryAfterSeconds),
    'x-ms-throttle-scope': `Tenant_Application/Write/${appId}/${tenantId}`,
    'x-ms-throttle-information': 'WriteLimitExceeded',
  };
}
