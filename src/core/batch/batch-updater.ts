// Read-modify-write of a batch with compare-and-swap, as RequestUpdater does for requests: two
// approvers clicking at once both count, and the final approval starts the children once.
import type { BatchRequest } from './batch-model';
import type { BatchStore } from './batch-ports';

/** As SaveHooks for requests: the audit record first, and the save only if it was written. */
export interface BatchSaveHooks {
  beforeSave(next: BatchRequest): Promise<void>;
  notSaved(next: BatchRequest): Promise<void>;
}

export class BatchUpdater {
  constructor(
    private readonly store: BatchStore,
    private readonly maxAttempts = 20,
  ) {}

  /**
   * Resolves with the saved batch, the current one when `change` declined, or undefined. With
   * `hooks`, the change's audit record is written before it is saved (see RequestUpdater).
   */
  async update(
    id: string,
    change: (current: BatchRequest) => BatchRequest | undefined,
    hooks?: BatchSaveHooks,
  ): Promise<BatchRequest | undefined> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const current = await this.store.getBatch(id);
      if (!current) return undefined;
      const changed = change(current);
      if (!changed) return current;
      const next = { ...changed, version: current.version + 1 };
      await hooks?.beforeSave(next);
      if (await this.store.compareAndSwapBatch(next, current.version)) return next;
      await hooks?.notSaved(next);
    }
    throw new Error(
      `Batch ${id} kept changing under us (${this.maxAttempts} attempts); giving up.`,
    );
  }
}
