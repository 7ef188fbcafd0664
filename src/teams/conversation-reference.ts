// The conversation reference of a request's thread is stored as JSON and read back when the card
// must be updated, possibly by another process after a restart. Only the fields the connector
// needs are kept, and they are checked when read.
import type { ConversationReference } from 'botbuilder';

export function serialiseReference(reference: Partial<ConversationReference>): string {
  const { serviceUrl, channelId, conversation, bot, locale } = reference;
  if (!serviceUrl || !conversation?.id)
    throw new Error('The conversation reference has no service URL or conversation id.');
  return JSON.stringify({
    serviceUrl,
    channelId,
    locale,
    bot: bot ? { id: bot.id, name: bot.name } : undefined,
    conversation: {
      id: conversation.id,
      conversationType: conversation.conversationType,
      tenantId: conversation.tenantId,
      isGroup: conversation.isGroup,
    },
  });
}

export function parseReference(json: string): Partial<ConversationReference> {
  const value: unknown = JSON.parse(json);
  if (!isRecord(value) || typeof value.serviceUrl !== 'string' || !isRecord(value.conversation)) {
    throw new Error('Stored conversation reference is malformed.');
  }
  if (typeof value.conversation.id !== 'string')
    throw new Error('Stored conversation reference has no conversation id.');
  return value as Partial<ConversationReference>;
}

/** The conversation a thread belongs to, without the `;messageid=` that names the thread. */
export function conversationRoot(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether an activity's conversation is the one a request was made in (any thread of it). */
export function sameConversation(
  storedReference: string,
  conversationId: string | undefined,
): boolean {
  if (!conversationId) return false;
  const stored = parseReference(storedReference).conversation?.id;
  return stored !== undefined && conversationRoot(stored) === conversationRoot(conversationId);
}
