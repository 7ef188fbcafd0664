// What Google reported, as a DirectoryError whose kind is all the retry layer and the engine need.
// Google's API errors are {error:{code,message,errors:[{reason}]}}; its token endpoint answers
// {error, error_description} (RFC 6749). Google throttles with 429 and also with 403 whose reason
// is rateLimitExceeded or userRateLimitExceeded (https://developers.google.com/admin-sdk/directory/v1/limits),
// so a 403 is read by its reason before it is taken for a missing permission.
//
// The SDK's errors carry the request (its Authorization header, the signed assertion): only the
// status, Google's reason and its message (redacted) are kept, never the SDK's error itself.
import { DirectoryError } from '../../core/errors';
import { makeRedactor } from '../graph/redact';

export interface GoogleOperation {
  /** What Revoke was doing, as a message says it: "read the user (users.get)". */
  action: string;
  /** The scope the call needs, named in the advice a 403 gets. */
  scope: string;
}

/** Where the scopes are granted, in words an administrator can follow. */
export function delegationAdvice(clientId: string, scopes: readonly string[]): string {
  return `In the Google Admin console, Security > Access and data control > API controls > Manage domain-wide delegation, give client ID ${clientId} the scopes ${scopes.join(', ')}.`;
}

const THROTTLE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);
const MAX_DETAIL = 300;
const redact = makeRedactor([]);

interface Failure {
  status?: number;
  headers?: { get(name: string): string | null };
  data?: unknown;
  code?: unknown;
  name?: unknown;
}

/** A failure of an Admin SDK call. */
export function fromApiError(
  op: GoogleOperation,
  error: unknown,
  context: { clientId: string; subjectEnv: string },
): DirectoryError {
  const failure = failureOf(error);
  if (failure.status === undefined) return unreachable(op, failure);
  const status = failure.status;
  const body = apiErrorBody(failure.data);
  const reason = body.reason ?? `HTTP${status}`;
  const detail = redact((body.message ?? '').slice(0, MAX_DETAIL));
  const text = `Google Workspace refused to ${op.action} (${status} ${reason})${detail ? `: ${detail}` : ''}`;
  const cause = new Error(`HTTP ${status} ${reason}`);
  const retryAfterMs = parseRetryAfter(failure.headers?.get('retry-after'));
  if (status === 429 || (status === 403 && THROTTLE_REASONS.has(reason)))
    return new DirectoryError(
      'throttled',
      `Google Workspace throttled the request to ${op.action} (${status} ${reason}).`,
      { code: reason, retryAfterMs, cause },
    );
  if (status === 408 || status >= 500)
    return new DirectoryError('transient', text, { code: reason, retryAfterMs, cause });
  if (status === 403 && reason === 'insufficientPermissions')
    return new DirectoryError('permission', text, {
      code: reason,
      advice: delegationAdvice(context.clientId, [op.scope]),
      cause,
    });
  if (status === 403)
    return new DirectoryError('permission', text, {
      code: reason,
      advice: `The administrator named by ${context.subjectEnv} must hold an admin role that may manage users (and their security settings) in the organizational unit of the user.`,
      cause,
    });
  if (status === 401)
    return new DirectoryError('misconfigured', text, {
      code: reason,
      advice:
        'Google did not accept the access token: check that the Admin SDK root URL (GOOGLE_ADMIN_API_URL) and the token_uri of the service account key point at the same Google service.',
      cause,
    });
  if (status === 404) return new DirectoryError('not_found', text, { code: reason, cause });
  return new DirectoryError('rejected', text, { code: reason, cause });
}

/** A failure to obtain the access token from the token endpoint. */
export function fromTokenError(
  error: unknown,
  context: { clientId: string; keyEnv: string; subjectEnv: string; scopes: readonly string[] },
): DirectoryError {
  const failure = failureOf(error);
  const op = { action: 'obtain an access token', scope: '' };
  if (failure.status === undefined) return unreachable(op, failure);
  const status = failure.status;
  const body = tokenErrorBody(failure.data);
  const code = body.error ?? `HTTP${status}`;
  const detail = redact((body.description ?? '').slice(0, MAX_DETAIL));
  const text = `Google refused the service account an access token (${status} ${code})${detail ? `: ${detail}` : ''}`;
  const cause = new Error(`HTTP ${status} ${code}`);
  if (status === 429 || status >= 500)
    return new DirectoryError(status === 429 ? 'throttled' : 'transient', text, {
      code,
      retryAfterMs: parseRetryAfter(failure.headers?.get('retry-after')),
      cause,
    });
  // The client is not delegated the scopes (or not at all): an administrator grants them.
  if (code === 'unauthorized_client' || code === 'access_denied')
    return new DirectoryError('permission', text, {
      code,
      advice: delegationAdvice(context.clientId, context.scopes),
      cause,
    });
  return new DirectoryError('misconfigured', text, {
    code,
    advice: `Check the key in ${context.keyEnv} is a current key of the service account, and that ${context.subjectEnv} is an existing administrator's primary email.`,
    cause,
  });
}

function unreachable(op: { action: string }, failure: Failure): DirectoryError {
  const timedOut = failure.name === 'TimeoutError' || failure.code === 'ETIMEDOUT';
  const code = typeof failure.code === 'string' ? failure.code : 'Unreachable';
  return new DirectoryError(
    'transient',
    timedOut
      ? `Google Workspace did not answer in time to ${op.action}.`
      : `Google Workspace could not be reached to ${op.action} (${code}).`,
    { code: timedOut ? 'Timeout' : 'Unreachable', cause: new Error(code) },
  );
}

function failureOf(error: unknown): Failure {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as {
    response?: { status?: unknown; headers?: unknown; data?: unknown };
    code?: unknown;
    name?: unknown;
  };
  const response = e.response;
  const headers = response?.headers;
  return {
    status: typeof response?.status === 'number' ? response.status : undefined,
    headers:
      typeof headers === 'object' &&
      headers !== null &&
      typeof (headers as { get?: unknown }).get === 'function'
        ? (headers as { get(name: string): string | null })
        : undefined,
    data: response?.data,
    code: e.code,
    name: e.name,
  };
}

function apiErrorBody(data: unknown): { message?: string; reason?: string } {
  const parsed = typeof data === 'string' ? parseJson(data) : data;
  const error = (parsed as { error?: unknown } | undefined)?.error;
  if (typeof error !== 'object' || error === null) return {};
  const fields = error as { message?: unknown; errors?: unknown };
  const first: unknown = Array.isArray(fields.errors) ? fields.errors[0] : undefined;
  const reason = (first as { reason?: unknown } | undefined)?.reason;
  return {
    message: typeof fields.message === 'string' ? fields.message : undefined,
    reason: typeof reason === 'string' ? reason : undefined,
  };
}

function tokenErrorBody(data: unknown): { error?: string; description?: string } {
  const parsed = typeof data === 'string' ? parseJson(data) : data;
  const fields = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
    error?: unknown;
    error_description?: unknown;
  };
  return {
    error: typeof fields.error === 'string' ? fields.error : undefined,
    description:
      typeof fields.error_description === 'string' ? fields.error_description : undefined,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
