// Entra ID: can the configured credential get an app-only token for Graph, and which application
// permissions (the token's `roles`) were consented?
import type { TokenCredential } from '@azure/identity';
import { DirectoryError } from '../../core/errors';
import { fromCredentialError } from '../../directory/graph/credential-errors';
import { makeRedactor } from '../../directory/graph/redact';
import { fail, ok, type CheckResult } from '../check-result';
import { rolesOfToken } from '../jwt-claims';

const NAME = 'Entra ID token';

export interface TokenCheck {
  result: CheckResult;
  /** The consented application permissions, when a token was obtained. */
  roles?: string[];
}

export async function checkEntraToken(
  credential: TokenCredential,
  scope: string,
  secrets: readonly (string | undefined)[],
): Promise<TokenCheck> {
  let token: string;
  try {
    const answer = await credential.getToken(scope);
    if (!answer) throw new Error('the credential returned no token');
    token = answer.token;
  } catch (error) {
    const translated = fromCredentialError(error, makeRedactor(secrets));
    return { result: fail(NAME, translated.message, adviceOf(translated)) };
  }
  try {
    const roles = await rolesOfToken(token);
    return {
      result: ok(NAME, `obtained for ${scope} with ${roles.length} application permission(s)`),
      roles,
    };
  } catch {
    return {
      result: fail(
        NAME,
        'a token was issued but is not a readable JWT, so its permissions cannot be checked',
        'Check GRAPH_BASE_URL and AZURE_AUTHORITY_HOST point at Microsoft Graph and Entra ID of the same cloud.',
      ),
    };
  }
}

function adviceOf(error: DirectoryError): string {
  if (error.advice) return error.advice;
  if (error.kind === 'transient' || error.kind === 'throttled') {
    return 'Entra ID could not be reached or was busy: check outbound HTTPS from this host to AZURE_AUTHORITY_HOST, then run again.';
  }
  return 'Check AZURE_TENANT_ID, AZURE_CLIENT_ID and the credential of the Revoke app registration.';
}
