import type { BatchRequest } from '../../src/core/batch/batch-model';
import type { BatchNotifier } from '../../src/core/batch/batch-ports';
import type { BatchProgress } from '../../src/core/batch/batch-progress';

/** Keeps every batch card state and thread message, in order. */
export class RecordingBatchNotifier implements BatchNotifier {
  readonly cards: { batch: BatchRequest; progress: BatchProgress }[] = [];
  readonly milestones: string[] = [];

  async postBatchCard(batch: BatchRequest, progress: BatchProgress): Promise<string> {
    this.cards.push({ batch: structuredClone(batch), progress: structuredClone(progress) });
    return `batch-card-${batch.id}`;
  }

  async updateBatchCard(batch: BatchRequest, progress: BatchProgress): Promise<void> {
    this.cards.push({ batch: structuredClone(batch), progress: structuredClone(progress) });
  }

  async postBatchMilestone(_batch: BatchRequest, text: string): Promise<void> {
    this.milestones.push(text);
  }
}
