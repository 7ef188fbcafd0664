// What Revoke says when a request's or a batch's approval card could not be posted. Both are
// cancelled at once (nobody could approve them, so nothing may linger pending until it expires);
// single requests and batches share these words so the two paths tell the requester the same.
import type { Clock } from './clock';
import { describeError, RequestRefused } from './errors';
import type { Cancellation } from './model';
import type { Logger } from './ports';
import type { Versioned, VersionedUpdater } from './versioned-updater';

/** The cancellation reason saved on the request or batch, shown by `status`, and audited. */
export const CARD_NOT_POSTED_REASON = 'its card could not be posted in Teams';

/**
 * The refusal the requester gets. `cancelled` false means the cancellation itself could not be
 * saved: the item then expires unapproved, and the reply must not claim it was cancelled. The
 * connector's own error is kept as the cause for the log, never shown.
 */
export function cardNotPosted(
  what: 'request' | 'batch',
  id: string,
  cancelled: boolean,
  postError: unknown,
): RequestRefused {
  const happened = cancelled
    ? `, so nobody could approve it: the ${what} is cancelled and nothing was changed.`
    : `, and could not cancel the ${what} either: nobody can approve it, and it expires unapproved. Nothing was changed.`;
  return new RequestRefused(
    'card_not_posted',
    `I could not post the approval card for ${what} ${id}${happened} Try again in a minute; the operators have the details in the log.`,
    { cause: postError },
  );
}

/** A request or a batch: what cancelling one for an unposted card changes. */
interface Cancellable extends Versioned {
  status: string;
  cancellation?: Cancellation;
  finishedAt?: string;
}

/**
 * Cancels a still-pending request or batch whose card could not be posted. Returns it cancelled,
 * or undefined when it could not be (no longer pending, or the store failed: then it expires
 * unapproved). Every failure is logged with the connector's own error, which is never shown.
 */
export async function cancelForUnpostedCard<T extends Cancellable>(
  updater: VersionedUpdater<T>,
  what: 'request' | 'batch',
  item: T,
  postError: unknown,
  deps: { clock: Clock; logger: Logger },
): Promise<T | undefined> {
  const ids = what === 'batch' ? { batchId: item.id } : { requestId: item.id };
  deps.logger.error(`${what} card not posted; cancelling the ${what}`, {
    ...ids,
    error: describeError(postError),
  });
  const now = deps.clock.now().toISOString();
  try {
    const cancelled = await updater.update(item.id, (current) =>
      current.status === 'pending'
        ? {
            ...current,
            status: 'cancelled',
            cancellation: { reason: CARD_NOT_POSTED_REASON, at: now },
            finishedAt: now,
          }
        : undefined,
    );
    return cancelled?.status === 'cancelled' ? cancelled : undefined;
  } catch (error) {
    deps.logger.error(`could not cancel the ${what} whose card was not posted`, {
      ...ids,
      error: describeError(error),
    });
    return undefined;
  }
}
