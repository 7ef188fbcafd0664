// Where a request's card lives: the thread's copy, and the copies sent to people in personal chats
// (the target's manager, approvers, the escalation group). All are updated together, and a click
// counts only when it comes from one of them.
import type { CardLocation, RevocationRequest } from './model';

/** The copies in personal chats with the bot. */
export function personalCopies(request: RevocationRequest): CardLocation[] {
  return [...(request.managerCard ? [request.managerCard] : []), ...(request.personalCards ?? [])];
}

/** Every copy of the card: the thread's first. */
export function cardLocations(request: RevocationRequest): CardLocation[] {
  return [request.card, ...personalCopies(request)];
}
