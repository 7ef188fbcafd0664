// Why Entra ID would not give us a token, in words an administrator can act on. Messages carry the
// AADSTS code, never the request (which holds the secret or assertion).
import { DirectoryError } from '../../core/errors';
import type { Redactor } from './redact';

interface ErrorResponseLike {
  error?: string;
  errorDescription?: string;
}

const AADSTS_ADVICE: Record<string, string> = {
  AADSTS7000215:
    'The client secret is wrong: set AZURE_CLIENT_SECRET to the secret value (not its ID) of the Revoke app registration, or create a new secret.',
  AADSTS7000222:
    'The client secret has expired: create a new secret for the Revoke app registration and update AZURE_CLIENT_SECRET.',
  AADSTS700016:
    'No application with this client id exists in the tenant: check AZURE_CLIENT_ID and AZURE_TENANT_ID, and that the app is registered and consented in that tenant.',
  AADSTS90002: 'The tenant was not found: check AZURE_TENANT_ID and AZURE_AUTHORITY_HOST.',
  AADSTS700027:
    "The certificate is not accepted: upload the certificate's public key to the Revoke app registration and check AZURE_CLIENT_CERTIFICATE_PATH.",
  AADSTS500011:
    'The Graph resource is unknown to the tenant: check GRAPH_BASE_URL (the token scope is its origin + /.default).',
  AADSTS1002012: 'The token scope is invalid: check GRAPH_BASE_URL.',
};

const GENERIC_ADVICE =
  'Check AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret or certificate of the Revoke app registration, and AZURE_AUTHORITY_HOST.';

/** Entra ID's own throttling codes (MSAL drops the HTTP status, so the code is what is left). */
const THROTTLING = new Set(['AADSTS90055', 'AADSTS50196']);

const NETWORKISH = /network|ECONNRE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|socket|timed? ?out/i;

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object'
    ? (value as Record<string, unknown>)
    : undefined;
}

const OAUTH_ERROR =
  /\b(invalid_client|unauthorized_client|invalid_request|invalid_scope|invalid_resource|invalid_tenant|unsupported_grant_type|invalid_grant|temporarily_unavailable)\b/;

/**
 * @azure/identity reports a refused token request as AuthenticationError or (MSAL server errors)
 * AuthenticationRequiredError; both carry the AADSTS code in their text, which is what we key on.
 */
export function fromCredentialError(error: unknown, redact: Redactor): DirectoryError {
  const record = asRecord(error);
  const name = typeof record?.['name'] === 'string' ? record['name'] : 'Error';
  const rawMessage = error instanceof Error ? error.message : String(error);
  const status = typeof record?.['statusCode'] === 'number' ? record['statusCode'] : undefined;
  const response = (asRecord(record?.['errorResponse']) ?? {}) as ErrorResponseLike;
  const text = `${response.error ?? ''} ${response.errorDescription ?? ''} ${rawMessage}`;
  const aadsts = /AADSTS\d+/.exec(text)?.[0];
  const oauthError = response.error ?? OAUTH_ERROR.exec(text)?.[1];
  const what = [aadsts, oauthError].filter(Boolean).join(' ') || name;
  const code = aadsts ?? oauthError ?? name;

  if (status === 429 || (aadsts !== undefined && THROTTLING.has(aadsts))) {
    return new DirectoryError('throttled', `Entra ID throttled the token request (${what}).`, {
      code,
      cause: error,
    });
  }
  if ((status !== undefined && status >= 500) || oauthError === 'temporarily_unavailable') {
    return new DirectoryError('transient', `Entra ID failed to issue a token (${what}).`, {
      code,
      cause: error,
    });
  }
  if (aadsts !== undefined || oauthError !== undefined) {
    return new DirectoryError(
      'misconfigured',
      `Entra ID refused to issue a Microsoft Graph token for the Revoke app (${what}).`,
      { code, advice: (aadsts && AADSTS_ADVICE[aadsts]) ?? GENERIC_ADVICE, cause: error },
    );
  }
  const detail = redact(rawMessage.slice(0, 300));
  if (NETWORKISH.test(rawMessage) || name === 'AbortError') {
    return new DirectoryError('transient', `Could not reach Entra ID for a token: ${detail}`, {
      code,
      cause: error,
    });
  }
  return new DirectoryError(
    'misconfigured',
    `Could not get a Microsoft Graph token (${name}): ${detail}`,
    {
      code,
      advice: GENERIC_ADVICE,
      cause: error,
    },
  );
}
