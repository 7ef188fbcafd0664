// Okta's rate limits as a client sees them: each endpoint bucket allows `limit` calls per minute;
// every answer carries X-Rate-Limit-Limit, X-Rate-Limit-Remaining and X-Rate-Limit-Reset (the UTC
// epoch second the window resets), and a call past the limit gets 429 E0000047 with them.

export interface RateLimitHeaders {
  'X-Rate-Limit-Limit': string;
  'X-Rate-Limit-Remaining': string;
  'X-Rate-Limit-Reset': string;
}

interface Window {
  startSec: number;
  used: number;
}

export class OktaRateLimits {
  private readonly windows = new Map<string, Window>();
  /** Calls per minute per bucket; tests lower it to see a real 429. */
  readonly limits = new Map<string, number>();

  constructor(readonly defaultLimit = 600) {}

  /** Forgets every window and limit, as between tests. */
  reset(): void {
    this.windows.clear();
    this.limits.clear();
  }

  /** Counts the call; `throttled` when the bucket was already used up this minute. */
  take(bucket: string, nowMs: number): { throttled: boolean; headers: RateLimitHeaders } {
    const nowSec = Math.floor(nowMs / 1000);
    const limit = this.limits.get(bucket) ?? this.defaultLimit;
    let window = this.windows.get(bucket);
    if (!window || nowSec >= window.startSec + 60) {
      window = { startSec: nowSec, used: 0 };
      this.windows.set(bucket, window);
    }
    const throttled = window.used >= limit;
    if (!throttled) window.used += 1;
    return {
      throttled,
      headers: {
        'X-Rate-Limit-Limit': String(limit),
        'X-Rate-Limit-Remaining': String(Math.max(0, limit - window.used)),
        'X-Rate-Limit-Reset': String(window.startSec + 60),
      },
    };
  }
}
