// Work a click's answer does not wait for: once a decision is audited and saved, the clicker gets
// their card back at once, and the rest (the thread's card, the thread message, the run's start)
// follows here, after the answer has gone out. Each request's work runs in the order it was
// queued, so an earlier click's card update can never land after a later one's; errors are
// logged, and shutdown waits for whatever is still queued.
import type { Logger } from '../core/ports';

export class AfterAnswer {
  /** request id → the end of its queue. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /**
   * Runs `work` once the current turn has answered (on a later turn of the event loop: the
   * answer is written in the microtasks that follow the handler's return), after any work queued
   * earlier for the same request.
   */
  queue(requestId: string, work: () => Promise<void>): void {
    const previous = this.queues.get(requestId) ?? Promise.resolve();
    const next = previous
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(work)
      .catch((error: unknown) => {
        this.logger.error('work after a card action failed', {
          requestId,
          message: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        if (this.queues.get(requestId) === next) this.queues.delete(requestId);
      });
    this.queues.set(requestId, next);
  }

  /** Resolves once nothing is queued any more (work queued meanwhile included). */
  async settled(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }
}
