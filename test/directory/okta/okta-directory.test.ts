// The Okta adapter with the real @okta/okta-sdk-nodejs against the HTTPS Okta stand-in, reached
// through the SDK's own orgUrl option and authenticated as a service app with a private key.
import assert from 'node:assert/strict';
import { OktaSdkDirectory, OKTA_SCOPES } from '../../../src/directory/okta';
import { OktaStandin, type ServiceApp } from '../../support/okta-standin';
import { makeServiceKey, rejection, settingsFor, type ServiceKey } from './okta-fixtures';

describe('Okta adapter (real SDK) against the Okta stand-in', () => {
  let standin: OktaStandin;
  let key: ServiceKey;
  let app: ServiceApp;

  before(async () => {
    standin = await new OktaStandin().start();
    key = makeServiceKey();
  });
  after(async () => {
    await standin.stop();
  });
  beforeEach(() => {
    standin.state.users.clear();
    standin.state.apps.clear();
    standin.faults.clear();
    standin.log.reset();
    standin.rateLimits.reset();
    app = standin.state.registerApp([{ kid: key.kid, publicKey: key.publicKey }], [...OKTA_SCOPES]);
  });

  function okta(pageSize?: number): OktaSdkDirectory {
    return new OktaSdkDirectory(settingsFor(standin.orgUrl, app.clientId, key), {
      timeoutMs: 5_000,
      ...(pageSize ? { pageSize } : {}),
    });
  }

  describe('findUser', () => {
    it('finds the account by login regardless of case, with the status Okta reports', async () => {
      const alice = standin.state.addUser('Alice.Smith@Contoso.com', {
        firstName: 'Alice',
        lastName: 'Smith',
      });
      standin.state.addUser('alice.smithers@contoso.com');
      const found = await okta().findUser('alice.smith@contoso.com');
      assert.deepEqual(found, {
        id: alice.id,
        login: 'Alice.Smith@Contoso.com',
        email: 'Alice.Smith@Contoso.com',
        displayName: 'Alice Smith',
        status: 'ACTIVE',
      });
      // Okta's search (case-insensitive values) was used, not its case-sensitive filter.
      const asked = new URL(standin.log.calls.at(-1)?.url ?? '', standin.orgUrl);
      assert.match(
        asked.searchParams.get('search') ?? '',
        /^profile\.login eq "alice\.smith@contoso\.com"/,
      );
    });

    it('falls back to the e-mail when no login matches, and says undefined when nothing does', async () => {
      const bob = standin.state.addUser('bob', { email: 'bob@contoso.com' });
      assert.equal((await okta().findUser('BOB@contoso.com'))?.id, bob.id);
      assert.equal(await okta().findUser('carol@contoso.com'), undefined);
    });

    it('refuses an e-mail two accounts share, naming both, but takes an exact login first', async () => {
      const first = standin.state.addUser('dana', { email: 'dana@contoso.com' });
      standin.state.addUser('dana.old', { email: 'dana@contoso.com', status: 'DEPROVISIONED' });
      const error = await rejection(okta().findUser('dana@contoso.com'));
      assert.equal(error.kind, 'rejected');
      assert.equal(error.code, 'ambiguous');
      assert.match(error.message, /dana \(ACTIVE\).*dana\.old \(DEPROVISIONED\)/);
      assert.equal((await okta().findUser('dana'))?.id, first.id);
    });

    it('reads every page Okta links with rel="next" before deciding', async () => {
      standin.state.addUser('erin.a', { email: 'erin@contoso.com' });
      standin.state.addUser('erin.b', { email: 'erin@contoso.com' });
      const erin = standin.state.addUser('erin@contoso.com', { email: 'erin.c@contoso.com' });
      // One user per page: the login match is on the third page.
      assert.equal((await okta(1).findUser('erin@contoso.com'))?.id, erin.id);
      assert.equal(standin.log.count('GET /api/v1/users'), 3);
      const pages = standin.log.calls.filter((c) => c.route === 'GET /api/v1/users');
      assert.ok(pages.slice(1).every((c) => c.url.includes('after=')));
    });
  });

  describe('lifecycle', () => {
    it('suspends, counts a second suspend as done, and unsuspends for restore', async () => {
      const user = standin.state.addUser('frank@contoso.com');
      const dir = okta();
      // Read first: the read-back after the suspend must come from Okta, not the SDK's cache.
      assert.equal((await dir.getUser(user.id))?.status, 'ACTIVE');
      await dir.suspendUser(user.id);
      assert.equal(user.status, 'SUSPENDED');
      assert.equal((await dir.getUser(user.id))?.status, 'SUSPENDED');
      standin.log.reset();
      await dir.suspendUser(user.id);
      // Okta refused the second suspend (400 E0000001); the read-back showed it was already done.
      assert.deepEqual(
        standin.log.calls.map((c) => `${c.route} ${c.status}`),
        ['POST /api/v1/users/{id}/lifecycle/suspend 400', 'GET /api/v1/users/{id} 200'],
      );
      await dir.unsuspendUser(user.id);
      assert.equal(user.status, 'ACTIVE');
      await dir.unsuspendUser(user.id);
      assert.equal(user.status, 'ACTIVE');
    });

    it('still refuses a suspend Okta refuses for another reason', async () => {
      const user = standin.state.addUser('gina@contoso.com', { status: 'DEPROVISIONED' });
      const error = await rejection(okta().suspendUser(user.id));
      assert.equal(error.kind, 'rejected');
      assert.equal(error.code, 'E0000001');
      assert.match(error.message, /Only users in ACTIVE status can be suspended/);
      assert.equal(user.status, 'DEPROVISIONED');
    });

    it('deactivates (idempotently) and never deletes the user', async () => {
      const user = standin.state.addUser('hank@contoso.com', { status: 'SUSPENDED' });
      const dir = okta();
      await dir.deactivateUser(user.id);
      assert.equal(user.status, 'DEPROVISIONED');
      await dir.deactivateUser(user.id);
      assert.equal(standin.state.users.get(user.id)?.status, 'DEPROVISIONED');
      assert.ok(standin.log.calls.every((c) => c.method !== 'DELETE'));
    });

    it('clears every session and the OAuth tokens Okta issued', async () => {
      const user = standin.state.addUser('ivy@contoso.com', { sessions: 3, oauthTokens: 2 });
      const other = standin.state.addUser('jo@contoso.com', { sessions: 1, oauthTokens: 1 });
      await okta().clearSessions(user.id);
      assert.equal(user.sessions, 0);
      assert.equal(user.oauthTokens, 0);
      assert.deepEqual([other.sessions, other.oauthTokens], [1, 1]);
      const call = standin.log.calls.find((c) => c.route === 'DELETE /api/v1/users/{id}/sessions');
      assert.equal(
        new URL(call?.url ?? '', standin.orgUrl).searchParams.get('oauthTokens'),
        'true',
      );
      assert.equal(call?.status, 204);
    });

    it('reads a user that is gone as undefined', async () => {
      assert.equal(await okta().getUser('00unosuchuser0000000'), undefined);
    });
  });

  describe('throttling and failures', () => {
    it('turns a 429 into throttled with the wait from X-Rate-Limit-Reset against Date', async () => {
      // The org's clock stands still (on a whole second, as the Date header shows it).
      const at = Math.floor(Date.now() / 1000) * 1000;
      standin.now = () => at;
      try {
        standin.faults.add({
          method: 'GET',
          path: /^\/api\/v1\/users$/,
          status: 429,
          retryAfterSeconds: 42,
        });
        const error = await rejection(okta().findUser('kim@contoso.com'));
        assert.equal(error.kind, 'throttled');
        assert.equal(error.code, 'E0000047');
        // Reset is 42 s after the answer's Date; one second more for the headers' sub-second skew.
        assert.equal(error.retryAfterMs, 43_000);
        assert.ok(error.retryable);
        assert.ok(error.requestId, 'X-Okta-Request-Id is kept');
      } finally {
        standin.now = Date.now;
      }
    });

    it('leaves retrying to Revoke: the SDK sends a throttled call once', async () => {
      standin.state.addUser('lee@contoso.com');
      // The window resets now: the SDK's default executor would retry after a second and succeed.
      standin.faults.add({
        method: 'GET',
        path: /^\/api\/v1\/users$/,
        status: 429,
        retryAfterSeconds: 0,
      });
      const error = await rejection(okta().findUser('lee@contoso.com'));
      assert.equal(error.kind, 'throttled');
      assert.equal(standin.log.count('GET /api/v1/users'), 1);
      assert.ok(standin.log.calls.every((c) => c.retryCount === undefined));
    });

    it('meets the org rate limit itself with the window Okta announces', async () => {
      const user = standin.state.addUser('max@contoso.com');
      standin.rateLimits.limits.set('GET /api/v1/users/{id}', 1);
      try {
        const dir = okta();
        await dir.getUser(user.id);
        const error = await rejection(dir.getUser(user.id));
        assert.equal(error.kind, 'throttled');
        assert.ok((error.retryAfterMs ?? 0) > 1_000 && (error.retryAfterMs ?? 0) <= 61_000);
      } finally {
        standin.rateLimits.limits.clear();
      }
    });

    it('turns a 503 into transient and an unreachable org into transient', async () => {
      const user = standin.state.addUser('ned@contoso.com');
      standin.faults.add({ path: /\/lifecycle\/suspend$/, status: 503 });
      const error = await rejection(okta().suspendUser(user.id));
      assert.equal(error.kind, 'transient');
      assert.equal(user.status, 'ACTIVE');
      const gone = new OktaSdkDirectory(settingsFor('https://127.0.0.1:1', app.clientId, key), {
        timeoutMs: 2_000,
      });
      assert.equal((await rejection(gone.getUser(user.id))).kind, 'transient');
    });
  });

  it('gives up on an answer that never comes, as transient', async () => {
    const user = standin.state.addUser('olive@contoso.com');
    standin.faults.add({ path: /lifecycle\/suspend$/, status: 503, hang: true });
    const dir = new OktaSdkDirectory(settingsFor(standin.orgUrl, app.clientId, key), {
      timeoutMs: 300,
    });
    const error = await rejection(dir.suspendUser(user.id));
    assert.equal(error.kind, 'transient');
    assert.equal(error.code, 'Timeout');
  });

  describe('credentials and scopes', () => {
    it('fetches a new access token when Okta no longer accepts the old one', async () => {
      const user = standin.state.addUser('omar@contoso.com');
      const dir = okta();
      await dir.getUser(user.id);
      // Okta's access tokens live an hour; this one has just expired.
      for (const issued of standin.state.tokens.values()) issued.expiresAtSec = 0;
      await dir.suspendUser(user.id);
      assert.equal(user.status, 'SUSPENDED');
      assert.deepEqual(standin.log.calls.map((c) => `${c.route} ${c.status}`).slice(2), [
        'POST /api/v1/users/{id}/lifecycle/suspend 401',
        'POST /oauth2/v1/token 200',
        'POST /api/v1/users/{id}/lifecycle/suspend 200',
      ]);
    });

    it('reports the granted scopes without touching any user', async () => {
      assert.deepEqual(await okta().grantedScopes(), ['okta.users.read', 'okta.users.manage']);
      assert.deepEqual(
        standin.log.calls.map((c) => c.route),
        ['POST /oauth2/v1/token'],
      );
    });

    it('names the scope Okta would not grant the service app', async () => {
      app.grantedScopes.delete('okta.users.manage');
      const error = await rejection(okta().findUser('olga@contoso.com'));
      assert.equal(error.kind, 'permission');
      assert.equal(error.code, 'invalid_scope');
      assert.match(error.advice ?? '', /okta\.users\.manage/);
      assert.ok((error.advice ?? '').includes(app.clientId));
    });

    it('names the scope a 403 says the access token lacks', async () => {
      const user = standin.state.addUser('pat@contoso.com');
      const dir = okta();
      await dir.getUser(user.id);
      // An administrator took the grant away after the token was issued.
      for (const issued of standin.state.tokens.values()) {
        issued.scopes = issued.scopes.filter((s) => s !== 'okta.users.manage');
      }
      const error = await rejection(dir.clearSessions(user.id));
      assert.equal(error.kind, 'permission');
      assert.equal(error.code, 'E0000006');
      assert.match(error.advice ?? '', /scope okta\.users\.manage /);
    });

    it('signs with a PKCS#8 or PKCS#1 PEM plus OKTA_KEY_ID, or a JWK with its kid', async () => {
      const user = standin.state.addUser('quinn@contoso.com');
      const viaJwk = new OktaSdkDirectory(settingsFor(standin.orgUrl, app.clientId, key, 'jwk'));
      assert.equal((await viaJwk.getUser(user.id))?.id, user.id);
      const pkcs1 = { ...key, pem: key.pkcs1Pem };
      const viaPkcs1 = new OktaSdkDirectory(settingsFor(standin.orgUrl, app.clientId, pkcs1));
      assert.equal((await viaPkcs1.getUser(user.id))?.id, user.id);
      // Each token request carried a fresh, verified client assertion.
      assert.equal(standin.log.count('POST /oauth2/v1/token'), 2);
    });

    it('is refused a token when the key is not the one registered, and says what to check', async () => {
      const stranger = makeServiceKey();
      const dir = new OktaSdkDirectory(
        settingsFor(standin.orgUrl, app.clientId, { ...stranger, kid: key.kid }),
      );
      const error = await rejection(dir.getUser('00uanyone'));
      assert.equal(error.kind, 'permission');
      assert.equal(error.code, 'invalid_client');
      assert.match(error.advice ?? '', new RegExp(key.kid));
      assert.ok(standin.log.calls.every((c) => !c.route.startsWith('GET')));
    });
  });
});
