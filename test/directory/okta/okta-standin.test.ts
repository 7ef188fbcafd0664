// The Okta stand-in itself, spoken to without the SDK, so that what the adapter tests rely on is
// checked on its own: the token endpoint refuses what Okta refuses, the API checks tokens and
// scopes, search and filter differ on case as Okta documents, and paging follows Link headers.
import assert from 'node:assert/strict';
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { OktaStandin, type ServiceApp } from '../../support/okta-standin';
import { makeServiceKey, type ServiceKey } from './okta-fixtures';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('Okta stand-in', () => {
  let standin: OktaStandin;
  let key: ServiceKey;
  let app: ServiceApp;
  before(async () => {
    standin = await new OktaStandin().start();
    key = makeServiceKey();
    app = standin.state.registerApp(
      [{ kid: key.kid, publicKey: key.publicKey }],
      ['okta.users.read'],
    );
  });
  after(async () => {
    await standin.stop();
  });

  function assertion(claims: Record<string, unknown> = {}, signWith = key): string {
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64({ alg: 'RS256', kid: key.kid })}.${b64({
      aud: `${standin.orgUrl}/oauth2/v1/token`,
      iss: app.clientId,
      sub: app.clientId,
      exp: now + 300,
      jti: randomUUID(),
      ...claims,
    })}`;
    return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(signWith.pem)).toString('base64url')}`;
  }

  async function token(jwt: string, scope = 'okta.users.read') {
    const res = await fetch(`${standin.orgUrl}/oauth2/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  it('issues a token for a good assertion, once per jti', async () => {
    const jwt = assertion();
    const first = await token(jwt);
    assert.equal(first.status, 200);
    assert.equal(first.body['scope'], 'okta.users.read');
    const replay = await token(jwt);
    assert.deepEqual([replay.status, replay.body['error']], [401, 'invalid_client']);
  });

  it('refuses a wrong audience, a foreign signature, an expired or far-future assertion', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const jwt of [
      assertion({ aud: `${standin.orgUrl}/oauth2/default/v1/token` }),
      assertion({}, makeServiceKey()),
      assertion({ exp: now - 1 }),
      assertion({ exp: now + 7200 }),
      assertion({ sub: 'someone-else' }),
    ]) {
      const answer = await token(jwt);
      assert.deepEqual(
        [answer.status, answer.body['error']],
        [401, 'invalid_client'],
        answer.body['error_description'],
      );
    }
  });

  it('refuses scopes the app was not granted, with the OAuth error body', async () => {
    const answer = await token(assertion(), 'okta.users.read okta.users.manage');
    assert.equal(answer.status, 400);
    assert.equal(answer.body['error'], 'invalid_scope');
    assert.match(answer.body['error_description'] ?? '', /okta\.users\.manage/);
  });

  async function api(path: string, bearer?: string, method = 'GET') {
    const res = await fetch(`${standin.orgUrl}${path}`, {
      method,
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    });
    const text = await res.text();
    return { res, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  it("answers 401 E0000011 without a token and 403 E0000006 without the scope, in Okta's shape", async () => {
    const user = standin.state.addUser('sam@contoso.com');
    const none = await api('/api/v1/users');
    assert.equal(none.res.status, 401);
    assert.equal((none.body as Record<string, unknown>)['errorCode'], 'E0000011');
    const { body } = await token(assertion());
    const forbidden = await api(
      `/api/v1/users/${user.id}/lifecycle/suspend`,
      body['access_token'],
      'POST',
    );
    assert.equal(forbidden.res.status, 403);
    assert.deepEqual(Object.keys(forbidden.body as object).sort(), [
      'errorCauses',
      'errorCode',
      'errorId',
      'errorLink',
      'errorSummary',
    ]);
    const challenge = forbidden.res.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /error="insufficient_scope"/);
    assert.match(challenge, /scope="okta\.users\.manage"/);
    assert.equal(user.status, 'ACTIVE');
    for (const name of ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset']) {
      assert.match(forbidden.res.headers.get(name) ?? '', /^\d+$/);
    }
  });

  it('searches case-insensitively, filters case-sensitively, and pages with Link rel="next"', async () => {
    standin.state.users.clear();
    standin.state.addUser('Tess@Contoso.com');
    standin.state.addUser('tess.b@contoso.com', {
      email: 'tess@contoso.com',
      status: 'DEPROVISIONED',
    });
    const { body } = await token(assertion());
    const bearer = body['access_token'];
    const q = (name: string, expr: string) => `/api/v1/users?${name}=${encodeURIComponent(expr)}`;
    const searched = await api(
      q('search', 'profile.login eq "tess@contoso.com" or profile.email eq "tess@contoso.com"'),
      bearer,
    );
    assert.equal((searched.body as unknown[]).length, 2);
    const filtered = await api(q('filter', 'profile.login eq "tess@contoso.com"'), bearer);
    assert.equal((filtered.body as unknown[]).length, 0);
    const all = await api('/api/v1/users?limit=1', bearer);
    // Without search or filter, DEPROVISIONED users are left out.
    assert.equal((all.body as unknown[]).length, 1);
    assert.doesNotMatch(all.res.headers.get('link') ?? '', /rel="next"/);
    const paged = await api(`${q('search', 'profile.email sw "tess"')}&limit=1`, bearer);
    const next = /<([^>]+)>; rel="next"/.exec(paged.res.headers.get('link') ?? '')?.[1];
    assert.ok(next?.startsWith(standin.orgUrl), 'no next link');
    const second = await api((next ?? '').slice(standin.orgUrl.length), bearer);
    assert.equal((second.body as unknown[]).length, 1);
    const bad = await api(q('search', 'profile.login = "x"'), bearer);
    assert.equal((bad.body as Record<string, unknown>)['errorCode'], 'E0000031');
  });
});
