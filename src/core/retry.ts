// The one place where Revoke retries calls to a directory. Adapters never retry on their own:
// they translate failures into DirectoryError, and this decides whether and when to try again.
import type { Clock } from './clock';
import { DirectoryError } from './errors';

export interface RetryPolicy {
  /** First backoff, doubled on each attempt (before jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up once the next wait would end after this much time since the first attempt. */
  deadlineMs: number;
  /** Upper bound on attempts, whatever the deadline. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  deadlineMs: 120_000,
  maxAttempts: 8,
};

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  error: DirectoryError;
}

export interface RetryOptions {
  clock: Clock;
  policy?: Partial<RetryPolicy>;
  /** Called before each wait, so the card can say "retrying (2)…". */
  onRetry?: (event: RetryEvent) => void | Promise<void>;
  /** Source of randomness for jitter, in [0, 1); injectable so tests are exact. */
  random?: () => number;
  /**
   * Which errors are worth another attempt; by default the retryable DirectoryErrors. An outer
   * retry around calls that already retry on their own narrows it, so no fault is retried twice.
   */
  retryIf?: (error: DirectoryError) => boolean;
}

/**
 * Runs `operation`, retrying DirectoryErrors that are retryable (throttling, transient faults),
 * or those `retryIf` accepts.
 * Waits the service's Retry-After when it gave one, otherwise exponential backoff with "equal"
 * jitter (half the delay fixed, half random). Anything else is thrown at once, unchanged.
 */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const random = options.random ?? Math.random;
  const retryIf = options.retryIf ?? ((error: DirectoryError) => error.retryable);
  const startedAt = options.clock.now().getTime();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof DirectoryError) || !retryIf(error)) throw error;
      if (attempt >= policy.maxAttempts) throw error;
      const delayMs = nextDelay(error, attempt, policy, random);
      const elapsed = options.clock.now().getTime() - startedAt;
      if (elapsed + delayMs > policy.deadlineMs) throw error;
      await options.onRetry?.({ attempt, delayMs, error });
      await options.clock.sleep(delayMs);
    }
  }
}

function nextDelay(
  error: DirectoryError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (error.retryAfterMs !== undefined) return Math.max(0, error.retryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
