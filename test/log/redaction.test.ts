import assert from 'node:assert/strict';
import { createLogger } from '../../src/log/logger';
import { isSecretKey, maskString, REDACTED } from '../../src/log/redact';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.' +
  'Zm9vYmFyLXNpZ25hdHVyZS12YWx1ZS1oZXJl';

function logOne(
  fields: Record<string, unknown>,
  message = 'm',
): { line: string; entry: Record<string, unknown> } {
  const lines: string[] = [];
  createLogger({ level: 'debug', sink: (l) => lines.push(l) }).info(message, fields);
  const line = lines[0] ?? '';
  return { line, entry: JSON.parse(line) as Record<string, unknown> };
}

describe('secret keys', () => {
  for (const key of [
    'password',
    'newPassword',
    'bindPassword',
    'LDAP_BIND_PASSWORD',
    'pwd',
    'passphrase',
    'clientSecret',
    'client_secret',
    'MicrosoftAppPassword',
    'accessToken',
    'refresh_token',
    'token',
    'authorization',
    'Authorization',
    'clientAssertion',
    'cookie',
    'set-cookie',
    'apiKey',
    'x-api-key',
    'privateKey',
    'key',
    'credentials',
    'connectionString',
    'APIKey',
    // Every name the logger once also listed as pino redact paths, now caught by this rule alone.
    'Password',
    'passwd',
    'secret',
    'appPassword',
    'access_token',
    'refreshToken',
    'idToken',
    'id_token',
    'client_assertion',
    'credential',
    'unicodePwd',
  ]) {
    it(`treats "${key}" as secret`, () => assert.equal(isSecretKey(key), true));
  }

  for (const key of [
    'keyId',
    'keyVaultUrl',
    'tokenType',
    'tokenExpiresAt',
    'passwordLastSet',
    'pwdLastSet',
    'secretName',
    'monkey',
    'turkey',
    'requestId',
    'userPrincipalName',
    'authorizationUrl',
  ]) {
    it(`leaves "${key}" visible`, () => assert.equal(isSecretKey(key), false));
  }
});

describe('redaction in log entries', () => {
  it('replaces secret fields at any depth, in arrays and in child fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', sink: (l) => lines.push(l) }).child({
      auth: { clientSecret: 's3cr3t-value' },
    });
    logger.info('calling graph', {
      request: {
        headers: { Authorization: 'Bearer abc', 'content-type': 'application/json' },
        body: [{ password: 'Hunter2!Hunter2!' }, { keyId: 'kid-1' }],
      },
      tokens: { access: 'x', refresh: 'y' },
    });
    const line = lines[0] ?? '';
    for (const secret of ['s3cr3t-value', 'Bearer abc', 'Hunter2!', '"x"', '"y"']) {
      assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
    }
    const entry = JSON.parse(line) as {
      auth: { clientSecret: string };
      request: { headers: Record<string, string>; body: Record<string, string>[] };
      tokens: string;
    };
    assert.equal(entry.auth.clientSecret, REDACTED);
    assert.equal(entry.request.headers['Authorization'], REDACTED);
    assert.equal(entry.request.headers['content-type'], 'application/json');
    assert.equal(entry.request.body[0]?.['password'], REDACTED);
    assert.equal(entry.request.body[1]?.['keyId'], 'kid-1');
    assert.equal(entry.tokens, REDACTED);
  });

  it('censors deeper than any fixed path, and in the base fields every entry carries', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      sink: (l) => lines.push(l),
      base: { service: 'revoke', clientSecret: 'base-s3cr3t' },
    });
    logger.warn('deep', { a: { b: { c: { d: { e: { refresh_token: 'deep-t0ken' } } } } } });
    const line = lines[0] ?? '';
    for (const secret of ['base-s3cr3t', 'deep-t0ken']) {
      assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
    }
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.equal(entry['clientSecret'], REDACTED);
    assert.equal(entry['service'], 'revoke');
    assert.match(line, /"refresh_token":"\[redacted\]"/);
  });

  it('masks JWTs under innocent keys and inside longer text', () => {
    const { line, entry } = logOne(
      { note: JWT, detail: `got ${JWT} back`, nested: { list: [JWT] } },
      `token was ${JWT}`,
    );
    assert.ok(!line.includes('eyJhdWQi'), line);
    assert.equal(entry['note'], REDACTED);
    assert.equal(entry['detail'], `got ${REDACTED} back`);
    assert.equal(entry['msg'], `token was ${REDACTED}`);
  });

  it('masks bearer and basic credentials, URL passwords and secret query parameters', () => {
    const { entry } = logOne({
      header: 'Bearer 0123456789abcdefABCDEF.xyz',
      basic: 'basic dXNlcjpwYXNzd29yZA==',
      db: 'postgres://revoke:hunter2@db.internal:5432/revoke',
      url: 'https://login.example/token?client_id=abc&client_secret=shh-its-secret&scope=x',
    });
    assert.equal(entry['header'], `Bearer ${REDACTED}`);
    assert.equal(entry['basic'], `basic ${REDACTED}`);
    assert.equal(entry['db'], `postgres://revoke:${REDACTED}@db.internal:5432/revoke`);
    assert.equal(
      entry['url'],
      `https://login.example/token?client_id=abc&client_secret=${REDACTED}&scope=x`,
    );
  });

  it('leaves ordinary values alone', () => {
    const ordinary = {
      upn: 'alice.johnson@contoso.com',
      dn: 'CN=Alice Johnson,OU=Finance,DC=corp,DC=contoso,DC=com',
      sid: 'S-1-5-21-1004336348-1177238915-682003330-1105',
      pwdLastSet: '133853472000000000',
      code: 'Authorization_RequestDenied',
      message: 'The code=ENOENT path was missing',
      site: 'https://graph.microsoft.com/v1.0/users/6b1f0c52',
    };
    const { entry } = logOne(ordinary);
    for (const [key, value] of Object.entries(ordinary)) assert.equal(entry[key], value, key);
  });

  it('censors secret names at any depth, hyphenated ones and inside arrays too', () => {
    const { line, entry } = logOne({
      response: { headers: { 'set-cookie': ['session=abc123'], 'x-api-key': 'k-123' } },
      list: [{ unicodePwd: 'UABhAHMAcwA=' }],
      ldap: { bind: { dn: 'CN=svc', ldapBindPassword: 'Hunter2!Hunter2!' } },
    });
    for (const secret of ['abc123', 'k-123', 'UABhAHMAcwA=', 'Hunter2!']) {
      assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
    }
    assert.deepEqual(entry['ldap'], { bind: { dn: 'CN=svc', ldapBindPassword: REDACTED } });
  });

  it('masks whatever the quick pre-check lets through, each pattern alone and in any case', () => {
    // maskString skips strings without `eyJ`, a scheme word, `://` or `=`: each pattern must
    // still be reached by a string that holds only what it needs.
    assert.equal(maskString(`${JWT}`), REDACTED);
    assert.equal(maskString('BEARER 0123456789abcdef'), `BEARER ${REDACTED}`);
    assert.equal(maskString('NeGoTiAtE 0123456789abcdef'), `NeGoTiAtE ${REDACTED}`);
    assert.equal(maskString('ntlm 0123456789abcdef'), `ntlm ${REDACTED}`);
    assert.equal(maskString('ldap://svc:hunter2@dc1'), `ldap://svc:${REDACTED}@dc1`);
    assert.equal(maskString('API-KEY=k-123'), `API-KEY=${REDACTED}`);
    assert.equal(maskString('plain words, nothing else'), 'plain words, nothing else');
  });

  it('masks on its own too (maskString) and truncates huge strings', () => {
    assert.equal(maskString(`x ${JWT}`), `x ${REDACTED}`);
    assert.ok(maskString('a'.repeat(20_000)).length < 9_000);
  });
});
