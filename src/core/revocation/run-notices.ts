// The card and thread updates of a run. A card or thread update that fails must never fail the
// revocation itself.
//
// Every step save changes the card, and one user with 25 devices makes about a hundred saves:
// with a card interval, a run's card is updated at most once per interval and never twice at
// once, showing the newest saved state (Teams allows about 1,800 operations per thread per hour).
// The run's last state (finished, paused for shutdown, lease lost) is sent at once.
import type { RevocationRequest } from '../model';
import type { Logger, Metrics, Notifier } from '../ports';
import { SYSTEM_TIMERS, UpdateCoalescer, type Timers } from '../batch/update-coalescer';
import { errorFields } from './error-fields';

export interface CardPacing {
  /** At most one card update per request per this many ms; 0: every saved state is shown. */
  intervalMs: number;
  now: () => number;
  timers?: Timers;
}

interface LatestCard {
  request: RevocationRequest;
  log: Logger;
  /** Whether this state has been handed to the notifier already. */
  sent: boolean;
}

export class RunNotices {
  private readonly coalescer: UpdateCoalescer | undefined;
  /** The newest saved state of each paced run whose card may still need it. */
  private readonly latest = new Map<string, LatestCard>();

  constructor(
    private readonly notifier: Notifier,
    private readonly metrics: Metrics,
    pacing?: CardPacing,
  ) {
    this.coalescer =
      pacing && pacing.intervalMs > 0
        ? new UpdateCoalescer(pacing.intervalMs, pacing.now, pacing.timers ?? SYSTEM_TIMERS, (id) =>
            this.sendLatest(id),
          )
        : undefined;
  }

  /** A saved state of the run: shown now, or (paced) folded into the next update. */
  async refreshCard(request: RevocationRequest, log: Logger): Promise<void> {
    if (!this.coalescer) return this.sendCard(request, log);
    this.keep(request, log);
    this.coalescer.signal(request.id);
  }

  /**
   * The run stopped here for now (finished, paused for shutdown, lease lost): its newest state, or
   * `request` when given, is sent at once, after any update in flight, unless already shown.
   * Unpaced, only a given `request` is sent: every earlier state has been shown already.
   */
  async finalCard(
    requestId: string,
    request: RevocationRequest | undefined,
    log: Logger,
  ): Promise<void> {
    if (!this.coalescer) {
      if (request) await this.sendCard(request, log);
      return;
    }
    if (request) this.keep(request, log);
    if (!this.latest.has(requestId)) return;
    await this.coalescer.flushNow(requestId);
    this.latest.delete(requestId);
  }

  async milestone(request: RevocationRequest, text: string, log: Logger): Promise<void> {
    try {
      await this.notifier.postMilestone(request, text);
    } catch (error) {
      log.warn('thread message failed', { error: errorFields(error) });
    }
  }

  /** Keeps the newest state: saves of parallel steps may report back out of order. */
  private keep(request: RevocationRequest, log: Logger): void {
    const kept = this.latest.get(request.id);
    if (kept && kept.request.version > request.version) return;
    if (kept?.request.version === request.version && kept.sent) return;
    this.latest.set(request.id, { request, log, sent: false });
  }

  private async sendLatest(requestId: string): Promise<void> {
    const latest = this.latest.get(requestId);
    if (!latest || latest.sent) return;
    latest.sent = true;
    await this.sendCard(latest.request, latest.log);
  }

  private async sendCard(request: RevocationRequest, log: Logger): Promise<void> {
    try {
      await this.notifier.updateCard(request);
    } catch (error) {
      log.warn('card update failed', { error: errorFields(error) });
      this.metrics.cardUpdateFailed();
    }
  }
}
