// Read-modify-write of a request with compare-and-swap: the first writer wins, the loser re-reads
// and applies its change to the fresh state. That is what makes two approvers clicking in the same
// millisecond count twice, and a final approval start exactly one run.
import type { RevocationRequest } from './model';
import type { RequestStore } from './ports';

/** Returns the next state, or undefined to leave the request as it is. */
export type RequestChange = (current: RevocationRequest) => RevocationRequest | undefined;

/**
 * For a change that counts only once its audit record exists: `beforeSave` writes the record
 * between deciding and saving, and when it throws nothing is saved. The record is written first
 * because the save cannot be taken back safely (another instance may already act on a request
 * the save made `running`). When the save then loses to another writer, `notSaved` says so in the
 * trail and the change is decided again on the fresh state.
 */
export interface SaveHooks {
  beforeSave(next: RevocationRequest): Promise<void>;
  notSaved(next: RevocationRequest): Promise<void>;
}

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
  async update(
    id: string,
    change: RequestChange,
    hooks?: SaveHooks,
  ): Promise<RevocationRequest | undefined> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const current = await this.store.get(id);
      if (!current) return undefined;
      const changed = change(current);
      if (!changed) return current;
      const next = { ...changed, version: current.version + 1 };
      await hooks?.beforeSave(next);
      if (await this.store.compareAndSwap(next, current.version)) return next;
      await hooks?.notSaved(next);
    }
    throw new ConcurrentUpdateError(id, this.maxAttempts);
  }
}
