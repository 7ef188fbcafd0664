// A Google service account for the tests: an RSA key pair and the JSON key file Google's console
// downloads, whose token_uri points at the stand-in. The stand-in keeps the public key only, as
// Google does, and checks every assertion's signature against it.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';

export interface TestServiceAccount {
  clientEmail: string;
  clientId: string;
  privateKeyId: string;
  privateKeyPem: string;
  publicKey: KeyObject;
}

let counter = 0;

export function makeServiceAccount(name = 'revoke'): TestServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  counter++;
  return {
    clientEmail: `${name}-${counter}@revoke-tests.iam.gserviceaccount.com`,
    clientId: String(108_000_000_000_000_000_000n + BigInt(counter)),
    privateKeyId: randomBytes(20).toString('hex'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
  };
}

/** The key file's JSON, as Google's console writes it, with the token endpoint given. */
export function keyFileJson(account: TestServiceAccount, tokenUri: string): Record<string, string> {
  return {
    type: 'service_account',
    project_id: 'revoke-tests',
    private_key_id: account.privateKeyId,
    private_key: account.privateKeyPem,
    client_email: account.clientEmail,
    client_id: account.clientId,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    universe_domain: 'googleapis.com',
  };
}

export function writeKeyFile(path: string, account: TestServiceAccount, tokenUri: string): string {
  writeFileSync(path, JSON.stringify(keyFileJson(account, tokenUri), null, 2), { mode: 0o600 });
  return path;
}
