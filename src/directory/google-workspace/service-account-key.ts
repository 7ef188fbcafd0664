// The service account's JSON key file, as the Google Cloud console downloads it: read once at
// start and checked field by field. No message ever quotes the file: it holds the private key, and
// even JSON.parse's own error message can repeat part of the text it failed on.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Google's OAuth 2.0 token endpoint, where a key file's token_uri normally points. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface ServiceAccountKey {
  clientEmail: string;
  /** Shown by the doctor and in advice: the id domain-wide delegation is granted to. */
  clientId: string;
  privateKey: string;
  privateKeyId?: string;
  /** Where the signed assertion is exchanged for an access token (the file's token_uri). */
  tokenUri: string;
}

/** The key, or the problems found, each naming the variable and never the file's content. */
export function readServiceAccountKey(
  variable: string,
  path: string,
): { key: ServiceAccountKey } | { problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { problems: [`${variable} names a file Revoke cannot read (${path}: ${code}).`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problems: [`${variable} (${path}) is not a JSON service account key file.`] };
  }
  return parseServiceAccountKey(variable, json);
}

export function parseServiceAccountKey(
  variable: string,
  json: unknown,
): { key: ServiceAccountKey } | { problems: string[] } {
  const fields = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const text = (name: string): string | undefined => {
    const value = fields[name];
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const problems: string[] = [];
  if (fields['type'] !== 'service_account')
    problems.push(`${variable}: the key file's "type" must be "service_account".`);
  const clientEmail = text('client_email');
  if (!clientEmail || !clientEmail.includes('@'))
    problems.push(`${variable}: the key file has no "client_email".`);
  const clientId = text('client_id');
  if (!clientId) problems.push(`${variable}: the key file has no "client_id".`);
  const privateKey = text('private_key');
  if (!privateKey || !isPrivateKey(privateKey))
    problems.push(`${variable}: the key file's "private_key" is not a PEM private key.`);
  const tokenUri = text('token_uri') ?? GOOGLE_TOKEN_URL;
  if (!isHttps(tokenUri))
    problems.push(`${variable}: the key file's "token_uri" must be an https:// URL.`);
  if (problems.length > 0 || !clientEmail || !clientId || !privateKey) return { problems };
  const privateKeyId = text('private_key_id');
  return {
    key: {
      clientEmail,
      clientId,
      privateKey,
      tokenUri,
      ...(privateKeyId === undefined ? {} : { privateKeyId }),
    },
  };
}

function isPrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

function isHttps(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
