// Shows requests in Teams: posts the card into the requester's thread, re-renders it in place as
// the request changes, and posts milestones as thread replies that @mention the requester.
import { CardFactory, MessageFactory, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { RevocationRequest } from '../core/model';
import type { Clock } from '../core/clock';
import type { Notifier } from '../core/ports';
import { renderRequestCard } from './cards/render-request-card';
import { parseReference } from './conversation-reference';

export class TeamsNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly clock: Clock,
  ) {}

  async postRequestCard(request: RevocationRequest): Promise<string | undefined> {
    let activityId: string | undefined;
    await this.inThread(request, async (context) => {
      const card = renderRequestCard(request, { now: this.clock.now() });
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
      const card = renderRequestCard(request, { now: this.clock.now() });
      const update = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      update.id = activityId;
      await context.updateActivity(update);
    });
  }

  async postMilestone(request: RevocationRequest, text: string): Promise<void> {
    await this.inThread(request, async (context) => {
      const requester = request.requester;
      const message = MessageFactory.text(text);
      if (requester.channelAccountId) {
        const mention = `<at>${escapeMentionName(requester.name)}</at>`;
        message.text = `${mention} ${text}`;
        message.entities = [
          {
            type: 'mention',
            text: mention,
            mentioned: { id: requester.channelAccountId, name: requester.name },
          },
        ];
      }
      await context.sendActivity(message);
    });
  }

  private inThread(
    request: RevocationRequest,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const reference = parseReference(request.card.conversationReference);
    return this.adapter.continueConversationAsync(this.botAppId, reference, logic);
  }
}

// A display name is free text: keep it from closing the <at> tag or adding markup.
function escapeMentionName(name: string): string {
  return name.replace(/[<>&]/g, '');
}
