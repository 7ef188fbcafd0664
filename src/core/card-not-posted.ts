// What Revoke says when a request's or a batch's approval card could not be posted. Both are
// cancelled at once (nobody could approve them, so nothing may linger pending until it expires);
// single requests and batches share these words so the two paths tell the requester the same.
import { RequestRefused } from './errors';

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
