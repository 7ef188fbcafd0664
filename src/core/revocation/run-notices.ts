// The card and thread updates of a run. A card or thread update that fails must never fail the
// revocation itself.
import type { RevocationRequest } from '../model';
import type { Logger, Metrics, Notifier } from '../ports';
import { errorFields } from './error-fields';

export class RunNotices {
  constructor(
    private readonly notifier: Notifier,
    private readonly metrics: Metrics,
  ) {}

  async refreshCard(request: RevocationRequest, log: Logger): Promise<void> {
    try {
      await this.notifier.updateCard(request);
    } catch (error) {
      log.warn('card update failed', { error: errorFields(error) });
      this.metrics.cardUpdateFailed();
    }
  }

  async milestone(request: RevocationRequest, text: string, log: Logger): Promise<void> {
    try {
      await this.notifier.postMilestone(request, text);
    } catch (error) {
      log.warn('thread message failed', { error: errorFields(error) });
    }
  }
}
