// Read-modify-write of a versioned document (a request, a batch) with compare-and-swap: the first
// writer wins, the loser re-reads and applies its change to the fresh state. That is what makes two
// approvers clicking in the same millisecond count twice, and a final approval start exactly one run.

/** A document saved with a version that goes up by one on every save. */
export interface Versioned {
  id: string;
  version: number;
}

/** The two store operations the updater needs; the request and batch stores both offer them. */
export interface VersionedStore<T extends Versioned> {
  get(id: string): Promise<T | undefined>;
  /** Saves `next` only if the stored version is still `expectedVersion`; false when it was not. */
  compareAndSwap(next: T, expectedVersion: number): Promise<boolean>;
}

/** Returns the next state, or undefined to leave the document as it is. */
export type Change<T> = (current: T) => T | undefined;

/** The document after `apply`, and whether that call's change is the one saved. */
export interface Applied<T> {
  document: T | undefined;
  saved: boolean;
}

/**
 * For a change that counts only once its audit record exists: `beforeSave` writes the record
 * between deciding and saving, and when it throws nothing is saved. The record is written first
 * because the save cannot be taken back safely (another instance may already act on a request
 * the save made `running`). When the save then loses to another writer, `notSaved` says so in the
 * trail and the change is decided again on the fresh state.
 */
export interface SaveHooks<T> {
  beforeSave(next: T): Promise<void>;
  notSaved(next: T): Promise<void>;
}

export class ConcurrentUpdateError extends Error {
  constructor(what: string, id: string, attempts: number) {
    super(`${what} ${id} kept changing under us (${attempts} attempts); giving up.`);
    this.name = 'ConcurrentUpdateError';
  }
}

export class VersionedUpdater<T extends Versioned> {
  /** `what` names the document in the error when it keeps changing ("Request", "Batch"). */
  constructor(
    private readonly store: VersionedStore<T>,
    private readonly what: string,
    private readonly maxAttempts = 20,
  ) {}

  get(id: string): Promise<T | undefined> {
    return this.store.get(id);
  }

  /**
   * Applies `change` until it is saved. Resolves with the saved document, or with the current one
   * when `change` declined, or undefined when the document does not exist.
   */
  async update(id: string, change: Change<T>, hooks?: SaveHooks<T>): Promise<T | undefined> {
    return (await this.apply(id, change, hooks)).document;
  }

  /**
   * As `update`, starting from `known`: a copy this caller holds and believes current (one it has
   * just saved). The change is tried on it first; only when another writer got there first, or
   * when it declines, is the document read again and the change decided on what is stored. Saves
   * the read of a document nobody else has touched, and the compare-and-swap keeps it exact.
   */
  async updateFrom(known: T, change: Change<T>): Promise<T | undefined> {
    const changed = change(known);
    if (changed) {
      const next = { ...changed, version: known.version + 1 };
      if (await this.store.compareAndSwap(next, known.version)) return next;
    }
    return this.update(known.id, change);
  }

  /**
   * As `update`, and says whether this call saved it: a transition done once (an expiry, a batch
   * finishing) has its side effects only where `saved` is true, however many callers raced.
   */
  async apply(id: string, change: Change<T>, hooks?: SaveHooks<T>): Promise<Applied<T>> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const current = await this.store.get(id);
      if (!current) return { document: undefined, saved: false };
      const changed = change(current);
      if (!changed) return { document: current, saved: false };
      const next = { ...changed, version: current.version + 1 };
      await hooks?.beforeSave(next);
      if (await this.store.compareAndSwap(next, current.version)) {
        return { document: next, saved: true };
      }
      await hooks?.notSaved(next);
    }
    throw new ConcurrentUpdateError(this.what, id, this.maxAttempts);
  }
}
