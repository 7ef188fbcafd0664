// A token bucket per person for commands typed to the bot. A flood (a script, a stuck client, or
// someone probing which accounts exist) is refused politely once and then ignored until the
// bucket refills. Card clicks never come through here: an approval must never be throttled.
import type { Clock } from '../core/clock';

export type RateVerdict = 'allowed' | 'refused' | 'refused_silently';

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** Whether this person has already been told to slow down since the bucket ran dry. */
  warned: boolean;
}

/** Keeps memory bounded whatever the number of senders; a full bucket carries no state. */
const MAX_BUCKETS = 10_000;

export class CommandRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  take(personId: string): RateVerdict {
    const now = this.clock.now().getTime();
    const key = personId.toLowerCase();
    const bucket = this.refill(this.buckets.get(key), now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.warned = false;
      this.save(key, bucket);
      return 'allowed';
    }
    const verdict = bucket.warned ? 'refused_silently' : 'refused';
    bucket.warned = true;
    this.save(key, bucket);
    return verdict;
  }

  /** Seconds until one more command is allowed, for the polite refusal. */
  waitSeconds(personId: string): number {
    const bucket = this.buckets.get(personId.toLowerCase());
    if (!bucket) return 0;
    const missing = Math.max(0, 1 - this.refill(bucket, this.clock.now().getTime()).tokens);
    return Math.ceil(missing / this.refillPerMs / 1000);
  }

  private refill(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: this.perMinute, updatedAt: now, warned: false };
    const tokens = Math.min(
      this.perMinute,
      bucket.tokens + Math.max(0, now - bucket.updatedAt) * this.refillPerMs,
    );
    return { tokens, updatedAt: now, warned: bucket.warned };
  }

  private save(key: string, bucket: Bucket): void {
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_BUCKETS) {
      // Maps iterate in insertion order: the first entry is the least recently used.
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}
