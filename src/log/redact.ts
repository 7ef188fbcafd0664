// Turns anything a caller logs into JSON-safe data with secrets removed. Two nets: keys that name
// a secret hide their whole value, and strings that look like credentials are masked wherever
// they appear, because a token pasted into an innocent field (or an error message) is the usual
// leak.

export const REDACTED = '[redacted]';

const MAX_DEPTH = 8;
const MAX_STRING = 8_192;

/**
 * A key names a secret when its last word does: `clientSecret`, `x-api-key`, `newPassword`,
 * `set-cookie`. Judging by the last word keeps `keyId`, `tokenType`, `passwordLastSet`,
 * `pwdLastSet` and `secretName` visible: they describe a secret without being one.
 */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'authorization',
  'assertion',
  'cookie',
  'cookies',
  'key',
  'keys',
  'apikey',
  'credential',
  'credentials',
  'connectionstring',
  'sig',
  'signature',
]);

export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  const last = words.at(-1);
  if (last === undefined) return false;
  return SECRET_WORDS.has(last) || SECRET_WORDS.has(words.join(''));
}

const VALUE_PATTERNS: readonly [RegExp, string][] = [
  // JWTs (access tokens, id tokens, client assertions): header.payload[.signature]
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g, REDACTED],
  // HTTP credentials in headers or copied into messages.
  [/\b(Bearer|Basic|Negotiate|NTLM)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // user:password@ in URLs (e.g. a PostgreSQL DATABASE_URL).
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s/@]+@/gi, `$1:${REDACTED}@`],
  // Secrets passed in query strings or "key=value" text.
  [
    /\b(password|passwd|pwd|client_secret|client_assertion|secret|access_token|refresh_token|id_token|sig|token|api[_-]?key)=([^\s&"']+)/gi,
    `$1=${REDACTED}`,
  ],
];

/**
 * What each pattern above cannot match without: `eyJ`, one of the scheme words, `://`, or `=`.
 * One scan for these lets the common string (a name, an id, a sentence) skip the four
 * replacements, which every log field and audit detail used to go through.
 */
const MAY_HOLD_A_SECRET = /eyJ|bearer|basic|negotiate|ntlm|:\/\/|=/i;

export function maskString(value: string): string {
  let masked = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…[truncated]` : value;
  if (!MAY_HOLD_A_SECRET.test(masked)) return masked;
  for (const [pattern, replacement] of VALUE_PATTERNS) {
    masked = masked.replace(pattern, replacement);
  }
  return masked;
}

export interface SanitiseOptions {
  /** Include error stacks (they are masked like any string). */
  stacks: boolean;
}

/** Returns a JSON-safe, secret-free copy of `value`. Never throws. */
export function sanitise(value: unknown, options: SanitiseOptions): unknown {
  return walk(value, options, 0, new WeakSet());
}

function walk(
  value: unknown,
  options: SanitiseOptions,
  depth: number,
  seen: WeakSet<object>,
): unknown {
  switch (typeof value) {
    case 'string':
      return maskString(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'undefined':
    case 'function':
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[truncated]';
  seen.add(object);
  try {
    if (object instanceof Error) return serialiseError(object, options, depth, seen);
    if (object instanceof Date) {
      return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
    }
    if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) {
      // Bytes are as likely to be a key as anything else; their size is all we need.
      return `[binary ${object.byteLength} bytes]`;
    }
    if (Array.isArray(object)) return object.map((item) => walk(item, options, depth + 1, seen));
    if (object instanceof Map) {
      return walkEntries(
        [...object.entries()].map(([k, v]) => [String(k), v]),
        options,
        depth,
        seen,
      );
    }
    if (object instanceof Set)
      return [...object].map((item) => walk(item, options, depth + 1, seen));
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      return walk(toJSON.call(object), options, depth + 1, seen);
    }
    return walkEntries(Object.entries(object), options, depth, seen);
  } catch {
    return '[unserialisable]';
  } finally {
    seen.delete(object);
  }
}

function walkEntries(
  entries: [string, unknown][],
  options: SanitiseOptions,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    out[key] = isSecretKey(key) ? REDACTED : walk(item, options, depth + 1, seen);
  }
  return out;
}

function serialiseError(
  error: Error,
  options: SanitiseOptions,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: error.name,
    message: maskString(error.message),
  };
  // Own enumerable properties carry the useful context (code, kind, requestId, retryAfterMs…);
  // they go through the same key and value checks as any field.
  for (const [key, item] of Object.entries(error)) {
    if (key === 'cause' || key === 'stack' || key === 'message' || key === 'name') continue;
    out[key] = isSecretKey(key) ? REDACTED : walk(item, options, depth + 1, seen);
  }
  if (options.stacks && typeof error.stack === 'string') out['stack'] = maskString(error.stack);
  if (error.cause !== undefined) out['cause'] = walk(error.cause, options, depth + 1, seen);
  if (error instanceof AggregateError) {
    out['errors'] = error.errors.map((item: unknown) => walk(item, options, depth + 1, seen));
  }
  return out;
}
