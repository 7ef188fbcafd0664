// Just enough JOSE for the stand-in: RS256 access tokens signed with a per-process key, their
// verification, and verification of client assertions (certificate credentials).
import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
  X509Certificate,
} from 'node:crypto';

export type Claims = Record<string, unknown>;

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(der).digest('base64url').slice(0, 27);
  return { kid, privateKey, publicKey };
}

export function publicJwk(key: SigningKey): Record<string, unknown> {
  const jwk = key.publicKey.export({ format: 'jwk' });
  return { kty: jwk.kty, use: 'sig', kid: key.kid, alg: 'RS256', n: jwk.n, e: jwk.e };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(claims: Claims, key: SigningKey): string {
  const signingInput = `${b64({ typ: 'JWT', alg: 'RS256', kid: key.kid })}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

export type JwtCheck = { ok: true; header: Claims; claims: Claims } | { ok: false; reason: string };

function decode(token: string): { header: Claims; claims: Claims; input: Buffer; sig: Buffer } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  const [h, c, s] = parts as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Claims,
    claims: JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Claims,
    input: Buffer.from(`${h}.${c}`),
    sig: Buffer.from(s, 'base64url'),
  };
}

/** Verifies signature and lifetime; audience and issuer are the caller's business. */
export function verifyJwt(
  token: string,
  keyFor: (header: Claims) => KeyObject | undefined,
  nowSec: number,
): JwtCheck {
  let parsed: ReturnType<typeof decode>;
  try {
    parsed = decode(token);
  } catch {
    return { ok: false, reason: 'IDX14100: JWT is not well formed.' };
  }
  const key = keyFor(parsed.header);
  if (!key) return { ok: false, reason: 'IDX10503: Signature validation failed. No matching key.' };
  const alg = parsed.header['alg'];
  const good =
    alg === 'RS256'
      ? verify('sha256', parsed.input, key, parsed.sig)
      : alg === 'PS256'
        ? verify(
            'sha256',
            parsed.input,
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
            parsed.sig,
          )
        : false;
  if (!good) return { ok: false, reason: 'IDX10511: Signature validation failed.' };
  const exp = parsed.claims['exp'];
  if (typeof exp !== 'number' || exp <= nowSec) {
    return { ok: false, reason: 'Lifetime validation failed, the token is expired.' };
  }
  return { ok: true, header: parsed.header, claims: parsed.claims };
}

export function certificatePublicKey(pem: string): KeyObject {
  return createPublicKey(
    new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' }),
  );
}
