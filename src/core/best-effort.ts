// Card updates and thread messages are best effort: the decision they show is already saved, so a
// failure to show it is logged and never thrown (a Teams outage must not undo or stop a revocation).
import type { Logger } from './ports';

/** Runs `operation`; on failure logs "<what> failed" with `fields` and the error. True when done. */
export async function bestEffort(
  logger: Logger,
  what: string,
  operation: () => Promise<unknown>,
  fields: Record<string, unknown> = {},
): Promise<boolean> {
  try {
    await operation();
    return true;
  } catch (error) {
    logger.warn(`${what} failed`, {
      ...fields,
      error: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
}
