// GitHub's answers as DirectoryErrors, so the one retry layer waits, retries or fails with advice
// as it does for Graph. Rate limits, as GitHub documents them
// (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api):
// - primary: 403 or 429 with x-ratelimit-remaining 0: wait until x-ratelimit-reset (epoch seconds);
// - secondary: 403 or 429 saying "secondary rate limit": wait Retry-After seconds when given,
//   else until x-ratelimit-reset when the remaining count is 0, else at least a minute.
// Messages carry the status and GitHub's own message, never a request header: the token must not
// reach a log, a card or the database. The SDK's error is kept as the cause (it redacts the
// authorization header itself).
import { DirectoryError } from '../../core/errors';

const MAX_DETAIL = 200;
const SECONDARY_DEFAULT_MS = 60_000;

/** What the adapter reads from the SDK's errors, whatever their class. */
interface HttpFailure {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

interface GraphqlFailure {
  errors?: Array<{ type?: string; message?: string }>;
  headers?: Record<string, string | number | undefined>;
}

export interface ErrorContext {
  /** What was being done, e.g. "remove octocat from contoso". */
  action: string;
  /** The variable the token comes from, named in advice. */
  tokenEnv: string;
  /** The permission the call needs, in GitHub's words, for advice when none is reported. */
  permission: string;
  now?: () => number;
}

export function githubError(error: unknown, context: ErrorContext): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const graphql = error as GraphqlFailure;
  if (
    error instanceof Error &&
    error.name === 'GraphqlResponseError' &&
    Array.isArray(graphql.errors)
  )
    return graphqlError(error, graphql, context);
  const failure = error as HttpFailure;
  const status = typeof failure.status === 'number' ? failure.status : 0;
  if (!failure.response) return unreachable(error, context);
  const headers = failure.response.headers ?? {};
  const detail = messageOf(failure.response.data);
  const message = `GitHub answered ${status} to ${context.action}${detail ? `: ${detail}` : ''}`;
  const code = `HTTP${status}`;
  const requestId = header(headers, 'x-github-request-id');
  const base = { code, cause: error, ...(requestId ? { requestId } : {}) };
  const wait = rateLimitWait(status, headers, detail, context.now ?? Date.now);
  if (wait !== undefined)
    return new DirectoryError('throttled', message, { ...base, retryAfterMs: wait });
  if (status === 401)
    return new DirectoryError('permission', message, {
      ...base,
      advice: `The token in ${context.tokenEnv} is not valid (expired or revoked): issue a new one.`,
    });
  if (status === 403) {
    const accepted = header(headers, 'x-accepted-github-permissions');
    return new DirectoryError('permission', message, {
      ...base,
      advice: accepted
        ? `Give the token in ${context.tokenEnv} the GitHub permission(s) this call accepts (${accepted}); ${context.permission}.`
        : `Give the token in ${context.tokenEnv} ${context.permission}.`,
    });
  }
  if (status === 404) return new DirectoryError('not_found', message, base);
  if (status >= 500 || status === 408) return new DirectoryError('transient', message, base);
  return new DirectoryError('rejected', message, base);
}

/** Undefined when the answer is not a rate limit. */
function rateLimitWait(
  status: number,
  headers: Record<string, string | number | undefined>,
  detail: string,
  now: () => number,
): number | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = header(headers, 'retry-after');
  const remaining = header(headers, 'x-ratelimit-remaining');
  const untilReset = resetWait(header(headers, 'x-ratelimit-reset'), now);
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim()))
    return Number(retryAfter.trim()) * 1_000;
  if (remaining === '0' && untilReset !== undefined) return untilReset;
  if (/secondary rate limit/i.test(detail) || status === 429) return SECONDARY_DEFAULT_MS;
  return undefined;
}

function resetWait(reset: string | undefined, now: () => number): number | undefined {
  if (reset === undefined || !/^\d+$/.test(reset.trim())) return undefined;
  return Math.max(0, Number(reset.trim()) * 1_000 - now());
}

function graphqlError(
  error: Error,
  failure: GraphqlFailure,
  context: ErrorContext,
): DirectoryError {
  const first = failure.errors?.[0];
  const type = first?.type ?? 'GRAPHQL';
  const message = `GitHub's GraphQL API refused to ${context.action}: ${(first?.message ?? type).slice(0, MAX_DETAIL)}`;
  const headers = failure.headers ?? {};
  if (type === 'RATE_LIMITED') {
    const wait = resetWait(header(headers, 'x-ratelimit-reset'), context.now ?? Date.now);
    return new DirectoryError('throttled', message, {
      code: type,
      cause: error,
      retryAfterMs: wait ?? SECONDARY_DEFAULT_MS,
    });
  }
  if (type === 'FORBIDDEN' || type === 'INSUFFICIENT_SCOPES')
    return new DirectoryError('permission', message, {
      code: type,
      cause: error,
      advice: `Give the token in ${context.tokenEnv} ${context.permission}.`,
    });
  if (type === 'NOT_FOUND')
    return new DirectoryError('not_found', message, { code: type, cause: error });
  return new DirectoryError('rejected', message, { code: type, cause: error });
}

function unreachable(error: unknown, context: ErrorContext): DirectoryError {
  // The SDK wraps the fetch failure; the deadline's TimeoutError is its cause.
  const cause = (error as { cause?: unknown }).cause;
  const timedOut = [error, cause].some(
    (e) => e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'),
  );
  return new DirectoryError(
    'transient',
    timedOut
      ? `GitHub did not answer in time to ${context.action}.`
      : `GitHub could not be reached to ${context.action}.`,
    { code: timedOut ? 'Timeout' : 'Unreachable', cause: error },
  );
}

function messageOf(data: unknown): string {
  if (typeof data === 'object' && data !== null) {
    const message = (data as Record<string, unknown>)['message'];
    if (typeof message === 'string') return message.slice(0, MAX_DETAIL);
  }
  return '';
}

function header(
  headers: Record<string, string | number | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return value === undefined ? undefined : String(value);
}
