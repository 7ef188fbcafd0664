import type { CardLocation, Person, RevocationRequest } from '../../src/core/model';
import type { Notifier, PersonalCardResult } from '../../src/core/ports';

/** Keeps every card state and thread message the core asked to show, in order. */
export class RecordingNotifier implements Notifier {
  readonly cards: RevocationRequest[] = [];
  readonly milestones: { requestId: string; text: string }[] = [];
  /** Personal chats the card was sent to, by person id. */
  readonly personalCards: { requestId: string; personId: string }[] = [];
  /** Thread messages that @mention people (reminders, escalations). */
  readonly calls: { requestId: string; people: string[]; text: string }[] = [];
  /** Messages in personal chats, by the chat's card location. */
  readonly personalMessages: { conversationReference: string; text: string }[] = [];
  /** Object ids of people for whom the app is not installed: their personal chat cannot be opened. */
  readonly notInstalledFor = new Set<string>();
  private nextActivity = 1;
  failUpdates = false;

  async postRequestCard(request: RevocationRequest): Promise<string> {
    this.cards.push(structuredClone(request));
    return `activity-${this.nextActivity++}`;
  }

  async updateCard(request: RevocationRequest): Promise<void> {
    if (this.failUpdates) throw new Error('connector unavailable');
    this.cards.push(structuredClone(request));
  }

  async postMilestone(request: RevocationRequest, text: string): Promise<void> {
    this.milestones.push({ requestId: request.id, text });
  }

  async postPersonalCard(request: RevocationRequest, person: Person): Promise<PersonalCardResult> {
    if (this.notInstalledFor.has(person.id))
      return {
        unreachable: 'Teams answered 403: the Revoke app is probably not installed for them',
      };
    this.personalCards.push({ requestId: request.id, personId: person.id });
    return {
      location: {
        conversationReference: JSON.stringify({ personal: person.id }),
        cardActivityId: `activity-${this.nextActivity++}`,
      },
    };
  }

  async callPeople(request: RevocationRequest, people: readonly Person[], text: string) {
    this.calls.push({ requestId: request.id, people: people.map((p) => p.id), text });
  }

  async postPersonalMessage(location: CardLocation, text: string): Promise<void> {
    this.personalMessages.push({ conversationReference: location.conversationReference, text });
  }

  cardLink(request: RevocationRequest): string {
    return `https://teams.example/thread/${request.id}`;
  }

  lastCard(): RevocationRequest | undefined {
    return this.cards[this.cards.length - 1];
  }
}
