// Teams addresses people by their channel account id (`29:…`), which the directory does not know:
// @mentions and a card's `refresh.userIds` need it. It is looked up in the request's conversation,
// once per person, and remembered for that conversation so every later render of the card names
// the same people.
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Person } from '../core/model';
import type { Logger } from '../core/ports';
import { silentLogger } from '../log';
import { conversationRoot } from './conversation-reference';

/** What the connector said of one person here: their account, or null when not a member. */
interface Answer {
  id: string;
  name?: string;
}

export interface ChannelAccountsOptions {
  logger?: Logger;
  /** Conversations remembered at once; the least recently used one is forgotten past this. */
  maxConversations?: number;
  /** Lookups in flight at once, to stay well under the connector's per-app rate limit. */
  concurrency?: number;
}

export class ChannelAccounts {
  private readonly logger: Logger;
  private readonly maxConversations: number;
  private readonly concurrency: number;
  /** conversation id → Entra object id (lower case) → the connector's answer. */
  private readonly conversations = new Map<string, Map<string, Answer | null>>();

  constructor(options: ChannelAccountsOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.maxConversations = options.maxConversations ?? 500;
    this.concurrency = options.concurrency ?? 4;
  }

  /**
   * Inside a turn of the request's conversation: looks up everyone not yet known there, and
   * returns those who can be addressed in it (people who already have an id are kept as they are).
   * A lookup that fails for another reason than "not a member" is tried again next time.
   */
  async resolve(context: TurnContext, people: readonly Person[]): Promise<Person[]> {
    const conversationId = context.activity.conversation?.id ?? '';
    const known = this.entry(conversationId);
    const missing = people.filter((p) => !p.channelAccountId && !known.has(key(p.id)));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < missing.length) {
        const person = missing[next++] as Person;
        const answer = await this.lookUp(context, person);
        if (answer !== undefined) known.set(key(person.id), answer);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, missing.length) }, worker));
    return this.recall(conversationId, people);
  }

  /** Outside a turn: the people addressable in the conversation as far as it has been looked up. */
  recall(conversationId: string, people: readonly Person[]): Person[] {
    const known = this.conversations.get(conversationId);
    return people.flatMap((person) => {
      if (person.channelAccountId) return [person];
      const answer = known?.get(key(person.id));
      if (!answer) return [];
      // Without User.Read.All Graph names nobody; Teams' own name reads better than an object id.
      const name = person.name === person.id && answer.name ? answer.name : person.name;
      return [{ ...person, name, channelAccountId: answer.id }];
    });
  }

  /** The request is over: its conversation need not be remembered. */
  forget(conversationId: string): void {
    this.conversations.delete(conversationId);
  }

  private entry(conversationId: string): Map<string, Answer | null> {
    const existing = this.conversations.get(conversationId);
    // Re-inserting keeps the map in least-recently-used order.
    if (existing) this.conversations.delete(conversationId);
    const entry = existing ?? new Map<string, Answer | null>();
    this.conversations.set(conversationId, entry);
    for (const oldest of this.conversations.keys()) {
      if (this.conversations.size <= this.maxConversations) break;
      this.conversations.delete(oldest);
    }
    return entry;
  }

  /** Undefined when the connector could not say (throttled, down): not remembered. */
  private async lookUp(context: TurnContext, person: Person): Promise<Answer | null | undefined> {
    // TeamsInfo.getMember would ask about the thread (`…;messageid=…`), which the connector does
    // not know as a conversation (ThreadNotFound); a proactive turn carries no team id to use
    // instead. The channel or chat the thread belongs to is what has members.
    const conversationId = conversationRoot(context.activity.conversation?.id ?? '');
    try {
      const member = await TeamsInfo.getTeamMember(context, conversationId, person.id);
      if (typeof member.id !== 'string' || member.id === '') return null;
      return { id: member.id, ...(member.name ? { name: member.name } : {}) };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      this.logger.warn('channel account lookup failed', {
        personId: person.id,
        status: statusOf(error),
        message: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }
}

function key(id: string): string {
  return id.toLowerCase();
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
