// Shows requests in Teams: posts the card into the requester's thread (just after a message that
// @mentions the approvers, so they are notified), re-renders it in place as the request changes,
// and posts milestones as thread replies that @mention the requester.
import { CardFactory, MessageFactory, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { Activity } from 'botbuilder';
import { isFinal } from '../core/model';
import type { Person, RevocationRequest } from '../core/model';
import type { Clock } from '../core/clock';
import type { Notifier, PersonalCardResult } from '../core/ports';
import { postPersonalCard } from './personal-card';
import { proactiveTurn } from './proactive-turn';
import { inlinePlain } from './cards/plain-text';
import { ChannelAccounts } from './channel-accounts';
import { parseReference } from './conversation-reference';
import { mentioning, mentionsOf } from './mentions';
import { RequestCards, type CardAudience } from './request-cards';

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
      const others = (p: Person) => p.id.toLowerCase() !== request.requester.id.toLowerCase();
      const approvers = (await this.cards.approvers()).filter(others);
      if (approvers.length > 0) {
        const reachable = (await this.cards.reachableApprovers(request, context)).filter(others);
        await context.sendActivity(
          reachable.length > 0 ? approverCall(request, reachable) : nobodyToCall(request),
        );
      }
      const card = await this.cards.forThread(request, context);
      const response = await context.sendActivity(
        MessageFactory.attachment(CardFactory.adaptiveCard(card)),
      );
      activityId = response?.id;
    });
    return activityId;
  }

  async updateCard(request: RevocationRequest): Promise<void> {
    const activityId = request.card.cardActivityId;
    if (!activityId) return;
    await this.inThread(request, async (context) => {
      const card = await this.cards.forThread(request, context);
      const update = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      update.id = activityId;
      await context.updateActivity(update);
      // A final card names nobody for refresh; the conversation's ids are no longer needed.
      if (isFinal(request.status)) this.accounts.forget(context.activity.conversation.id);
    });
    await this.updateManagerCard(request);
  }

  async postPersonalCard(request: RevocationRequest, person: Person): Promise<PersonalCardResult> {
    return postPersonalCard(this.adapter, this.botAppId, request, person, () =>
      this.cards.forThread(request),
    );
  }

  private async updateManagerCard(request: RevocationRequest): Promise<void> {
    const location = request.managerCard;
    if (!location?.cardActivityId) return;
    const activityId = location.cardActivityId;
    const reference = parseReference(location.conversationReference);
    await proactiveTurn(this.adapter, this.botAppId, reference, async (context) => {
      const update = MessageFactory.attachment(
        CardFactory.adaptiveCard(await this.cards.forThread(request)),
      );
      update.id = activityId;
      await context.updateActivity(update);
    });
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

/** Teams notifies a person only when a message @mentions them; the card alone does not. */
function approverCall(request: RevocationRequest, approvers: readonly Person[]): Partial<Activity> {
  const { tags, entities } = mentionsOf(approvers);
  const needed = request.requiredApprovals;
  const message = MessageFactory.text(
    `${tags.join(', ')}: ${inlinePlain(request.requester.name)} asks to revoke all access of ${inlinePlain(request.target.displayName)}. ${needed} ${needed === 1 ? 'approval is' : 'approvals are'} needed: see the card below.`,
  );
  message.entities = entities;
  return message;
}

/** Said plainly, so the requester knows to fetch approvers another way. */
function nobodyToCall(request: RevocationRequest): Partial<Activity> {
  const needed = request.requiredApprovals;
  return MessageFactory.text(
    `No approver could be notified here: add the approver group's members to this team. ${inlinePlain(request.requester.name)} asks to revoke all access of ${inlinePlain(request.target.displayName)}; ${needed} ${needed === 1 ? 'approval is' : 'approvals are'} needed: see the card below.`,
  );
}
