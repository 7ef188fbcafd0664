// What a click on a request's card asks for, where it came from, and what the clicker is told.
import { cardLocations } from './card-copies';
import type { ApprovalProof, RevocationRequest } from './model';

export type CardAction = 'approve' | 'reject' | 'retry';

export interface ActionResult {
  /** The request after the action (unchanged when refused). */
  request: RevocationRequest;
  /** What to tell the person who clicked. */
  message: string;
  accepted: boolean;
  /**
   * Only when the origin asked to answer first: what follows the accepted click (the card's
   * update in the thread, the thread message, the run's start), in that order, for the caller to
   * run once the clicker has their answer. Errors are logged inside; it never rejects.
   */
  afterwards?: () => Promise<void>;
}

/** Where a click came from: the card's activity id, so a click is bound to its own request. */
export interface ActionOrigin {
  cardActivityId?: string;
  /** The clicker's fresh MFA sign-in, checked by the Teams edge (APPROVAL_STEP_UP). */
  proof?: ApprovalProof;
  /**
   * The caller answers the clicker as soon as the decision is audited and saved, and runs
   * `ActionResult.afterwards` itself; without it, that work is done before the result returns.
   */
  answerFirst?: boolean;
}

/**
 * Whether the click came from a card other than the request's own: the thread's, and its copies
 * in personal chats (the manager's, approvers', the escalation group's). The Teams edge already refuses every click that does not carry
 * its card's activity id; here a click with no card id (a caller other than Teams) is not bound.
 */
export function isForeignCard(request: RevocationRequest, origin: ActionOrigin): boolean {
  const ownCards = cardLocations(request).map((location) => location.cardActivityId);
  return Boolean(
    origin.cardActivityId &&
    request.card.cardActivityId &&
    !ownCards.includes(origin.cardActivityId),
  );
}

export function accepted(request: RevocationRequest, message: string): ActionResult {
  return { request, message, accepted: true };
}

export function refused(request: RevocationRequest, message: string): ActionResult {
  return { request, message, accepted: false };
}
