// Google's OAuth 2.0 token endpoint for service accounts (the JWT bearer grant, RFC 7523), as
// https://developers.google.com/identity/protocols/oauth2/service-account describes it: an RS256
// assertion signed with the account's key, aud the token URL, at most an hour long, `sub` the user
// acted for (domain-wide delegation), and only scopes the Admin console delegated to the client.
import { verify, type KeyObject } from 'node:crypto';
import { tokenError, type GoogleErrorAnswer } from './google-error-bodies';

export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface DelegatedClient {
  clientEmail: string;
  clientId: string;
  publicKey: KeyObject;
  /** The scopes domain-wide delegation grants this client id. */
  scopes: Set<string>;
}

export interface Grant {
  clientId: string;
  subject: string;
  scopes: string[];
}

export type TokenOutcome = { grant: Grant } | GoogleErrorAnswer;

export function checkJwtBearer(
  form: URLSearchParams,
  clients: readonly DelegatedClient[],
  userExists: (email: string) => boolean,
  nowSeconds: number,
): TokenOutcome {
  if (form.get('grant_type') !== JWT_BEARER)
    return tokenError(
      400,
      'unsupported_grant_type',
      `Invalid grant_type: ${form.get('grant_type') ?? ''}`,
    );
  const assertion = form.get('assertion') ?? '';
  const [head, body, signature] = assertion.split('.');
  if (!head || !body || signature === undefined) return invalidGrant('Invalid JWT.');
  const header = decode(head);
  const claims = decode(body);
  if (!header || !claims || header['alg'] !== 'RS256') return invalidGrant('Invalid JWT.');
  const client = clients.find((c) => c.clientEmail === claims['iss']);
  if (!client) return invalidGrant('Invalid grant: account not found');
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${head}.${body}`),
    client.publicKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return invalidGrant('Invalid JWT Signature.');
  if (claims['aud'] !== GOOGLE_TOKEN_AUDIENCE)
    return invalidGrant(
      `Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_AUDIENCE}`,
    );
  const iat = Number(claims['iat']);
  const exp = Number(claims['exp']);
  if (!(exp > nowSeconds && iat <= nowSeconds + 300 && exp - iat <= 3600))
    return invalidGrant(
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    );
  const subject = typeof claims['sub'] === 'string' ? claims['sub'] : '';
  if (!subject || !userExists(subject)) return invalidGrant('Invalid email or User ID');
  const scopes =
    typeof claims['scope'] === 'string' ? claims['scope'].split(' ').filter(Boolean) : [];
  if (scopes.length === 0 || !scopes.every((scope) => client.scopes.has(scope)))
    return tokenError(
      401,
      'unauthorized_client',
      'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    );
  return { grant: { clientId: client.clientId, subject, scopes } };
}

function invalidGrant(description: string): GoogleErrorAnswer {
  return tokenError(400, 'invalid_grant', description);
}

function decode(part: string): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
