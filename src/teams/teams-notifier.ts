// Shows requests in Teams: posts the card into the requester's thread (its first line @mentions
// the approvers, so they are notified), re-renders it in place as the request changes,
// and posts milestones as thread replies that @mention the requester.
import { MessageFactory, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { Activity } from 'botbuilder';
import { isFinal } from '../core/model';
import type { Person, RevocationRequest } from '../core/model';
import type { Clock } from '../core/clock';
import type { Notifier, PersonalCardResult } from '../core/ports';
import { postPersonalCard } from './personal-card';
import { personalCopies } from '../core/card-copies';
import type { CardLocation } from '../core/model';
import type { AdaptiveCardJson } from './cards/render-request-card';
import { teamsThreadLink } from './thread-link';
import { proactiveTurn } from './proactive-turn';
import { inlinePlain } from './cards/plain-text';
import { ChannelAccounts } from './channel-accounts';
import { parseReference } from './conversation-reference';
import { cardMessage, mentioning, mentionsOf, type ApproverCall } from './mentions';
import { RequestCards, type CardAudience } from './request-cards';

/** Personal copies updated at once: Teams throttles a bot per conversation and overall. */
const COPIES_AT_ONCE = 4;

export class TeamsNotifier implements Notifier {
  private readonly cards: RequestCards;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    clock: Clock,
    audience?: CardAudience,
    /** Shared with the bot, so its per-person views name the same people as the thread's card. */
    private readonly accounts: ChannelAccounts = new ChannelAccounts(),
  ) {
    this.cards = new RequestCards(clock, audience, accounts);
  }

  async postRequestCard(request: RevocationRequest): Promise<string | undefined> {
    let activityId: string | undefined;
    await this.inThread(request, async (context) => {
      const response = await context.sendActivity(await this.threadCard(request, context));
      activityId = response?.id;
    });
    return activityId;
  }

  async updateCard(request: RevocationRequest): Promise<void> {
    const activityId = request.card.cardActivityId;
    if (!activityId) return;
    await this.inThread(request, async (context) => {
      const update = await this.threadCard(request, context);
      update.id = activityId;
      await context.updateActivity(update);
      // A final card names nobody for refresh; the conversation's ids are no longer needed.
      if (isFinal(request.status)) this.accounts.forget(context.activity.conversation.id);
    });
    await this.updatePersonalCopies(request);
  }

  /**
   * The thread's card and, while it awaits approvals, the line that @mentions the approvers, in
   * one message: one post per request instead of two, and the call stays next to the card it is
   * about. Once the request is decided the card alone says what happened.
   */
  private async threadCard(
    request: RevocationRequest,
    context: TurnContext,
  ): Promise<Partial<Activity>> {
    const card = await this.cards.forThread(request, context);
    if (request.status !== 'pending') return cardMessage(card);
    const others = (p: Person) => p.id.toLowerCase() !== request.requester.id.toLowerCase();
    const approvers = (await this.cards.approvers()).filter(others);
    if (approvers.length === 0) return cardMessage(card);
    const reachable = (await this.cards.reachableApprovers(request, context)).filter(others);
    return cardMessage(
      card,
      reachable.length > 0 ? approverCall(request, reachable) : nobodyToCall(request),
    );
  }

  async postPersonalCard(request: RevocationRequest, person: Person): Promise<PersonalCardResult> {
    return postPersonalCard(this.adapter, this.botAppId, request, person, () =>
      this.cards.forThread(request),
    );
  }

  /**
   * Every copy in a personal chat (the manager's, approvers', the escalation group's), a few at a
   * time. One copy that cannot be updated (the person uninstalled the app) does not stop the
   * others; the first failure is passed on once all were tried, so it is logged and counted.
   */
  private async updatePersonalCopies(request: RevocationRequest): Promise<void> {
    const copies = personalCopies(request).filter((copy) => copy.cardActivityId);
    if (copies.length === 0) return;
    const card = await this.cards.forThread(request);
    let failure: { error: unknown } | undefined;
    for (let i = 0; i < copies.length; i += COPIES_AT_ONCE) {
      const results = await Promise.allSettled(
        copies.slice(i, i + COPIES_AT_ONCE).map((copy) => this.replaceCard(copy, card)),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed && !failure) failure = { error: failed.reason };
    }
    if (failure) throw failure.error;
  }

  private async replaceCard(location: CardLocation, card: AdaptiveCardJson): Promise<void> {
    const activityId = location.cardActivityId;
    if (!activityId) return;
    const reference = parseReference(location.conversationReference);
    await proactiveTurn(this.adapter, this.botAppId, reference, async (context) => {
      const update = cardMessage(card);
      update.id = activityId;
      await context.updateActivity(update);
    });
  }

  /** A reminder or an escalation in the thread: each person @mentioned, so Teams notifies them. */
  async callPeople(
    request: RevocationRequest,
    people: readonly Person[],
    text: string,
  ): Promise<void> {
    await this.inThread(request, async (context) => {
      const addressable = await this.accounts.resolve(context, people);
      const byId = new Map(addressable.map((p) => [p.id.toLowerCase(), p]));
      // Those Teams cannot address here (not in the team) are still named, without a mention.
      const mentioned = people.map((p) => byId.get(p.id.toLowerCase()) ?? p);
      const { tags, entities } = mentionsOf(mentioned.filter((p) => p.channelAccountId));
      const unaddressed = mentioned
        .filter((p) => !p.channelAccountId)
        .map((p) => inlinePlain(p.name));
      const names = [...tags, ...unaddressed].join(', ');
      const message = MessageFactory.text(`${names}: ${inlinePlain(text)}`);
      message.entities = entities;
      await context.sendActivity(message);
    });
  }

  async postPersonalMessage(location: CardLocation, text: string): Promise<void> {
    const reference = parseReference(location.conversationReference);
    await proactiveTurn(this.adapter, this.botAppId, reference, async (context) => {
      await context.sendActivity(MessageFactory.text(inlinePlain(text)));
    });
  }

  cardLink(request: RevocationRequest): string | undefined {
    return teamsThreadLink(request.card.conversationReference);
  }

  async postMilestone(request: RevocationRequest, text: string): Promise<void> {
    await this.inThread(request, async (context) => {
      await context.sendActivity(mentioning(request.requester, text));
    });
  }

  private inThread(
    request: RevocationRequest,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const reference = parseReference(request.card.conversationReference);
    return proactiveTurn(this.adapter, this.botAppId, reference, logic);
  }
}

/** Teams notifies a person only when they are @mentioned: this line, the card's first, does it. */
function approverCall(request: RevocationRequest, approvers: readonly Person[]): ApproverCall {
  const { tags, entities } = mentionsOf(approvers);
  const needed = request.requiredApprovals;
  return {
    text: `${tags.join(', ')}: ${inlinePlain(request.requester.name)} asks to revoke all access of ${inlinePlain(request.target.displayName)}. ${needed} ${needed === 1 ? 'approval is' : 'approvals are'} needed.`,
    entities,
  };
}

/** Said plainly, so the requester knows to fetch approvers another way. */
function nobodyToCall(request: RevocationRequest): ApproverCall {
  const needed = request.requiredApprovals;
  return {
    text: `No approver could be notified here: add the approver group's members to this team. ${inlinePlain(request.requester.name)} asks to revoke all access of ${inlinePlain(request.target.displayName)}; ${needed} ${needed === 1 ? 'approval is' : 'approvals are'} needed.`,
    entities: [],
  };
}
