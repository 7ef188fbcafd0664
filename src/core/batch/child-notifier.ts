// The engine and the single-request service tell the Notifier about every request they touch.
// For a batch's children that must not reach Teams one by one (500 cards, thousands of edits):
// their card updates become a signal to the batch's coalesced progress card, and their thread
// messages are left to the batch's own summary. A Proxy, so a method added to Notifier later
// passes through unchanged.
import type { RevocationRequest } from '../model';
import type { Logger, Notifier } from '../ports';

export function childAwareNotifier<T extends Notifier>(
  inner: T,
  onChildChanged: (batchId: string) => void,
  logger: Logger,
): T {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const batchId = batchOf(args[0]);
        if (batchId === undefined) return method.apply(target, args);
        if (property === 'updateCard') onChildChanged(batchId);
        else
          logger.debug('batch child: left to the batch card', { batchId, call: String(property) });
        return Promise.resolve(undefined);
      };
    },
  });
}

function batchOf(argument: unknown): string | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const batchId = (argument as Partial<RevocationRequest>).batchId;
  return typeof batchId === 'string' ? batchId : undefined;
}
