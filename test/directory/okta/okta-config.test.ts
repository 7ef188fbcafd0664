import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { readOktaSettings, type OktaSettingsResult } from '../../../src/directory/okta';
import { makeServiceKey } from './okta-fixtures';

const key = makeServiceKey();
const base = {
  OKTA_ORG_URL: 'https://acme.okta.com',
  OKTA_CLIENT_ID: '0oa1revokeservice01',
  OKTA_PRIVATE_KEY_PATH: '/keys/okta.pem',
  OKTA_KEY_ID: key.kid,
};

function read(
  env: Record<string, string | undefined>,
  file: string | Error = key.pem,
): OktaSettingsResult {
  return readOktaSettings(env, () => {
    if (file instanceof Error) throw file;
    return file;
  });
}

function errorsOf(result: OktaSettingsResult): string[] {
  assert.equal(result.kind, 'invalid', JSON.stringify(result));
  return result.kind === 'invalid' ? result.errors : [];
}

/** Long pieces of the key, any of which in a message would be a leak. */
function keyPieces(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));
}

describe('Okta settings from the environment', () => {
  it('is off when no OKTA_ variable is set', () => {
    assert.deepEqual(read({ OKTA_ORG_URL: '  ', OTHER: 'x' }), { kind: 'off' });
  });

  it('reads a PEM key with OKTA_KEY_ID, suspend by default, the org URL as an origin', () => {
    const result = read({ ...base, OKTA_ORG_URL: 'https://acme.okta.com/' });
    assert.equal(result.kind, 'on');
    if (result.kind !== 'on') return;
    assert.equal(result.settings.orgUrl, 'https://acme.okta.com');
    assert.equal(result.settings.action, 'suspend');
    assert.equal(result.settings.keyId, key.kid);
    assert.equal(result.settings.privateKey.reveal(), key.pem.trim());
    const deactivate = read({ ...base, OKTA_ACTION: 'Deactivate' });
    assert.equal(deactivate.kind === 'on' && deactivate.settings.action, 'deactivate');
  });

  it('takes the kid from a JWK, and refuses an OKTA_KEY_ID that contradicts it', () => {
    const jwk = read({ ...base, OKTA_KEY_ID: undefined }, key.jwk);
    assert.equal(jwk.kind === 'on' && jwk.settings.keyId, key.kid);
    const [error] = errorsOf(read({ ...base, OKTA_KEY_ID: 'other-kid' }, key.jwk));
    assert.match(error ?? '', /OKTA_KEY_ID \(other-kid\) differs from the kid in the JWK/);
  });

  it('reports every bad variable at once, one line each', () => {
    const errors = errorsOf(
      read({ OKTA_ORG_URL: 'http://acme.okta.com', OKTA_ACTION: 'delete', OKTA_KEY_ID: 'k' }),
    );
    assert.equal(errors.length, 4, errors.join('\n'));
    assert.match(errors[0] ?? '', /^OKTA_ORG_URL must be an https:\/\/ URL/);
    assert.match(errors[1] ?? '', /^OKTA_CLIENT_ID is required/);
    assert.match(
      errors[2] ?? '',
      /^OKTA_ACTION must be "suspend" or "deactivate" \(got "delete"\)/,
    );
    assert.match(errors[3] ?? '', /^OKTA_PRIVATE_KEY_PATH is required/);
  });

  it('refuses an org URL with a path, credentials, or the Admin Console host', () => {
    assert.match(
      errorsOf(read({ ...base, OKTA_ORG_URL: 'https://acme.okta.com/api/v1' }))[0] ?? '',
      /without path/,
    );
    assert.match(
      errorsOf(read({ ...base, OKTA_ORG_URL: 'https://u:p@acme.okta.com' }))[0] ?? '',
      /credentials/,
    );
    assert.match(
      errorsOf(read({ ...base, OKTA_ORG_URL: 'https://acme-admin.okta.com' }))[0] ?? '',
      /drop "-admin"/,
    );
  });

  it('names an unreadable key file by its path', () => {
    const missing = Object.assign(new Error('nope'), { code: 'ENOENT' });
    const [error] = errorsOf(read(base, missing));
    assert.match(error ?? '', /^OKTA_PRIVATE_KEY_PATH: cannot read \/keys\/okta\.pem \(ENOENT\)/);
  });

  it('needs OKTA_KEY_ID with a PEM key', () => {
    const [error] = errorsOf(read({ ...base, OKTA_KEY_ID: undefined }));
    assert.match(error ?? '', /^OKTA_KEY_ID is required with a PEM key/);
  });

  it('refuses what the SDK cannot sign with: public JWK, EC key, encrypted PEM, certificate, JWK Set', () => {
    const publicJwk = JSON.stringify({ ...key.publicKey.export({ format: 'jwk' }), kid: 'k' });
    assert.match(errorsOf(read(base, publicJwk))[0] ?? '', /is a public key/);
    const ec = makeServiceKey('ec');
    assert.match(errorsOf(read(base, ec.pem))[0] ?? '', /must be an RSA key/);
    assert.match(errorsOf(read(base, ec.jwk))[0] ?? '', /must be an RSA key/);
    const encrypted = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    assert.match(errorsOf(read(base, encrypted))[0] ?? '', /is encrypted/);
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    assert.match(errorsOf(read(base, cert))[0] ?? '', /neither a PEM private key nor a JWK/);
    assert.match(
      errorsOf(read(base, JSON.stringify({ keys: [JSON.parse(key.jwk)] })))[0] ?? '',
      /JWK Set/,
    );
  });

  it('never quotes the key, in errors or when the settings are printed', () => {
    // A PEM whose body was damaged in transit: refused without echoing any of it.
    const lines = key.pem.split('\n');
    const damaged = [
      lines[0],
      ...lines.slice(1, -2).map((l) => l.split('').reverse().join('')),
      ...lines.slice(-2),
    ].join('\n');
    const errors = errorsOf(read(base, damaged));
    assert.match(errors[0] ?? '', /not a usable private key/);
    for (const piece of [...keyPieces(damaged), ...keyPieces(key.pem)]) {
      assert.ok(!errors.join('\n').includes(piece));
    }
    const result = read(base);
    assert.equal(result.kind, 'on');
    const printed = `${JSON.stringify(result)} ${inspect(result, { depth: 10 })} ${String(result.kind === 'on' && result.settings.privateKey)}`;
    for (const piece of keyPieces(key.pem)) assert.ok(!printed.includes(piece), 'key printed');
    assert.match(printed, /\[Okta private key redacted\]/);
  });
});
