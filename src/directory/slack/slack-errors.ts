// Slack's answers as DirectoryErrors, so the engine waits, retries or fails with advice exactly as
// it does for Graph. The Web API answers HTTP 200 with `ok:false` and an error code (plus `needed`
// and `provided` scopes for missing_scope), or 429 with Retry-After
// (https://docs.slack.dev/apis/web-api/rate-limits); SCIM answers with HTTP statuses and an
// `Errors` object. Messages carry the call, the status and Slack's code, never a request header:
// the token must not reach a log, a card or the audit trail.
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';
import { DirectoryError } from '../../core/errors';
import { SLACK_SCOPES, type SlackCall } from './slack-settings';

/** Codes that mean the token itself is not good enough: an administrator must act. */
const AUTH_CODES = new Set([
  'not_authed',
  'invalid_auth',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'no_permission',
  'not_an_admin',
  'not_allowed_token_type',
  'access_denied',
  'ekm_access_denied',
  'team_access_not_granted',
  'org_login_required',
]);

/** Codes that mean this org or this token cannot use the method at all. */
const SETUP_CODES = new Set(['feature_not_enabled', 'enterprise_is_restricted', 'unknown_method']);

const TRANSIENT_CODES = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'user_session_reset_failed',
]);

const MAX_DETAIL = 200;

/** Any error the Web API client threw, for the call `method`. */
export function webApiError(method: SlackCall, error: unknown): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof WebAPIRateLimitedError) {
    return new DirectoryError('throttled', `Slack rate-limited ${method} (HTTP 429).`, {
      code: 'ratelimited',
      retryAfterMs: error.retryAfter * 1_000,
      cause: error,
    });
  }
  if (error instanceof WebAPIPlatformError) return platformError(method, error);
  if (error instanceof WebAPIHTTPError) {
    return httpStatusError(`Slack ${method}`, error.statusCode, undefined, error, () =>
      tokenAdvice(method),
    );
  }
  if (error instanceof WebAPIRequestError) {
    const timedOut = error.original.name === 'TimeoutError';
    return new DirectoryError(
      'transient',
      timedOut
        ? `Slack did not answer ${method} in time.`
        : `Slack could not be reached (${method}).`,
      { code: timedOut ? 'Timeout' : 'Unreachable', cause: error.original },
    );
  }
  return new DirectoryError('transient', `Slack ${method} failed unexpectedly.`, {
    code: 'Unexpected',
    cause: error,
  });
}

function platformError(method: SlackCall, error: WebAPIPlatformError): DirectoryError {
  const code = error.data.error;
  const message = `Slack ${method} answered ${code}`;
  if (code === 'ratelimited') {
    const seconds = error.data.response_metadata?.retryAfter;
    return new DirectoryError('throttled', `${message}.`, {
      code,
      cause: error,
      ...(typeof seconds === 'number' ? { retryAfterMs: seconds * 1_000 } : {}),
    });
  }
  if (code === 'missing_scope') {
    const needed = stringField(error.data, 'needed') ?? scopeOf(method) ?? 'a scope';
    const provided = stringField(error.data, 'provided');
    return new DirectoryError(
      'permission',
      `${message}: it needs ${needed}${provided ? `; the token has ${provided}` : ''}.`,
      {
        code,
        cause: error,
        advice: `Add the ${needed} scope to the Slack app whose org-level token is SLACK_ORG_TOKEN, have an Org Owner reinstall it on the org, and set SLACK_ORG_TOKEN to the new token.`,
      },
    );
  }
  if (AUTH_CODES.has(code)) {
    return new DirectoryError('permission', `${message}.`, {
      code,
      cause: error,
      advice: tokenAdvice(method),
    });
  }
  if (SETUP_CODES.has(code)) {
    return new DirectoryError('misconfigured', `${message}.`, {
      code,
      cause: error,
      advice:
        'The admin.* methods need an Enterprise Grid org and an app installed on the org (not a workspace) by an Org Owner; check SLACK_API_URL and SLACK_ORG_TOKEN.',
    });
  }
  if (code === 'user_not_found' || code === 'users_not_found') {
    return new DirectoryError('not_found', `${message}.`, { code, cause: error });
  }
  if (TRANSIENT_CODES.has(code)) {
    return new DirectoryError('transient', `${message}.`, { code, cause: error });
  }
  // cannot_reset_primary_owner, cannot_reset_bot, restricted_action …: retrying will not help.
  return new DirectoryError('rejected', `${message}.`, { code, cause: error });
}

/** A SCIM answer other than 2xx (404 is handled by the caller where it means "no such user"). */
export function scimError(
  what: string,
  status: number,
  body: unknown,
  retryAfter: string | null,
  tokenEnv: string,
): DirectoryError {
  const detail = scimDetail(body);
  const message = `Slack SCIM ${what} answered ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    return new DirectoryError('throttled', `${message}.`, {
      code: 'HTTP429',
      retryAfterMs: retryAfterMs(retryAfter),
    });
  }
  return httpStatusError(
    `Slack SCIM ${what}`,
    status,
    detail,
    undefined,
    () =>
      `Check ${tokenEnv}: it must be an org-level token with the ${SLACK_SCOPES.scim} scope, from an app an Org Owner installed on the org, and its user must still be an Org Owner or Admin.`,
  );
}

export function scimUnreachable(what: string, cause: unknown): DirectoryError {
  const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
  return new DirectoryError(
    'transient',
    timedOut
      ? `Slack SCIM did not answer ${what} in time.`
      : `Slack SCIM could not be reached (${what}).`,
    { code: timedOut ? 'Timeout' : 'Unreachable', cause },
  );
}

function httpStatusError(
  what: string,
  status: number,
  detail: string | undefined,
  cause: unknown,
  advice: () => string,
): DirectoryError {
  const message = `${what} answered HTTP ${status}${detail ? `: ${detail}` : ''}.`;
  const code = `HTTP${status}`;
  if (status === 401 || status === 403)
    return new DirectoryError('permission', message, { code, cause, advice: advice() });
  if (status === 404)
    return new DirectoryError('misconfigured', message, {
      code,
      cause,
      advice: 'Check SLACK_API_URL and SLACK_SCIM_URL: each must be the root of its Slack API.',
    });
  if (status >= 500 || status === 408)
    return new DirectoryError('transient', message, { code, cause });
  return new DirectoryError('rejected', message, { code, cause });
}

function tokenAdvice(method: SlackCall): string {
  const scope = scopeOf(method);
  return `Check SLACK_ORG_TOKEN: it must be a valid org-level user token (xoxp-) of an Org Owner or Admin${scope ? `, with the ${scope} scope` : ''}.`;
}

/** The scope Slack documents for the call; auth.test needs none. */
function scopeOf(method: SlackCall): string | undefined {
  return method === 'auth.test' ? undefined : SLACK_SCOPES[method];
}

function stringField(data: object, key: string): string | undefined {
  const value = (data as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value.slice(0, MAX_DETAIL) : undefined;
}

/** SCIM 1.1 errors: `{"Errors": {"description": "…", "code": 404}}` (an object or a list). */
function scimDetail(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const errors = (body as Record<string, unknown>)['Errors'];
  const first: unknown = Array.isArray(errors) ? errors[0] : errors;
  if (typeof first !== 'object' || first === null) return undefined;
  const description = (first as Record<string, unknown>)['description'];
  return typeof description === 'string' ? description.slice(0, MAX_DETAIL) : undefined;
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1_000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
