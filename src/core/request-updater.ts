// Read-modify-write of a request with compare-and-swap: the first writer wins, the loser re-reads
// and applies its change to the fresh state. That is what makes two approvers clicking in the same
// millisecond count twice, and a final approval start exactly one run.
import type { RevocationRequest } from './model';
import type { RequestStore } from './ports';

/** Returns the next state, or undefined to leave the request as it is. */
export type RequestChange = (current: RevocationRequest) => RevocationRequest | undefined;

export class ConcurrentUpdateError extends Error {
  constructor(requestId: string, attempts: number) {
    super(`Request ${requestId} kept changing under us (${attempts} attempts); giving up.`);
    this.name = 'ConcurrentUpdateError';
  }
}

export class RequestUpdater {
  constructor(
    private readonly store: RequestStore,
    private readonly maxAttempts = 20,
  ) {}

  get(id: string): Promise<RevocationRequest | undefined> {
    return this.store.get(id);
  }

  /**
   * Applies `change` until it is saved. Resolves with the saved request, or with the current one
   * when `change` declined, or undefined when the request does not exist.
   */
  async update(id: string, change: RequestChange): Promise<RevocationRequest | undefined> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const current = await this.store.get(id);
      if (!current) return undefined;
      const changed = change(current);
      if (!changed) return current;
      const next = { ...changed, version: current.version + 1 };
      if (await this.store.compareAndSwap(next, current.version)) return next;
    }
    throw new ConcurrentUpdateError(id, this.maxAttempts);
  }
}
