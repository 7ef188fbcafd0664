// The stand-in must behave like Graph where it matters, or the adapter tests prove nothing.
import assert from 'node:assert/strict';
import { fetchToken, SECRET, startHarness, type Harness } from './fixtures';

describe('Entra/Graph stand-in fidelity', () => {
  let h: Harness;
  let userId: string;
  before(async () => {
    h = await startHarness();
    userId = h.standin.state.addUser({
      userPrincipalName: 'raw@contoso.com',
      mail: 'raw@contoso.com',
    }).id;
  });
  after(async () => {
    await h.standin.stop();
  });

  const graph = (path: string, init: RequestInit = {}) =>
    fetch(`${h.standin.origin}/v1.0${path}`, init);

  it('rejects Graph calls without a bearer token, with Graph error body and ids', async () => {
    const response = await graph(`/users/${userId}`, { headers: { 'client-request-id': 'c-1' } });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(response.headers.get('client-request-id'), 'c-1');
    const body = (await response.json()) as {
      error: { code: string; innerError: Record<string, string> };
    };
    assert.equal(body.error.code, 'InvalidAuthenticationToken');
    assert.equal(body.error.innerError['request-id'], response.headers.get('request-id'));
    assert.equal(body.error.innerError['client-request-id'], 'c-1');
  });

  it('rejects a forged or tampered token', async () => {
    const token = await fetchToken(h.standin, h.app.clientId, SECRET);
    const [head, claims, sig] = token.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    forged['roles'] = ['Directory.ReadWrite.All'];
    const tampered = `${head}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}`;
    const response = await graph(`/users/${userId}`, {
      headers: { Authorization: `Bearer ${tampered}` },
    });
    assert.equal(response.status, 401);
  });

  it('answers with the default property set unless $select asks, and OData context', async () => {
    const token = await fetchToken(h.standin, h.app.clientId, SECRET);
    const auth = { Authorization: `Bearer ${token}` };
    const plain = (await (await graph(`/users/${userId}`, { headers: auth })).json()) as Record<
      string,
      unknown
    >;
    assert.equal('accountEnabled' in plain, false);
    assert.match(String(plain['@odata.context']), /\$metadata#users\/\$entity$/);
    const selected = (await (
      await graph(`/users/${userId}?$select=id,accountEnabled`, { headers: auth })
    ).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(selected).sort(), ['@odata.context', 'accountEnabled', 'id']);
  });

  it('enforces the 20-request limits of $batch and checkMemberGroups', async () => {
    const token = await fetchToken(h.standin, h.app.clientId, SECRET);
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const requests = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: `/users/${userId}`,
    }));
    const batch = await graph('/$batch', {
      method: 'POST',
      headers,
      body: JSON.stringify({ requests }),
    });
    assert.equal(batch.status, 400);
    const groupIds = Array.from({ length: 21 }, (_, i) => `g${i}`);
    const check = await graph(`/users/${userId}/checkMemberGroups`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ groupIds }),
    });
    assert.equal(check.status, 400);
    assert.equal(
      ((await check.json()) as { error: { code: string } }).error.code,
      'Request_BadRequest',
    );
  });

  it('fails a dependent batch request with 424 when its dependency failed', async () => {
    const token = await fetchToken(h.standin, h.app.clientId, SECRET);
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const requests = [
      { id: '2', method: 'GET', url: `/users/${userId}`, dependsOn: ['1'] },
      { id: '1', method: 'GET', url: '/users/nobody@contoso.com' },
    ];
    const response = await graph('/$batch', {
      method: 'POST',
      headers,
      body: JSON.stringify({ requests }),
    });
    const body = (await response.json()) as { responses: { id: string; status: number }[] };
    assert.deepEqual(
      body.responses.map((r) => [r.id, r.status]),
      [
        ['1', 404],
        ['2', 424],
      ],
    );
  });

  it('adds the configured latency to every answer', async () => {
    h.standin.latencyMs = 60;
    try {
      const started = Date.now();
      await graph(`/users/${userId}`);
      assert.ok(Date.now() - started >= 60);
    } finally {
      h.standin.latencyMs = 0;
    }
  });

  it('answers a bad client secret the way Entra ID does', async () => {
    const response = await fetch(`${h.standin.origin}/${h.standin.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: h.app.clientId,
        client_secret: 'nope',
        scope: `${h.standin.origin}/.default`,
      }),
    });
    assert.equal(response.status, 401);
    const body = (await response.json()) as {
      error: string;
      error_codes: number[];
      error_description: string;
    };
    assert.equal(body.error, 'invalid_client');
    assert.deepEqual(body.error_codes, [7000215]);
    assert.match(body.error_description, /^AADSTS7000215: /);
  });
});
