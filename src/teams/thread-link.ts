// A link that opens a request's thread in Teams, for a page: on-call taps it on their phone and
// lands on the card. Teams' deep link to a channel message names the channel and the thread's
// root message, both of which are in the conversation id of a thread ("19:…@thread.tacv2;
// messageid=1700000000000").
import { parseReference } from './conversation-reference';

export function teamsThreadLink(conversationReference: string): string | undefined {
  let id: string | undefined;
  let tenantId: string | undefined;
  try {
    const reference = parseReference(conversationReference);
    id = reference.conversation?.id;
    tenantId = reference.conversation?.tenantId;
  } catch {
    return undefined;
  }
  const match = /^(19:[^;]+);messageid=(\d+)$/.exec(id ?? '');
  if (!match) return undefined;
  const [, channelId = '', messageId = ''] = match;
  const query = new URLSearchParams({ parentMessageId: messageId });
  if (tenantId) query.set('tenantId', tenantId);
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${messageId}?${query.toString()}`;
}
