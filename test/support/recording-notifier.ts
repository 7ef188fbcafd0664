import type { RevocationRequest } from '../../src/core/model';
import type { Notifier } from '../../src/core/ports';

/** Keeps every card state and thread message the core asked to show, in order. */
export class RecordingNotifier implements Notifier {
  readonly cards: RevocationRequest[] = [];
  readonly milestones: { requestId: string; text: string }[] = [];
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

  lastCard(): RevocationRequest | undefined {
    return this.cards[this.cards.length - 1];
  }
}
