// RFC 8935 push: one SET per POST, as `application/secevent+jwt`; the receiver answers 202 when it
// has taken the SET, or 400 with {"err", "description"} when it refuses it. Only this one attempt
// here: Revoke's retry layer (src/core/retry.ts) repeats 429, 5xx and network faults, honouring
// Retry-After. The bearer token goes in the header alone, never into an error or a log.
import { DirectoryError } from '../core/errors';

/** RFC 8935 §2.4 error codes, with what an administrator can do about each. */
const ERROR_ADVICE: Record<string, string> = {
  invalid_request: 'the receiver could not parse the SET; report it with the receiver name',
  invalid_key:
    'the receiver could not verify the signature: check it can fetch the JWKS (SSF_ISSUER/ssf/jwks) and that a rotated key is still in SSF_PREVIOUS_KEYS',
  invalid_issuer:
    'the receiver does not expect this issuer: set SSF_ISSUER to the URL configured at the receiver',
  invalid_audience:
    "the receiver does not accept this audience: fix the receiver's audience in SSF_RECEIVERS or SSF_STREAM_CLIENTS",
  authentication_failed: "the receiver refused the push token: renew the receiver's token variable",
  access_denied: 'the receiver does not allow this transmitter to push events',
};

export interface PushTarget {
  /** As errors name it. */
  name: string;
  url: string;
  token?: string;
}

export interface PushOptions {
  timeoutMs: number;
  /** Tests only: a fetch of their own. */
  fetch?: typeof fetch;
}

export async function pushSet(
  target: PushTarget,
  jwt: string,
  options: PushOptions,
): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': 'application/secevent+jwt',
    accept: 'application/json',
  };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(target.url, {
      method: 'POST',
      headers,
      body: jwt,
      // A redirect could carry the token to another host.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new DirectoryError(
      'transient',
      `${target.name} did not answer the push: ${reason(error)}`,
      {
        cause: error,
      },
    );
  }
  const body = await response.text().catch(() => '');
  if (response.status === 202) return;
  throw pushError(target.name, response.status, body, response.headers.get('retry-after'));
}

function pushError(
  name: string,
  status: number,
  body: string,
  retryAfter: string | null,
): DirectoryError {
  const retryAfterMs = retryAfterToMs(retryAfter);
  if (status === 429)
    return new DirectoryError('throttled', `${name} asked to slow down (429).`, {
      code: 'TooManyRequests',
      retryAfterMs,
    });
  if (status >= 500)
    return new DirectoryError('transient', `${name} failed to take the SET (${status}).`, {
      code: `HTTP${status}`,
      retryAfterMs,
    });
  if (status === 401 || status === 403)
    return new DirectoryError('permission', `${name} refused the push (${status}).`, {
      code: `HTTP${status}`,
      advice: ERROR_ADVICE.authentication_failed,
    });
  if (status === 400) {
    const { err, description } = parseError(body);
    return new DirectoryError(
      'rejected',
      `${name} refused the SET: ${err}${description ? ` (${description})` : ''}.`,
      { code: err, advice: ERROR_ADVICE[err] },
    );
  }
  return new DirectoryError('rejected', `${name} answered the push with ${status}, not 202.`, {
    code: `HTTP${status}`,
  });
}

/** The receiver's own words, cut short: they are shown on the card. */
function parseError(body: string): { err: string; description?: string } {
  try {
    const parsed = JSON.parse(body) as { err?: unknown; description?: unknown };
    const err = typeof parsed.err === 'string' ? parsed.err.slice(0, 64) : 'invalid_request';
    const description =
      typeof parsed.description === 'string' ? parsed.description.slice(0, 200) : undefined;
    return { err, description };
  } catch {
    return { err: 'invalid_request' };
  }
}

function retryAfterToMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (error.name === 'TimeoutError') return 'timed out';
    if (cause && typeof cause.code === 'string') return cause.code;
    return error.message;
  }
  return String(error);
}
