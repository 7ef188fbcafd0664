// The request card as each audience gets it: the copy in the thread carries a `refresh` block
// naming the approvers and the requester, so Teams asks the bot for each of them for their own
// view; the bot answers those with renderFor. In the sandbox, every copy also offers "act as".
import type { Clock } from '../core/clock';
import { isFinal } from '../core/model';
import type { Person, RevocationRequest } from '../core/model';
import { renderRequestCard, type AdaptiveCardJson } from './cards/render-request-card';
import type { RequestCardAudience, SandboxActor } from './cards/render-request-card';

/** Who should see the card's per-person views, as far as the deployment knows them. */
export interface CardAudience {
  /** The approvers; empty when they cannot be listed. Never throws. */
  approvers(): Promise<Person[]>;
  /** Sandbox mode only: the demo people a newcomer may click as. */
  sandboxActors?(): Promise<SandboxActor[]>;
}

export class RequestCards {
  constructor(
    private readonly clock: Clock,
    private readonly audience: CardAudience | undefined,
  ) {}

  /** The copy posted in the thread (and each in-place update of it). */
  forThread(request: RevocationRequest): Promise<AdaptiveCardJson> {
    return this.renderFor(request, 'generic');
  }

  async renderFor(
    request: RevocationRequest,
    view: RequestCardAudience,
  ): Promise<AdaptiveCardJson> {
    const refreshUserIds = isFinal(request.status)
      ? []
      : refreshIds(request.requester, await this.approvers());
    const sandboxActors = (await this.audience?.sandboxActors?.()) ?? [];
    return renderRequestCard(request, {
      now: this.clock.now(),
      view,
      refreshUserIds: refreshUserIds.length > 0 ? refreshUserIds : undefined,
      sandboxActors,
    });
  }

  async approvers(): Promise<Person[]> {
    return (await this.audience?.approvers()) ?? [];
  }
}

/** The requester first, so the Teams limit of 60 never drops them; then approvers, once each. */
function refreshIds(requester: Person, approvers: readonly Person[]): string[] {
  const ids = [requester, ...approvers]
    .map((p) => p.channelAccountId)
    .filter((id): id is string => typeof id === 'string' && id.length > 0);
  return [...new Set(ids)];
}
