// The request card as each audience gets it: the copy in the thread carries a `refresh` block
// naming the approvers and the requester, so Teams asks the bot for each of them for their own
// view; the bot answers those with renderFor. In the sandbox, every copy also offers "act as".
import type { TurnContext } from 'botbuilder';
import type { Clock } from '../core/clock';
import { isFinal } from '../core/model';
import type { Person, RevocationRequest } from '../core/model';
import { renderRequestCard, type AdaptiveCardJson } from './cards/render-request-card';
import type { RequestCardAudience, SandboxActor } from './cards/render-request-card';
import type { ChannelAccounts } from './channel-accounts';
import { parseReference } from './conversation-reference';

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
    /** Where approvers without a channel account id get one; without it they are left out. */
    private readonly accounts?: ChannelAccounts,
  ) {}

  /** The copy posted in the thread (and each in-place update of it). */
  forThread(request: RevocationRequest, context?: TurnContext): Promise<AdaptiveCardJson> {
    return this.renderFor(request, 'generic', context);
  }

  /** `context`, when given, is a turn in the request's conversation: unknown ids are looked up. */
  async renderFor(
    request: RevocationRequest,
    view: RequestCardAudience,
    context?: TurnContext,
  ): Promise<AdaptiveCardJson> {
    const refreshUserIds = isFinal(request.status)
      ? []
      : refreshIds(request.requester, await this.reachableApprovers(request, context));
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

  /** The approvers Teams can address in the request's conversation, with their channel ids. */
  async reachableApprovers(request: RevocationRequest, context?: TurnContext): Promise<Person[]> {
    const approvers = await this.approvers();
    if (!this.accounts) return approvers.filter((p) => p.channelAccountId);
    if (context) return this.accounts.resolve(context, approvers);
    const conversationId = conversationOf(request);
    return conversationId ? this.accounts.recall(conversationId, approvers) : [];
  }
}

function conversationOf(request: RevocationRequest): string | undefined {
  try {
    return parseReference(request.card.conversationReference).conversation?.id;
  } catch {
    return undefined;
  }
}

/** The requester first, so the Teams limit of 60 never drops them; then approvers, once each. */
function refreshIds(requester: Person, approvers: readonly Person[]): string[] {
  const ids = [requester, ...approvers]
    .map((p) => p.channelAccountId)
    .filter((id): id is string => typeof id === 'string' && id.length > 0);
  return [...new Set(ids)];
}
