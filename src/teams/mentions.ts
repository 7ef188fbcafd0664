// @mentions: Teams notifies a person only when a message mentions them, with an `<at>` tag in the
// text and a matching mention entity. Display names are free text: they must not close the tag.
import { CardFactory, MessageFactory, type Activity, type Entity } from 'botbuilder';
import type { AdaptiveCardJson } from './cards/render-request-card';
import type { Person } from '../core/model';
import { inlinePlain } from './cards/plain-text';

export interface Mentions {
  /** One `<at>Name</at>` tag per person, in order. */
  tags: string[];
  entities: Entity[];
}

export function mentionsOf(people: readonly Person[]): Mentions {
  const entities: Entity[] = [];
  const tags = people.map((person) => {
    const tag = `<at>${person.name.replace(/[<>&]/g, '')}</at>`;
    // Teams accepts either the channel account id or the Entra object id here.
    entities.push({
      type: 'mention',
      text: tag,
      mentioned: { id: person.channelAccountId ?? person.id, name: person.name },
    });
    return tag;
  });
  return { tags, entities };
}

/** `text`, led by an @mention of `person` when Teams can address them. */
export function mentioning(person: Person, text: string): Partial<Activity> {
  // Thread messages carry names chosen by others (devices, apps, MFA labels, error texts): Teams
  // renders Markdown here, so the text is made inert before the mention is put in front.
  const inert = inlinePlain(text);
  if (!person.channelAccountId) return MessageFactory.text(inert);
  const { tags, entities } = mentionsOf([person]);
  const message = MessageFactory.text(`${tags.join('')} ${inert}`);
  message.entities = entities;
  return message;
}

/** The line that calls the approvers to a card, with its mention entities. */
export interface ApproverCall {
  text: string;
  entities: Entity[];
}

/**
 * A card as a message, led by `call` when there is one. The call is the card's first line and its
 * mentions are the card's own (`msteams.entities`): Teams notifies people @mentioned in a bot's
 * Adaptive Card as in a text message, and one attachment with no text is one message with one id
 * in every client (a text beside an attachment may be shown, and answered for, as two).
 */
export function cardMessage(card: AdaptiveCardJson, call?: ApproverCall): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(call ? withCall(card, call) : card));
}

/** The id of the card's first line while it calls the approvers. */
export const APPROVER_CALL_ID = 'approver-call';

function withCall(card: AdaptiveCardJson, call: ApproverCall): AdaptiveCardJson {
  const body = Array.isArray(card.body) ? (card.body as unknown[]) : [];
  const msteams = isObject(card.msteams) ? card.msteams : {};
  const line = { type: 'TextBlock', id: APPROVER_CALL_ID, text: call.text, wrap: true };
  return {
    ...card,
    body: [line, ...body],
    ...(call.entities.length > 0 ? { msteams: { ...msteams, entities: call.entities } } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
