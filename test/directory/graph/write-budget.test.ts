// The stand-in keeps Graph's write budget per app and tenant: past it, writes (top-level or inside
// $batch) are answered 429 with Retry-After and the identity service's throttle headers, while
// reads go on; another app has a budget of its own. A window of an hour keeps time out of it.
import assert from 'node:assert/strict';
import {
  ALL_ROLES,
  directoryWithRoles,
  fetchToken,
  rejection,
  SECRET,
  useHarness,
  type Harness,
} from './fixtures';

const HOUR = 3_600_000;

describe('Graph stand-in: the write budget per app and tenant', () => {
  let h: Harness;
  useHarness((harness) => (h = harness));
  afterEach(() => {
    h.standin.writeBudget = undefined;
    h.standin.writeLimits.clear();
  });

  it('refuses the write past the budget with 429 and Retry-After; reads still pass', async () => {
    const users = Array.from(
      { length: 4 },
      (_, i) => h.standin.state.addUser({ userPrincipalName: `w${i}@contoso.test` }).id,
    );
    h.standin.writeBudget = { budget: 3, windowMs: HOUR };
    for (const id of users.slice(0, 3)) await h.directory.disableUser(id);
    const refused = await rejection(h.directory.disableUser(users[3] ?? ''));
    assert.equal(refused.kind, 'throttled');
    assert.ok((refused.retryAfterMs ?? 0) > HOUR / 2, `Retry-After ${refused.retryAfterMs} ms`);
    assert.equal(h.standin.state.users.get(users[3] ?? '')?.accountEnabled, true);
    assert.equal((await h.directory.getUser(users[3] ?? ''))?.accountEnabled, true);
  });

  it('counts each write inside a $batch and answers the ones past the budget 429 inside it', async () => {
    const devices = Array.from(
      { length: 5 },
      (_, i) => h.standin.state.addDevice({ displayName: `wb${i}` }).id,
    );
    h.standin.writeBudget = { budget: 2, windowMs: HOUR };
    const results = await h.directory.disableDevices(devices);
    const refused = [...results.values()].filter((r) => r?.kind === 'throttled');
    assert.equal(refused.length, 3);
    assert.ok(refused.every((r) => (r?.retryAfterMs ?? 0) > 0));
    assert.equal(
      devices.filter((id) => h.standin.state.devices.get(id)?.accountEnabled === false).length,
      2,
    );
  });

  it("answers Graph's error body and the identity service's throttle headers", async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'raw@contoso.test' });
    h.standin.writeBudget = { budget: 1, windowMs: HOUR };
    const token = await fetchToken(h.standin, h.app.clientId, SECRET);
    const patch = () =>
      fetch(`${h.standin.origin}/v1.0/users/${user.id}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ accountEnabled: false }),
      });
    assert.equal((await patch()).status, 204);
    const answer = await patch();
    assert.equal(answer.status, 429);
    assert.match(answer.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(answer.headers.get('x-ms-throttle-information'), 'WriteLimitExceeded');
    assert.match(answer.headers.get('x-ms-throttle-scope') ?? '', /^Tenant_Application\/Write\//);
    const body = (await answer.json()) as { error?: { code?: string; innerError?: object } };
    assert.equal(body.error?.code, 'TooManyRequests');
    assert.ok(body.error?.innerError);
  });

  it('keeps a separate budget for each app', async () => {
    const [a, b] = [0, 1].map(
      (i) => h.standin.state.addUser({ userPrincipalName: `app${i}@contoso.test` }).id,
    );
    h.standin.writeBudget = { budget: 1, windowMs: HOUR };
    await h.directory.disableUser(a ?? '');
    const other = directoryWithRoles(h, ALL_ROLES);
    await other.disableUser(b ?? '');
    assert.equal(h.standin.state.users.get(b ?? '')?.accountEnabled, false);
  });
});
