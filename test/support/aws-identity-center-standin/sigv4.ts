// Checks an AWS Signature Version 4 Authorization header the way AWS does: rebuilds the canonical
// request from what arrived, derives the signing key from the secret, and compares signatures.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Undefined when the header is not a well-formed SigV4 Authorization header. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  const match = AUTHORIZATION.exec(header ?? '');
  if (!match) return undefined;
  const [, accessKeyId, date, region, service, signed, signature] = match;
  return {
    accessKeyId: accessKeyId ?? '',
    date: date ?? '',
    region: region ?? '',
    service: service ?? '',
    signedHeaders: (signed ?? '').split(';'),
    signature: signature ?? '',
  };
}

interface SignedRequest {
  auth: ParsedAuthorization;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export function verifySignature(options: SignedRequest & { secretAccessKey: string }): boolean {
  const { auth, secretAccessKey, headers } = options;
  const amzDate = String(headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(auth.date)) return false;
  if (!auth.signedHeaders.includes('host')) return false;
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest(options))].join(
    '\n',
  );
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, auth.date);
  for (const part of [auth.region, auth.service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(auth.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The canonical request, as AWS rebuilds it (and, like AWS, quotes it back in an
 * InvalidSignatureException: signed headers such as x-amz-security-token included).
 */
export function canonicalRequest(options: SignedRequest): string {
  const { auth, method, path, headers, body } = options;
  const canonicalHeaders = auth.signedHeaders
    .map((name) => {
      const value = headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const [pathPart, query = ''] = path.split('?');
  return [
    method,
    pathPart,
    query,
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    sha256(body),
  ].join('\n');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
