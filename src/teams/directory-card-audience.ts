// With a real tenant, the approvers to @mention and to name in the card's refresh block are the
// approver group's members, read from the directory. Who may approve is still checked against the
// directory at click time; this list only decides who is notified and sees their own view.
import type { Clock } from '../core/clock';
import type { Person } from '../core/model';
import type { EntraDirectory, Logger } from '../core/ports';
import type { CardAudience } from './request-cards';

/** Teams gives automatic per-person views to at most 60 user ids. */
export const MAX_APPROVERS = 60;

export interface DirectoryCardAudienceOptions {
  /** How long a listing is reused: groups change rarely, and cards render often. */
  ttlMs?: number;
  limit?: number;
}

export class DirectoryCardAudience implements CardAudience {
  private readonly ttlMs: number;
  private readonly limit: number;
  private cached: { at: number; people: Person[] } | undefined;
  private loading: Promise<Person[]> | undefined;

  constructor(
    private readonly directory: Pick<EntraDirectory, 'listGroupMembers'>,
    private readonly approverGroupId: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: DirectoryCardAudienceOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.limit = options.limit ?? MAX_APPROVERS;
  }

  approvers(): Promise<Person[]> {
    const cached = this.cached;
    if (cached && this.clock.now().getTime() - cached.at < this.ttlMs) {
      return Promise.resolve(cached.people);
    }
    // Cards render in bursts (post, then an update per approval): one listing serves them all.
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<Person[]> {
    const at = this.clock.now().getTime();
    try {
      const people = await this.directory.listGroupMembers(this.approverGroupId, this.limit);
      this.cached = { at, people };
      return people;
    } catch (error) {
      // A stale list notifies better than none; a failure is not cached, so the next render asks.
      this.logger.warn('approver group could not be listed', {
        groupId: this.approverGroupId,
        message: error instanceof Error ? error.message : String(error),
        stale: this.cached !== undefined,
      });
      return this.cached?.people ?? [];
    }
  }
}
