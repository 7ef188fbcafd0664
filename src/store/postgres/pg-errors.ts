// What a PostgreSQL failure means to the callers of every PostgreSQL store: an outage (the
// database did not answer) becomes StoreUnavailableError; anything else passes through unchanged.
import { StoreUnavailableError } from '../store-errors';

export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** pg's messages name tables and constraints, never the connection string or its password. */
export function unavailable(what: string, error: unknown): Error {
  if (error instanceof StoreUnavailableError || !(error instanceof Error)) {
    return error instanceof Error ? error : new StoreUnavailableError(`${what}: ${String(error)}`);
  }
  // Our own programming errors and the schema guard pass through unchanged.
  if (pgCode(error) === undefined && !/connect|ECONN|timeout|terminat/i.test(error.message)) {
    return error;
  }
  return new StoreUnavailableError(`PostgreSQL ${what} failed: ${error.message}`, { cause: error });
}
