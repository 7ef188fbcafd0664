// @mentions: Teams notifies a person only when a message mentions them, with an `<at>` tag in the
// text and a matching mention entity. Display names are free text: they must not close the tag.
import { MessageFactory, type Activity, type Entity } from 'botbuilder';
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
