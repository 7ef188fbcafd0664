// Translates what the Okta SDK (or the network under it) reported into a DirectoryError whose kind
// is all the retry layer and the engine need. Never retries: that is the retry layer's job, and
// the SDK's own 429 retries are switched off (okta-request-executor.ts). Every message passes the
// redactor, so neither the private key nor an access token can reach a log or a card.
import { OktaApiError } from '@okta/okta-sdk-nodejs';
import { DirectoryError } from '../../core/errors';
import { parseRetryAfter } from '../graph/graph-errors';
import type { Redactor } from '../graph/redact';
import { OktaTokenRefused } from './okta-request-executor';
import { OKTA_SCOPES, scopesFor, type OktaOperation } from './okta-scopes';

const MAX_DETAIL = 300;

/** Names the settings in advice; never their values beyond the client id. */
export interface OktaErrorContext {
  clientId: string;
  keyId: string;
  redact: Redactor;
  now: () => number;
}

interface HeaderBag {
  get(name: string): string | null;
}

/** An HTTP answer the SDK turned into an error: OktaApiError (JSON body) or HttpError (other). */
interface HttpFailure {
  status: number;
  errorCode?: string;
  summary: string;
  headers?: HeaderBag;
  errorId?: string;
}

/**
 * Milliseconds to wait after a 429. Okta's X-Rate-Limit-Reset is the epoch second the window
 * resets; Okta's SDK README advises measuring it against the answer's Date header (the server's
 * clock, not ours) and adding one second for the sub-second skew between the two headers.
 * Retry-After, when a proxy sends one instead, is the fallback.
 */
export function oktaRetryAfterMs(headers: HeaderBag | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const reset = Number(headers.get('x-rate-limit-reset') ?? '');
  if (Number.isFinite(reset) && reset > 0) {
    const serverNow = Date.parse(headers.get('date') ?? '');
    const base = Number.isNaN(serverNow) ? now : serverNow;
    return Math.max(0, reset * 1000 - base) + 1000;
  }
  return parseRetryAfter(headers.get('retry-after'), now);
}

/** The scope Okta said was missing (WWW-Authenticate: Bearer error="insufficient_scope", scope="…"). */
function missingScopes(headers: HeaderBag | undefined): string[] | undefined {
  const challenge = headers?.get('www-authenticate') ?? '';
  const m = /\bscope="([^"]*)"/i.exec(challenge);
  const scopes = m?.[1]?.split(/\s+/).filter((s) => s.startsWith('okta.'));
  return scopes && scopes.length > 0 ? scopes : undefined;
}

function scopeAdvice(ctx: OktaErrorContext, scopes: readonly string[]): string {
  return (
    `Grant the Okta API service app (client id ${ctx.clientId}) the scope${scopes.length > 1 ? 's' : ''} ` +
    `${scopes.join(' and ')} (Admin Console > Applications > the app > Okta API Scopes), and assign it an ` +
    'admin role that may manage these users (for example Organization Administrator, or a custom role ' +
    'with user lifecycle and session permissions).'
  );
}

export function fromHttpFailure(
  op: OktaOperation,
  failure: HttpFailure,
  ctx: OktaErrorContext,
  cause: unknown,
): DirectoryError {
  const { status, errorCode, headers } = failure;
  const requestId = headers?.get('x-okta-request-id') ?? failure.errorId ?? undefined;
  const label = `${status}${errorCode ? ` ${errorCode}` : ''}`;
  // Redact the whole text first: a secret cut in two by the truncation would no longer match.
  const detail = ctx.redact(failure.summary).slice(0, MAX_DETAIL);
  const said = detail ? `: ${detail}` : '';
  const details = { code: errorCode ?? `HTTP${status}`, requestId, cause };
  if (status === 429) {
    return new DirectoryError('throttled', `Okta rate-limited the request to ${op} (${label}).`, {
      ...details,
      retryAfterMs: oktaRetryAfterMs(headers, ctx.now()),
    });
  }
  if (status === 408 || status >= 500) {
    return new DirectoryError('transient', `Okta failed to ${op} (${label})${said}`, {
      ...details,
      retryAfterMs: parseRetryAfter(headers?.get('retry-after'), ctx.now()),
    });
  }
  if (status === 401 || status === 403) {
    const scopes = missingScopes(headers) ?? scopesFor(op);
    const advice =
      status === 401
        ? `Okta did not accept Revoke's access token even after fetching a new one; check that the service app (client id ${ctx.clientId}) is active. ${scopeAdvice(ctx, scopes)}`
        : scopeAdvice(ctx, scopes);
    return new DirectoryError('permission', `Okta refused to ${op} (${label})${said}`, {
      ...details,
      advice,
    });
  }
  if (status === 404)
    return new DirectoryError('not_found', `Okta could not ${op} (${label})${said}`, details);
  return new DirectoryError('rejected', `Okta refused to ${op} (${label})${said}`, details);
}

function fromTokenRefused(error: OktaTokenRefused, ctx: OktaErrorContext): DirectoryError {
  const detail = ctx.redact(error.description).slice(0, MAX_DETAIL);
  const message = `Okta refused Revoke an access token (${error.httpStatus} ${error.oauthError})${detail ? `: ${detail}` : ''}`;
  const details = { code: error.oauthError, requestId: error.requestId, cause: error };
  if (error.oauthError === 'invalid_scope') {
    return new DirectoryError('permission', message, {
      ...details,
      advice: scopeAdvice(ctx, OKTA_SCOPES),
    });
  }
  return new DirectoryError('permission', message, {
    ...details,
    advice:
      `Okta did not accept the service app's signed client assertion: check OKTA_CLIENT_ID (${ctx.clientId}), ` +
      `that the public key with Key ID ${ctx.keyId} is registered on that app and matches OKTA_PRIVATE_KEY_PATH, ` +
      'that the app uses "Public key / Private key" client authentication, and that this host\'s clock is right.',
  });
}

function isHttpError(
  error: unknown,
): error is { status: number; message: string; headers?: HeaderBag } {
  if (!(error instanceof Error) || error.name !== 'HttpError') return false;
  return typeof (error as { status?: unknown }).status === 'number';
}

function errorCodeOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function toOktaDirectoryError(
  error: unknown,
  op: OktaOperation,
  ctx: OktaErrorContext,
): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof OktaTokenRefused) return fromTokenRefused(error, ctx);
  if (error instanceof OktaApiError) {
    const causes = (error.errorCauses ?? [])
      .map((c) => c.errorSummary)
      .filter((s): s is string => typeof s === 'string' && s !== '');
    return fromHttpFailure(
      op,
      {
        status: error.status,
        errorCode: errorCodeOf(error.errorCode),
        summary: [error.errorSummary, ...causes].filter(Boolean).join('. '),
        headers: error.headers,
        errorId: error.errorId || undefined,
      },
      ctx,
      error,
    );
  }
  if (isHttpError(error)) {
    // A body that is not JSON (a proxy's page): the status is all that can be trusted.
    return fromHttpFailure(
      op,
      { status: error.status, summary: '', headers: error.headers },
      ctx,
      error,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'FetchError') {
    const type = (error as { type?: string }).type;
    const code = (error as { code?: string }).code;
    const reason = type === 'request-timeout' ? 'timed out' : 'failed on the network';
    return new DirectoryError(
      'transient',
      ctx.redact(`The call to ${op} in Okta ${reason}: ${message}`),
      {
        code: type === 'request-timeout' ? 'Timeout' : (code ?? 'Unreachable'),
        cause: error,
      },
    );
  }
  if (/private key|key type/i.test(message)) {
    // The SDK could not sign the client assertion with the key it was given.
    return new DirectoryError(
      'misconfigured',
      'The Okta SDK could not sign the client assertion with the key in OKTA_PRIVATE_KEY_PATH.',
      {
        code: 'PrivateKeyUnusable',
        advice:
          'Put the service app private key (PEM or JWK, RSA, unencrypted) in OKTA_PRIVATE_KEY_PATH.',
        // The SDK's message may quote the key it could not parse: keep a redacted copy only.
        cause: new Error(ctx.redact(message)),
      },
    );
  }
  return new DirectoryError(
    'transient',
    ctx.redact(`The call to ${op} in Okta failed: ${message}`),
    {
      cause: error,
    },
  );
}
