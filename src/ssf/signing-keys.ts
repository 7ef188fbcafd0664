// The transmitter's signing keys: the current one signs every SET; it and the previous ones are
// published in the JWKS, so a receiver still verifies a SET signed before a rotation. A key file
// is a PEM (PKCS#8 private, or SPKI public for a previous key) or a JWK; `kid` is the RFC 7638
// thumbprint, so the same key always has the same id. `jose` is an ES module: loaded on demand.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface PublicJwk {
  kty: string;
  kid: string;
  use: 'sig';
  alg: string;
  [member: string]: unknown;
}

export interface SigningKeys {
  alg: 'RS256' | 'ES256';
  kid: string;
  privateKey: KeyObject;
  /** The current key first, then the previous ones. */
  jwks: { keys: PublicJwk[] };
}

export class SigningKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigningKeyError';
  }
}

export async function loadSigningKeys(
  currentFile: string,
  previousFiles: readonly string[] = [],
): Promise<SigningKeys> {
  const privateKey = readKey(currentFile, 'private');
  const current = await publicJwk(privateKey);
  const previous = await Promise.all(
    previousFiles.map(async (file) => publicJwk(readKey(file, 'public'))),
  );
  const keys = [current, ...previous.filter((k) => k.kid !== current.kid)];
  return { alg: current.alg as SigningKeys['alg'], kid: current.kid, privateKey, jwks: { keys } };
}

/** Reads a PEM or JWK file; the message names the file, never its content. */
export function readKey(file: string, want: 'private' | 'public'): KeyObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SigningKeyError(`Cannot read the key file ${file}.`, { cause: error });
  }
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as Record<string, unknown>;
      if (want === 'private') return createPrivateKey({ key: jwk, format: 'jwk' } as never);
      return createPublicKey({ key: jwk, format: 'jwk' } as never);
    }
    return want === 'private' ? createPrivateKey(trimmed) : createPublicKey(trimmed);
  } catch (error) {
    throw new SigningKeyError(
      `The key file ${file} is not a ${want === 'private' ? 'private' : ''} key in PEM or JWK form.`,
      { cause: error },
    );
  }
}

async function publicJwk(key: KeyObject): Promise<PublicJwk> {
  const { calculateJwkThumbprint } = await import('jose');
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const alg = algorithmOf(publicKey);
  const kid = await calculateJwkThumbprint(jwk as never);
  return { ...jwk, kty: String(jwk.kty), kid, use: 'sig', alg };
}

/** RS256 (CAEP's interoperability profile requires it) for RSA; ES256 for P-256. */
function algorithmOf(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
      throw new SigningKeyError('An RSA signing key must have at least 2048 bits.');
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ES256';
  throw new SigningKeyError('A signing key must be RSA (2048 bits or more) or EC P-256.');
}
