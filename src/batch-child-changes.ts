// The engine's notifier is built before the batch service (the service needs the engine), yet a
// batch child's card update must reach the batch's progress card. This names that one event:
// the notifier emits it, and the batch service, once built, is its single listener.
export class BatchChildChanges {
  private listener: ((batchId: string) => void) | undefined;

  /** Wired once by the composition root, before the app starts taking requests. */
  listen(listener: (batchId: string) => void): void {
    if (this.listener) throw new Error('batch child changes already have a listener');
    this.listener = listener;
  }

  emit(batchId: string): void {
    this.listener?.(batchId);
  }
}
