// Checks a private_key_jwt client assertion as Okta's org authorization server does for a service
// app: a compact JWS signed (RS256 or ES256) by a public key registered on the app, picked by kid;
// iss and sub both the client id; aud the token endpoint's full URL; exp in the future but at most
// an hour ahead; a jti never seen before (Okta uses it against replay).
import { verify, type KeyObject } from 'node:crypto';

export interface RegisteredKey {
  kid: string;
  publicKey: KeyObject;
}

export type AssertionCheck =
  { ok: true; clientId: string } | { ok: false; error: 'invalid_client'; description: string };

type Claims = Record<string, unknown>;

function decodePart(part: string): Claims {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Claims;
}

export function checkClientAssertion(
  assertion: string,
  keysFor: (clientId: string) => RegisteredKey[] | undefined,
  audience: string,
  nowSec: number,
  usedJtis: Set<string>,
): AssertionCheck {
  const fail = (description: string): AssertionCheck => ({
    ok: false,
    error: 'invalid_client',
    description,
  });
  const parts = assertion.split('.');
  if (parts.length !== 3) return fail('The client_assertion token is malformed.');
  const [h, c, s] = parts as [string, string, string];
  let header: Claims;
  let claims: Claims;
  try {
    header = decodePart(h);
    claims = decodePart(c);
  } catch {
    return fail('The client_assertion token is malformed.');
  }
  const clientId = claims['iss'];
  if (typeof clientId !== 'string' || claims['sub'] !== clientId) {
    return fail("The client_assertion token's iss and sub must both be the client_id.");
  }
  const keys = keysFor(clientId);
  if (!keys) return fail('Client authentication failed: the client_id is not a service app.');
  const kid = header['kid'];
  const candidates =
    typeof kid === 'string' ? keys.filter((k) => k.kid === kid) : keys.length === 1 ? keys : [];
  if (candidates.length === 0) {
    return fail('The client_assertion token has a kid which does not match any registered key.');
  }
  const alg = header['alg'];
  const input = Buffer.from(`${h}.${c}`);
  const signature = Buffer.from(s, 'base64url');
  const good = candidates.some((k) =>
    alg === 'RS256'
      ? verify('sha256', input, k.publicKey, signature)
      : alg === 'ES256'
        ? verify('sha256', input, { key: k.publicKey, dsaEncoding: 'ieee-p1363' }, signature)
        : false,
  );
  if (!good) return fail('The client_assertion signature is invalid.');
  if (claims['aud'] !== audience) {
    return fail(
      `The audience claim for client_assertion must be the endpoint invoked for the request.`,
    );
  }
  const exp = claims['exp'];
  if (typeof exp !== 'number' || exp <= nowSec)
    return fail('The client_assertion token is expired.');
  if (exp > nowSec + 3600) {
    return fail('The client_assertion token has an expiration too far into the future.');
  }
  const jti = claims['jti'];
  if (typeof jti === 'string') {
    if (usedJtis.has(jti)) return fail('The client_assertion token has already been used.');
    usedJtis.add(jti);
  }
  return { ok: true, clientId };
}
