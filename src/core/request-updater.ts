// The compare-and-swap updater (versioned-updater.ts) for revocation requests.
import type { RevocationRequest } from './model';
import type { RequestStore } from './ports';
import {
  VersionedUpdater,
  type Change,
  type SaveHooks as DocumentSaveHooks,
} from './versioned-updater';

export type RequestChange = Change<RevocationRequest>;
export type SaveHooks = DocumentSaveHooks<RevocationRequest>;

export class RequestUpdater extends VersionedUpdater<RevocationRequest> {
  constructor(store: RequestStore, maxAttempts?: number) {
    super(store, 'Request', maxAttempts);
  }
}
