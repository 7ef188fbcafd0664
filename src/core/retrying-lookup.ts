// Directory look-ups made while a person waits for the answer (a request, a click, a batch): retried
// like every directory call, but with a shorter deadline than the engine's.
import type { Clock } from './clock';
import type { Metrics } from './ports';
import { withRetry, type RetryPolicy } from './retry';

export type RetryingLookup = <T>(operation: () => Promise<T>) => Promise<T>;

/** `metrics`, when given, counts each retry as a 'lookup' retry. */
export function retryingLookup(
  clock: Clock,
  retryPolicy: Partial<RetryPolicy> | undefined,
  metrics?: Metrics,
): RetryingLookup {
  return (operation) =>
    withRetry(operation, {
      clock,
      // A person is waiting for the answer: give up sooner than the engine does.
      policy: { deadlineMs: 10_000, maxAttempts: 3, ...retryPolicy },
      onRetry: metrics
        ? ({ error }) =>
            metrics.retried('lookup', error.kind === 'throttled' ? 'throttled' : 'transient')
        : undefined,
    });
}
