// pino's `redact` paths: the exact key names under which credentials travel in this code base
// and its SDKs, at any depth the logger keeps. They are the declarative first net; the rule in
// redact.ts (a key whose last word names a secret) is broader and runs as pino's log formatter,
// so a new spelling (`ldapBindPassword`) is still hidden before anyone adds it here.

const SECRET_KEY_NAMES = [
  'password',
  'Password',
  'passwd',
  'pwd',
  'passphrase',
  'newPassword',
  'bindPassword',
  'clientSecret',
  'client_secret',
  'secret',
  'appPassword',
  'MicrosoftAppPassword',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'authorization',
  'Authorization',
  'clientAssertion',
  'client_assertion',
  'cookie',
  'set-cookie',
  'apiKey',
  'x-api-key',
  'privateKey',
  'key',
  'credential',
  'credentials',
  'connectionString',
  'unicodePwd',
] as const;

/** How many levels of nesting the paths reach (the formatter's rule has no such limit). */
export const REDACT_DEPTH = 4;

export function secretRedactPaths(): string[] {
  const paths: string[] = [];
  for (const name of SECRET_KEY_NAMES) {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
    for (let depth = 0; depth <= REDACT_DEPTH; depth++) {
      const prefix = '*.'.repeat(depth);
      paths.push(key.startsWith('[') ? `${prefix.slice(0, -1) || ''}${key}` : `${prefix}${key}`);
    }
  }
  return paths;
}
