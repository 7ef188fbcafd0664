// Builders for the activities Teams sends a bot, shaped as documented for channel posts and
// Universal Actions (see the Bot Framework and Teams docs).
import type { Person } from '../../src/core/model';

export const BOT = { id: '28:revoke-bot', name: 'Revoke' };
/** The bundled sandbox tenant's id: in sandbox mode the bot answers only in that tenant. */
export const TENANT_ID = '23c74162-706a-4cde-a310-c1f97bc2fed7';
export const CHANNEL_CONVERSATION = '19:soc-incidents@thread.tacv2';

let sequence = 0;

export interface ChannelContext {
  serviceUrl: string;
  /** The id of the thread's root message. */
  threadId?: string;
}

export function channelMessage(
  from: Person,
  text: string,
  ctx: ChannelContext,
): Record<string, unknown> {
  const id = `msg-${++sequence}`;
  const thread = ctx.threadId ?? id;
  const mention = `<at>${BOT.name}</at>`;
  return {
    type: 'message',
    id,
    channelId: 'msteams',
    serviceUrl: ctx.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: from.channelAccountId ?? `29:${from.id}`, name: from.name, aadObjectId: from.id },
    recipient: BOT,
    conversation: {
      id: `${CHANNEL_CONVERSATION};messageid=${thread}`,
      conversationType: 'channel',
      isGroup: true,
      tenantId: TENANT_ID,
    },
    text: `${mention} ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: mention, mentioned: BOT }],
    channelData: {
      tenant: { id: TENANT_ID },
      team: { id: '19:team@thread.tacv2' },
      channel: { id: CHANNEL_CONVERSATION },
    },
  };
}

export function cardAction(
  from: Person,
  verb: string,
  data: unknown,
  ctx: ChannelContext & { cardActivityId?: string },
): Record<string, unknown> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `invoke-${++sequence}`,
    channelId: 'msteams',
    serviceUrl: ctx.serviceUrl,
    from: { id: from.channelAccountId ?? `29:${from.id}`, name: from.name, aadObjectId: from.id },
    recipient: BOT,
    replyToId: ctx.cardActivityId,
    conversation: {
      id: `${CHANNEL_CONVERSATION};messageid=${ctx.threadId ?? 'root'}`,
      conversationType: 'channel',
      isGroup: true,
      tenantId: TENANT_ID,
    },
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

/**
 * A file a person attached to a channel message, as Teams hands it to a bot: a SharePoint link
 * for people and, for the bot, a short-lived pre-authenticated `downloadUrl`.
 */
export function fileAttachment(name: string, downloadUrl: string): Record<string, unknown> {
  return {
    contentType: 'application/vnd.microsoft.teams.file.download.info',
    contentUrl: `https://contoso.sharepoint.com/sites/soc/Shared%20Documents/${encodeURIComponent(name)}`,
    name,
    content: { downloadUrl, uniqueId: `file-${++sequence}`, fileType: name.split('.').pop() },
  };
}
