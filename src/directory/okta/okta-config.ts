// Okta settings from the environment (an env-like record, so the lead can wire it into
// src/config.ts as it is). Off unless OKTA_ORG_URL or another OKTA_ variable of ours is set; when
// on, every problem is reported at once, one clear line per variable, and none of them quotes the
// private key.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OktaPrivateKey } from './private-key';

export type OktaAction = 'suspend' | 'deactivate';

export interface OktaSettings {
  /** https origin of the Okta org, e.g. https://acme.okta.com (no path, no trailing slash). */
  orgUrl: string;
  /** The OAuth 2.0 service app's client id. */
  clientId: string;
  /** Where the key was read from: named in messages, instead of the key. */
  privateKeyPath: string;
  privateKey: OktaPrivateKey;
  /** The kid of the public key registered on the service app; from OKTA_KEY_ID or the JWK's kid. */
  keyId: string;
  /** What "close the Okta account" means: suspend (reversible) or deactivate (deprovisions apps). */
  action: OktaAction;
}

export type OktaSettingsResult =
  { kind: 'off' } | { kind: 'on'; settings: OktaSettings } | { kind: 'invalid'; errors: string[] };

export const OKTA_VARIABLES = [
  'OKTA_ORG_URL',
  'OKTA_CLIENT_ID',
  'OKTA_PRIVATE_KEY_PATH',
  'OKTA_KEY_ID',
  'OKTA_ACTION',
] as const;

type Env = Readonly<Record<string, string | undefined>>;
export type ReadKeyFile = (path: string) => string;

const readUtf8: ReadKeyFile = (path) => readFileSync(path, 'utf8');

/**
 * RSA only. Okta accepts EC keys for private_key_jwt, but SDK 8.x signs a DPoP proof with RS256
 * before every token request whatever the key (src/dpop.js), so an EC key fails at the first call.
 */
const JWK_ALGS = new Set(['RS256', 'RS384', 'RS512']);
const RSA_ONLY = 'must be an RSA key: the Okta Node SDK signs with RS256 and cannot use EC keys.';

export function readOktaSettings(
  env: Env,
  readKeyFile: ReadKeyFile = readUtf8,
): OktaSettingsResult {
  const value = (name: (typeof OKTA_VARIABLES)[number]): string | undefined => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  if (OKTA_VARIABLES.every((name) => value(name) === undefined)) return { kind: 'off' };

  const errors: string[] = [];
  const orgUrl = readOrgUrl(value('OKTA_ORG_URL'), errors);
  const clientId = value('OKTA_CLIENT_ID');
  if (!clientId)
    errors.push('OKTA_CLIENT_ID is required: the client id of the Okta API service app.');
  const action = readAction(value('OKTA_ACTION'), errors);
  const keyPath = value('OKTA_PRIVATE_KEY_PATH');
  let key: { privateKey: OktaPrivateKey; kid?: string } | undefined;
  if (!keyPath) {
    errors.push(
      'OKTA_PRIVATE_KEY_PATH is required: a file holding the service app private key (PEM or JWK).',
    );
  } else {
    key = readKey(keyPath, readKeyFile, errors);
  }
  const keyId = readKeyId(value('OKTA_KEY_ID'), key, errors);

  if (errors.length > 0 || !orgUrl || !clientId || !keyPath || !key || !keyId || !action) {
    return { kind: 'invalid', errors };
  }
  return {
    kind: 'on',
    settings: {
      orgUrl,
      clientId,
      privateKeyPath: keyPath,
      privateKey: key.privateKey,
      keyId,
      action,
    },
  };
}

function readOrgUrl(raw: string | undefined, errors: string[]): string | undefined {
  if (!raw) {
    errors.push('OKTA_ORG_URL is required when Okta is configured, e.g. https://acme.okta.com.');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    errors.push(`OKTA_ORG_URL must be an https:// URL (got "${raw}").`);
    return undefined;
  }
  if (url.protocol !== 'https:') {
    // The access token and the client assertion would cross the network in clear.
    errors.push(`OKTA_ORG_URL must be an https:// URL (got "${raw}").`);
    return undefined;
  }
  if (
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    errors.push(
      `OKTA_ORG_URL must be the org's address alone, like https://acme.okta.com, without path, query or credentials (got "${raw}").`,
    );
    return undefined;
  }
  // The Admin Console's host answers the Management API with 404s: a common copy-paste mistake.
  if (/-admin\./i.test(url.hostname)) {
    errors.push(
      `OKTA_ORG_URL must be the org URL, not the Admin Console's (drop "-admin" from ${url.hostname}).`,
    );
    return undefined;
  }
  return url.origin;
}

function readAction(raw: string | undefined, errors: string[]): OktaAction | undefined {
  if (raw === undefined) return 'suspend';
  const action = raw.toLowerCase();
  if (action === 'suspend' || action === 'deactivate') return action;
  errors.push(`OKTA_ACTION must be "suspend" or "deactivate" (got "${raw}").`);
  return undefined;
}

function readKey(
  path: string,
  readKeyFile: ReadKeyFile,
  errors: string[],
): { privateKey: OktaPrivateKey; kid?: string } | undefined {
  let text: string;
  try {
    text = readKeyFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    errors.push(
      `OKTA_PRIVATE_KEY_PATH: cannot read ${path}${code ? ` (${code})` : ''}: it must name a readable file holding the service app private key.`,
    );
    return undefined;
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return readJwk(path, trimmed, errors);
  return readPem(path, trimmed, errors);
}

function readJwk(
  path: string,
  text: string,
  errors: string[],
): { privateKey: OktaPrivateKey; kid?: string } | undefined {
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(text) as Record<string, unknown>;
  } catch {
    errors.push(`OKTA_PRIVATE_KEY_PATH: ${path} starts like JSON but is not valid JSON (a JWK).`);
    return undefined;
  }
  if (Array.isArray(jwk['keys'])) {
    errors.push(
      `OKTA_PRIVATE_KEY_PATH: ${path} holds a JWK Set; put the one private key (a single JWK) in the file.`,
    );
    return undefined;
  }
  if (jwk['kty'] !== 'RSA') {
    errors.push(`OKTA_PRIVATE_KEY_PATH: the JWK in ${path} ${RSA_ONLY}`);
    return undefined;
  }
  if (typeof jwk['d'] !== 'string') {
    errors.push(
      `OKTA_PRIVATE_KEY_PATH: the JWK in ${path} is a public key; Revoke needs the private key (with "d").`,
    );
    return undefined;
  }
  if (jwk['alg'] !== undefined && !JWK_ALGS.has(String(jwk['alg']))) {
    errors.push(`OKTA_PRIVATE_KEY_PATH: the JWK in ${path} has an unsupported alg (use RS256).`);
    return undefined;
  }
  try {
    createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    errors.push(`OKTA_PRIVATE_KEY_PATH: the JWK in ${path} is not a usable private key.`);
    return undefined;
  }
  const kid = typeof jwk['kid'] === 'string' && jwk['kid'] ? jwk['kid'] : undefined;
  return { privateKey: new OktaPrivateKey(text, 'jwk'), kid };
}

function readPem(
  path: string,
  text: string,
  errors: string[],
): { privateKey: OktaPrivateKey } | undefined {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text)) {
    errors.push(
      `OKTA_PRIVATE_KEY_PATH: the key in ${path} is encrypted; the Okta SDK needs it unencrypted (protect the file instead).`,
    );
    return undefined;
  }
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(text)) {
    errors.push(
      `OKTA_PRIVATE_KEY_PATH: ${path} holds neither a PEM private key nor a JWK (a certificate or public key is not enough).`,
    );
    return undefined;
  }
  try {
    const type = createPrivateKey(text).asymmetricKeyType;
    if (type !== 'rsa') {
      errors.push(`OKTA_PRIVATE_KEY_PATH: the key in ${path} ${RSA_ONLY}`);
      return undefined;
    }
  } catch {
    errors.push(`OKTA_PRIVATE_KEY_PATH: the PEM in ${path} is not a usable private key.`);
    return undefined;
  }
  return { privateKey: new OktaPrivateKey(text, 'pem') };
}

function readKeyId(
  raw: string | undefined,
  key: { kid?: string } | undefined,
  errors: string[],
): string | undefined {
  if (!key) return raw;
  if (raw && key.kid && raw !== key.kid) {
    errors.push(
      `OKTA_KEY_ID (${raw}) differs from the kid in the JWK (${key.kid}); set one, or make them match.`,
    );
    return undefined;
  }
  const keyId = raw ?? key.kid;
  if (!keyId) {
    // Okta picks the public key to check the client assertion by its kid; the SDK only sends one
    // when the JWK has it or keyId is set (README: "When privateKey is passed in PEM format,
    // keyId value should be provided").
    errors.push(
      'OKTA_KEY_ID is required with a PEM key: the Key ID (kid) Okta shows for the public key on the service app.',
    );
    return undefined;
  }
  return keyId;
}
