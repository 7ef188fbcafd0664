// What the batch use cases need from the outside: durable batches (same compare-and-swap contract
// as requests) and a card in Teams.
import type { RevocationRequest } from '../model';
import type { BatchLoad } from './batch-load';
import type { BatchRequest, BatchStatus } from './batch-model';
import type { BatchProgress } from './batch-progress';

export interface BatchStore {
  /** Saves a new batch (version 1). Fails if the id exists. */
  createBatch(batch: BatchRequest): Promise<void>;
  getBatch(id: string): Promise<BatchRequest | undefined>;
  /** Saves `next` (version `expectedVersion + 1`) only if the stored version is `expectedVersion`. */
  compareAndSwapBatch(next: BatchRequest, expectedVersion: number): Promise<boolean>;
  listBatchesByStatus(statuses: BatchStatus[]): Promise<BatchRequest[]>;
  /** The children of a batch (requests whose `batchId` is `batchId`), in creation order. */
  listChildren(batchId: string): Promise<RevocationRequest[]>;
  /**
   * The running batches' saved loads and member counts, all the ETA needs of them. Optional: a
   * store without it is read through `listBatchesByStatus` (whole rows, members included).
   */
  listRunningLoads?(): Promise<RunningBatchLoad[]>;
}

export interface RunningBatchLoad {
  id: string;
  members: number;
  load?: BatchLoad;
}

/** The batch's one card and its thread. */
export interface BatchNotifier {
  /** Posts the approval card; returns the card's activity id. */
  postBatchCard(batch: BatchRequest, progress: BatchProgress): Promise<string | undefined>;
  /** Re-renders the card in place. */
  updateBatchCard(batch: BatchRequest, progress: BatchProgress): Promise<void>;
  /** A short thread message @mentioning the requester. */
  postBatchMilestone(batch: BatchRequest, text: string): Promise<void>;
}
