// A mass revocation (`users …`): one approval for many targets. The batch holds the approvals and
// the card; each target is an ordinary RevocationRequest (a child, linked by `batchId`) that the
// engine runs, leases and resumes like any other.
import type { BatchLoad } from './batch-load';
import type {
  Approval,
  Cancellation,
  CardLocation,
  LapsedApproval,
  Person,
  Rejection,
  RequestStatus,
} from '../model';

/** A batch moves through the same states as each of its requests. */
export type BatchStatus = RequestStatus;

/** One target of the batch, as looked up when the batch was asked for. */
export interface BatchMember {
  requestId: string;
  targetId: string;
  userPrincipalName: string;
  displayName: string;
  deviceCount: number;
  /** Names of the privileged directory roles the target held. */
  privilegedRoles?: string[];
}

export type SkipReason = 'unknown_user' | 'protected_target' | 'lookup_failed' | 'duplicate_target';

/** An entry of the list that does not become a child, and why; shown on the card. */
export interface SkippedEntry {
  entry: string;
  reason: SkipReason;
}

export interface BatchRequest {
  id: string;
  /** Bumped on every write; writes are compare-and-swap on it. */
  version: number;
  status: BatchStatus;
  reason: string;
  requester: Person;
  createdAt: string;
  expiresAt: string;
  requiredApprovals: number;
  approvals: Approval[];
  /** Approvals that no longer counted when the final approval re-checked them. */
  lapsedApprovals?: LapsedApproval[];
  rejection?: Rejection;
  /** Why Revoke withdrew the batch (status `cancelled`); its children carry the same. */
  cancellation?: Cancellation;
  members: BatchMember[];
  skipped: SkippedEntry[];
  /** Entries of the command or file that were not addresses at all. */
  malformed: string[];
  runStartedAt?: string;
  finishedAt?: string;
  card: CardLocation;
  /** Times "Retry failed" was used; shown so approvers see a batch went round again. */
  retries: number;
  /**
   * While it runs: its work left and recent pace, saved at each card refresh so the other running
   * batches (on any instance) can estimate their time left from it without listing its children.
   */
  load?: BatchLoad;
}

const FINAL: readonly BatchStatus[] = [
  'completed',
  'completed_with_failures',
  'rejected',
  'expired',
  'cancelled',
];

export function isBatchFinal(status: BatchStatus): boolean {
  return FINAL.includes(status);
}

export const BATCH_ID = /^B-[0-9A-HJKMNP-TV-Z]{8}$/;

export function isBatchId(value: string): boolean {
  return BATCH_ID.test(value);
}
