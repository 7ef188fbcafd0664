// Proactive messaging: starts (or reopens) the personal chat between the bot and one person and
// posts the request card there. Teams only lets a bot open a chat with someone who has the app
// installed; the connector answers 403 or 404 otherwise, which is said in words, not thrown.
import {
  CardFactory,
  MessageFactory,
  TurnContext,
  type CloudAdapter,
  type ConversationParameters,
} from 'botbuilder';
import type { Person, RevocationRequest } from '../core/model';
import type { PersonalCardResult } from '../core/ports';
import type { AdaptiveCardJson } from './cards/render-request-card';
import { parseReference, serialiseReference } from './conversation-reference';

// The audience of the Bot Framework channel's tokens (AuthenticationConstants).
const CHANNEL_AUDIENCE = 'https://api.botframework.com';

export async function postPersonalCard(
  adapter: CloudAdapter,
  botAppId: string,
  request: RevocationRequest,
  person: Person,
  render: () => Promise<AdaptiveCardJson>,
): Promise<PersonalCardResult> {
  // The thread's reference says where the connector is and which tenant the chat belongs to.
  const thread = parseReference(request.card.conversationReference);
  const tenantId = thread.conversation?.tenantId;
  if (!thread.serviceUrl || !tenantId)
    return { unreachable: 'the thread does not say which tenant it belongs to' };
  const parameters: ConversationParameters = {
    isGroup: false,
    bot: { id: thread.bot?.id ?? botAppId, name: thread.bot?.name ?? 'Revoke' },
    // Teams takes the Entra object id for a person the bot has not talked to yet.
    members: [{ id: person.id, name: person.name }],
    tenantId,
    channelData: { tenant: { id: tenantId } },
  } as ConversationParameters;
  let result: PersonalCardResult = { unreachable: 'the personal chat could not be opened' };
  try {
    await adapter.createConversationAsync(
      botAppId,
      thread.channelId ?? 'msteams',
      thread.serviceUrl,
      CHANNEL_AUDIENCE,
      parameters,
      async (context) => {
        const reference = TurnContext.getConversationReference(context.activity);
        const sent = await context.sendActivity(
          MessageFactory.attachment(CardFactory.adaptiveCard(await render())),
        );
        result = {
          location: {
            conversationReference: serialiseReference({
              ...reference,
              conversation: { ...reference.conversation, conversationType: 'personal', tenantId },
            } as typeof reference),
            cardActivityId: sent?.id,
          },
        };
      },
    );
  } catch (error) {
    return { unreachable: describeConnectorError(error) };
  }
  return result;
}

function describeConnectorError(error: unknown): string {
  const status = (error as { statusCode?: unknown }).statusCode;
  if (status === 403 || status === 404)
    return `Teams answered ${status}: the Revoke app is probably not installed for them`;
  if (typeof status === 'number') return `Teams answered ${status}`;
  return error instanceof Error ? error.message : String(error);
}
