// A service app key pair and the Revoke settings that use it, for tests against the Okta stand-in.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import assert from 'node:assert/strict';
import { DirectoryError } from '../../../src/core/errors';
import { readOktaSettings, type OktaSettings } from '../../../src/directory/okta';

export interface ServiceKey {
  kid: string;
  publicKey: KeyObject;
  /** PKCS#8 PEM, as `openssl genpkey` writes it. */
  pem: string;
  /** PKCS#1 PEM (BEGIN RSA PRIVATE KEY), as older tools write it; RSA keys only. */
  pkcs1Pem: string;
  /** The private JWK with its kid, as the Admin Console's "Generate new key" offers it. */
  jwk: string;
}

export function makeServiceKey(type: 'rsa' | 'ec' = 'rsa'): ServiceKey {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `kid-${randomBytes(6).toString('hex')}`;
  return {
    kid,
    publicKey,
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    pkcs1Pem: type === 'rsa' ? privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() : '',
    jwk: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid }),
  };
}

/** Settings read the way production reads them, with the key file served from memory. */
export function settingsFor(
  orgUrl: string,
  clientId: string,
  key: ServiceKey,
  format: 'pem' | 'jwk' = 'pem',
  extra: Record<string, string> = {},
): OktaSettings {
  const result = readOktaSettings(
    {
      OKTA_ORG_URL: orgUrl,
      OKTA_CLIENT_ID: clientId,
      OKTA_PRIVATE_KEY_PATH: `/keys/revoke-okta.${format}`,
      ...(format === 'pem' ? { OKTA_KEY_ID: key.kid } : {}),
      ...extra,
    },
    () => (format === 'pem' ? key.pem : key.jwk),
  );
  assert.equal(result.kind, 'on', JSON.stringify(result));
  if (result.kind !== 'on') throw new Error('unreachable');
  return result.settings;
}

export async function rejection(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DirectoryError, String(error));
    return error;
  }
  assert.fail('expected a DirectoryError');
}

/** Everything of an error that could reach a log, a card or the audit trail. */
export function everythingSaid(error: DirectoryError): string {
  return [
    error.message,
    error.advice ?? '',
    error.code ?? '',
    JSON.stringify(error),
    String(error),
  ].join('\n');
}
