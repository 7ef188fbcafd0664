// SCIM 2.0 answers (RFC 7644 §3.12) as DirectoryErrors, so the engine retries, waits or fails with
// advice exactly as it does for Graph. Messages carry the app's name, the status and the SCIM
// detail, never the request's headers: the bearer token must not reach a log or a card.
import { DirectoryError } from '../../core/errors';

const MAX_DETAIL = 200;

export function scimError(
  app: { name: string; tokenEnv: string },
  status: number,
  body: unknown,
  retryAfter: string | null,
): DirectoryError {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const detail = typeof fields['detail'] === 'string' ? fields['detail'].slice(0, MAX_DETAIL) : '';
  const scimType = typeof fields['scimType'] === 'string' ? fields['scimType'] : undefined;
  const message = `${app.name} answered ${status}${detail ? `: ${detail}` : ''}`;
  const code = scimType ?? `HTTP${status}`;
  if (status === 429) {
    return new DirectoryError('throttled', message, {
      code,
      retryAfterMs: retryAfterMs(retryAfter),
    });
  }
  if (status === 401 || status === 403) {
    return new DirectoryError('permission', message, {
      code,
      advice: `Check the bearer token in ${app.tokenEnv}: it must be valid and allowed to read and update users in ${app.name}.`,
    });
  }
  if (status === 404) return new DirectoryError('not_found', message, { code });
  if (status >= 500 || status === 408) return new DirectoryError('transient', message, { code });
  return new DirectoryError('rejected', message, { code });
}

export function unreachable(app: { name: string }, cause: unknown): DirectoryError {
  const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
  return new DirectoryError(
    'transient',
    timedOut ? `${app.name} did not answer in time.` : `${app.name} could not be reached.`,
    { code: timedOut ? 'Timeout' : 'Unreachable', cause },
  );
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1_000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
