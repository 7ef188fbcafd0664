// POST /oauth2/v1/token on the org authorization server, for service apps: the client credentials
// grant with a private_key_jwt client assertion, and only scopes already granted to the app.
import { randomBytes } from 'node:crypto';
import { checkClientAssertion } from './client-assertion';
import { oauthError, type OktaAnswer } from './okta-answer';
import type { OrgState } from './org-state';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Okta's lifetime for these access tokens is fixed at one hour. */
const TOKEN_LIFETIME_SEC = 3600;

export function tokenRoute(
  raw: string,
  state: OrgState,
  origin: string,
  nowMs: number,
): OktaAnswer {
  const form = new URLSearchParams(raw);
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError(
      400,
      'unsupported_grant_type',
      'The authorization grant type is not supported.',
    );
  }
  if (form.get('client_assertion_type') !== JWT_BEARER || !form.get('client_assertion')) {
    return oauthError(401, 'invalid_client', 'Client authentication failed: no client_assertion.');
  }
  const nowSec = Math.floor(nowMs / 1000);
  const check = checkClientAssertion(
    form.get('client_assertion') ?? '',
    (clientId) => state.apps.get(clientId)?.keys,
    `${origin}/oauth2/v1/token`,
    nowSec,
    state.usedJtis,
  );
  if (!check.ok) return oauthError(401, check.error, check.description);
  const app = state.apps.get(check.clientId);
  if (!app) return oauthError(401, 'invalid_client', 'Client authentication failed.');
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  if (scopes.length === 0) {
    return oauthError(
      400,
      'invalid_scope',
      "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    );
  }
  const notGranted = scopes.filter((s) => !app.grantedScopes.has(s));
  if (notGranted.length > 0) {
    return oauthError(
      400,
      'invalid_scope',
      `The following scopes are not allowed: ${notGranted.join(' ')}. Grant them to the app first.`,
    );
  }
  const token = randomBytes(32).toString('base64url');
  state.tokens.set(token, {
    token,
    clientId: app.clientId,
    scopes,
    expiresAtSec: nowSec + TOKEN_LIFETIME_SEC,
  });
  state.issuedTokens.push(token);
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SEC,
      access_token: token,
      scope: scopes.join(' '),
    },
  };
}
