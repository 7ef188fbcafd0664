// The people of the sandbox tenant as the Teams edge needs them: who approves (for @mentions and
// per-person card views) and who a newcomer may click as. Only built in sandbox mode; nothing
// like it exists with a real tenant, which is what keeps "act as" out of production.
import type { Person } from '../core/model';
import type { SandboxActor } from './cards/render-request-card';
import type { CardAudience } from './request-cards';

export interface SandboxCastSource {
  people: readonly Person[];
  /** Transitive membership of the approver group (the sandbox directory answers it). */
  isApprover(personId: string): Promise<boolean>;
}

export class SandboxCast implements CardAudience {
  private cast: Promise<SandboxActor[]> | undefined;

  constructor(private readonly source: SandboxCastSource) {}

  /** A sandbox person by object id, to act as; undefined for anyone else. */
  find(personId: string): Person | undefined {
    const id = personId.toLowerCase();
    return this.source.people.find((p) => p.id.toLowerCase() === id);
  }

  async approvers(): Promise<Person[]> {
    const actors = await this.sandboxActors();
    return actors
      .filter((a) => a.isApprover)
      .map((a) => this.find(a.id))
      .filter((p): p is Person => p !== undefined);
  }

  /** People who can be addressed in Teams (they have a channel account), approvers first. */
  sandboxActors(): Promise<SandboxActor[]> {
    // The sandbox's groups never change while it runs: ask once. A failure is not cached.
    this.cast ??= this.load().catch(() => {
      this.cast = undefined;
      return [];
    });
    return this.cast;
  }

  private async load(): Promise<SandboxActor[]> {
    const people = this.source.people.filter((p) => p.channelAccountId);
    const actors = await Promise.all(
      people.map(async (p) => ({
        id: p.id,
        name: p.name,
        isApprover: await this.source.isApprover(p.id),
      })),
    );
    return [...actors.filter((a) => a.isApprover), ...actors.filter((a) => !a.isApprover)];
  }
}
