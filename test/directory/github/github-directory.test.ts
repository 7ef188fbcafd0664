// The GitHub adapter with the real @octokit/rest against the HTTPS stand-in: exact identity
// mapping, removal and invitations read back, rate limits as throttling the retry layer honours,
// missing permissions as advice, and the token never in an error.
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { DirectoryError } from '../../../src/core/errors';
import { withRetry } from '../../../src/core/retry';
import type { GithubEnterprise, GithubOrganisation } from '../../../src/core/saas/github-port';
import { createGithubDirectory, type GithubSettings } from '../../../src/directory/github';
import { captureLogger } from '../../support/capture-logger';
import { FakeClock } from '../../support/fake-clock';
import { githubErrors, GithubStandin } from '../../support/github-standin';

const ALICE = 'alice.johnson@contoso.com';
const TOKEN = 'github_pat_11SECRETSECRETSECRET';

function settings(standin: GithubStandin, overrides: Partial<GithubSettings> = {}): GithubSettings {
  return {
    mode: 'org',
    org: standin.state.org,
    apiUrl: standin.baseUrl,
    token: TOKEN,
    tokenEnv: 'GITHUB_ADMIN_TOKEN',
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DirectoryError, `a DirectoryError, got ${inspect(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

function assertNoToken(error: unknown, token = TOKEN): void {
  const text = `${inspect(error, { depth: 12 })} ${JSON.stringify(error)} ${String((error as Error).message)}`;
  assert.ok(!text.includes(token), 'the token appears in the error');
  assert.ok(!text.includes(token.slice(12)), 'part of the token appears in the error');
}

describe('GitHub adapter (organisation) against the stand-in, with @octokit/rest', function () {
  this.timeout(20_000);
  let standin: GithubStandin;
  let github: GithubOrganisation;

  beforeEach(async () => {
    standin = await new GithubStandin().start();
    standin.state.addToken(TOKEN, ['members=write', 'identities']);
    const directory = createGithubDirectory(settings(standin), captureLogger());
    assert.equal(directory.mode, 'org');
    github = directory;
  });

  afterEach(() => standin.stop());

  describe('finding the login linked to the UPN', () => {
    it('finds the one login whose SAML nameId is the UPN exactly, not one that merely contains it', async () => {
      standin.state.addMember('mallory-gh', 'member', `m${ALICE}`);
      standin.state.addMember('octo-alice', 'admin', ALICE);
      assert.deepEqual(await github.findLogin(ALICE.toUpperCase()), { login: 'octo-alice' });
      const call = standin.requests.find((r) => r.url === '/graphql');
      assert.ok(call, 'asked the GraphQL API');
      assert.equal(call.authorization, `token ${TOKEN}`);
    });

    it('matches the SCIM userName too', async () => {
      standin.state.identities.push({
        nameId: 'S-1-5-21-42',
        scimUserName: ALICE,
        login: 'octo-a',
      });
      assert.deepEqual(await github.findLogin(ALICE), { login: 'octo-a' });
    });

    it('says why when no account is linked', async () => {
      standin.state.addMember('someone', 'member', 'someone@contoso.com');
      const none = await github.findLogin(ALICE);
      assert.ok('none' in none);
      assert.match(
        none.none,
        /no GitHub account in contoso is linked to alice\.johnson@contoso\.com/,
      );

      standin.state.identities.push({ nameId: ALICE, login: null });
      const unlinked = await github.findLogin(ALICE);
      assert.ok('none' in unlinked);
      assert.match(unlinked.none, /linked to no GitHub account \(never signed in/);

      standin.state.samlEnabled = false;
      const noSso = await github.findLogin(ALICE);
      assert.ok('none' in noSso);
      assert.match(noSso.none, /has no SAML single sign-on of its own/);
    });

    it('refuses to guess between two logins linked to one UPN', async () => {
      standin.state.addMember('octo-alice', 'member', ALICE);
      standin.state.addMember('alice-old', 'member', ALICE);
      const error = await failure(github.findLogin(ALICE));
      assert.equal(error.kind, 'rejected');
      assert.equal(error.code, 'ambiguous');
      assert.match(
        error.message,
        /2 GitHub accounts in contoso are linked to .*alice-old, octo-alice/,
      );
    });

    it('reads every page of identities before deciding', async () => {
      for (let i = 0; i < 100; i += 1)
        standin.state.identities.push({ nameId: `x${i}.${ALICE}`, login: `x${i}` });
      standin.state.addMember('octo-alice', 'member', ALICE);
      assert.deepEqual(await github.findLogin(ALICE), { login: 'octo-alice' });
      assert.equal(standin.requests.filter((r) => r.url === '/graphql').length, 2);
    });

    it("names the missing owner's access when the SAML identities cannot be read", async () => {
      standin.state.addToken('read-only', ['members=read']);
      const readOnly = createGithubDirectory(
        settings(standin, { token: 'read-only' }),
        captureLogger(),
      ) as GithubOrganisation;
      const error = await failure(readOnly.findLogin(ALICE));
      assert.equal(error.kind, 'permission');
      assert.match(error.advice ?? '', /GITHUB_ADMIN_TOKEN .*SAML identities/);
    });
  });

  describe('removing a member and their invitations', () => {
    it('reads the role, removes the member, cancels invitations over several pages, and reads 404 back', async () => {
      const alice = standin.state.addMember('octo-alice', 'admin', ALICE);
      for (let i = 0; i < 120; i += 1) standin.state.invite({ email: `guest${i}@example.com` });
      const mine = standin.state.invite({ login: 'octo-alice' });
      const byMail = standin.state.invite({ email: ALICE });

      assert.deepEqual(await github.getMembership('octo-alice'), {
        role: 'admin',
        state: 'active',
        userId: alice.id,
      });
      await github.removeMember('octo-alice');
      assert.equal(await github.getMembership('octo-alice'), undefined);

      const all = await github.listInvitations();
      assert.equal(all.length, 122, 'every page read through the Link header');
      assert.ok(standin.requests.some((r) => /\/invitations\?.*page=2/.test(r.url)));
      assert.deepEqual(
        all.filter((i) => i.id === mine.id || i.id === byMail.id),
        [
          { id: mine.id, login: 'octo-alice' },
          { id: byMail.id, email: ALICE },
        ],
      );
      await github.cancelInvitation(mine.id);
      await github.cancelInvitation(byMail.id);
      assert.equal((await github.listInvitations()).length, 120);
    });

    it('is idempotent: removing or cancelling what is gone is not an error', async () => {
      await github.removeMember('nobody-here');
      await github.cancelInvitation(424242);
      assert.equal(await github.getMembership('nobody-here'), undefined);
    });

    it('never reads "no invitations" from an organisation it cannot see', async () => {
      const other = createGithubDirectory(
        settings(standin, { org: 'fabrikam' }),
        captureLogger(),
      ) as GithubOrganisation;
      const error = await failure(other.listInvitations());
      assert.equal(error.kind, 'misconfigured');
      assert.match(error.advice ?? '', /GITHUB_ORG/);
    });
  });

  describe('rate limits, as throttling the retry layer honours', () => {
    it('a primary limit (403, remaining 0) waits until x-ratelimit-reset', async () => {
      standin.fail('GET', /\/memberships\//, githubErrors.primaryRateLimit(30));
      const error = await failure(github.getMembership('octo-alice'));
      assert.equal(error.kind, 'throttled');
      assert.ok(
        error.retryAfterMs !== undefined &&
          error.retryAfterMs > 25_000 &&
          error.retryAfterMs <= 30_000,
        `waits until the reset, got ${error.retryAfterMs}`,
      );
      assert.match(error.message, /API rate limit exceeded/);
    });

    it('a secondary limit (403 with Retry-After) and a 429 wait as Retry-After says', async () => {
      standin.fail('DELETE', /\/members\//, githubErrors.secondaryRateLimit(7));
      const secondary = await failure(github.removeMember('octo-alice'));
      assert.equal(secondary.kind, 'throttled');
      assert.equal(secondary.retryAfterMs, 7_000);

      standin.fail('GET', /\/invitations$/, githubErrors.tooMany(3));
      const tooMany = await failure(github.listInvitations());
      assert.equal(tooMany.kind, 'throttled');
      assert.equal(tooMany.retryAfterMs, 3_000);
    });

    it('the SDK does not retry on its own: Revoke waits once, as asked, and the call goes through', async () => {
      standin.state.addMember('octo-alice', 'member', ALICE);
      standin.fail('DELETE', /\/members\//, githubErrors.secondaryRateLimit(7));
      const clock = new FakeClock();
      await withRetry(() => github.removeMember('octo-alice'), { clock });
      assert.deepEqual(clock.sleeps, [7_000]);
      const deletes = standin.requests.filter((r) => r.method === 'DELETE');
      assert.deepEqual(
        deletes.map((r) => r.status),
        [403, 204],
        'one request per attempt: no retry inside the SDK',
      );
    });

    it('a GraphQL rate limit waits until its reset', async () => {
      standin.fail('POST', /^\/graphql$/, (now) => ({
        status: 200,
        body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] },
        headers: {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(now / 1000) + 20),
        },
      }));
      const error = await failure(github.findLogin(ALICE));
      assert.equal(error.kind, 'throttled');
      assert.ok(
        error.retryAfterMs !== undefined &&
          error.retryAfterMs > 15_000 &&
          error.retryAfterMs <= 20_000,
      );
    });

    it('a 5xx is transient', async () => {
      standin.fail('GET', /\/memberships\//, githubErrors.serverError());
      assert.equal((await failure(github.getMembership('octo-alice'))).kind, 'transient');
    });
  });

  describe('credentials and permissions', () => {
    it('a token without write access is told which permission GitHub accepts', async () => {
      standin.state.addToken('ghp_READERREADERREADER77', ['members=read', 'identities']);
      const reader = createGithubDirectory(
        settings(standin, { token: 'ghp_READERREADERREADER77' }),
        captureLogger(),
      ) as GithubOrganisation;
      standin.state.addMember('octo-alice', 'member', ALICE);
      const error = await failure(reader.removeMember('octo-alice'));
      assert.equal(error.kind, 'permission');
      assert.match(
        error.message,
        /GitHub answered 403 .*Resource not accessible by personal access token/,
      );
      assert.match(error.advice ?? '', /GITHUB_ADMIN_TOKEN .*\(members=write\)/);
      assert.ok(standin.state.members.has('octo-alice'), 'nothing was removed');
      assertNoToken(error, 'ghp_READERREADERREADER77');
    });

    it('a bad token is a permission failure naming the variable, and the token appears nowhere', async () => {
      const bad = createGithubDirectory(
        settings(standin, { token: 'ghp_NOTVALIDNOTVALID123' }),
        captureLogger(),
      ) as GithubOrganisation;
      const error = await failure(bad.getMembership('octo-alice'));
      assert.equal(error.kind, 'permission');
      assert.match(error.message, /401 .*Bad credentials/);
      assert.match(error.advice ?? '', /GITHUB_ADMIN_TOKEN is not valid/);
      assertNoToken(error, 'ghp_NOTVALIDNOTVALID123');
      const graphql = await failure(bad.findLogin(ALICE));
      assertNoToken(graphql, 'ghp_NOTVALIDNOTVALID123');
    });

    it('an unreachable GitHub is transient, and says so without the token', async () => {
      const port = new URL(standin.baseUrl).port;
      await standin.stop();
      const error = await failure(github.getMembership('octo-alice'));
      assert.equal(error.kind, 'transient');
      assert.match(error.message, /could not be reached/);
      assertNoToken(error);
      standin = await new GithubStandin().start(); // for afterEach
      assert.ok(port);
    });
  });
});

describe('GitHub adapter (Enterprise Managed Users) against the stand-in, with @octokit/rest', function () {
  this.timeout(20_000);
  let standin: GithubStandin;
  let github: GithubEnterprise;

  beforeEach(async () => {
    standin = await new GithubStandin().start();
    standin.state.addToken(TOKEN, ['scim']);
    const directory = createGithubDirectory(
      settings(standin, { mode: 'emu', org: undefined, enterprise: standin.state.enterprise }),
      captureLogger(),
    );
    assert.equal(directory.mode, 'emu');
    github = directory;
  });

  afterEach(() => standin.stop());

  it('finds the managed user by userName exactly, suspends it and reads active=false back', async () => {
    const alice = standin.state.addManagedUser(ALICE);
    standin.state.addManagedUser(`m${ALICE}`);
    assert.deepEqual(await github.findManagedUser(ALICE), {
      scimId: alice.id,
      userName: ALICE,
      active: true,
    });
    const search = standin.requests.find((r) => r.url.includes('/Users?'));
    assert.match(
      decodeURIComponent(search?.url ?? ''),
      /filter=userName eq "alice\.johnson@contoso\.com"/,
    );
    await github.setManagedUserActive(alice.id, false);
    assert.equal((await github.getManagedUser(alice.id))?.active, false);
    assert.equal(standin.state.managedUsers.get(alice.id)?.active, false);
  });

  it('says why when there is none, refuses to guess between two, and reads a deleted user as gone', async () => {
    const none = await github.findManagedUser(ALICE);
    assert.ok('none' in none);
    assert.match(none.none, /no managed user in the enterprise contoso-emu has the SCIM userName/);
    standin.state.addManagedUser(ALICE);
    standin.state.addManagedUser(ALICE.toUpperCase());
    const error = await failure(github.findManagedUser(ALICE));
    assert.equal(error.code, 'ambiguous');
    assert.equal(error.kind, 'rejected');
    assert.equal(await github.getManagedUser('scim-does-not-exist'), undefined);
  });

  it('a token without the SCIM scope gets advice naming it', async () => {
    standin.state.addToken('ghp_NOSCIMNOSCIMNOSCIM99', ['members=write']);
    const weak = createGithubDirectory(
      settings(standin, {
        mode: 'emu',
        enterprise: standin.state.enterprise,
        token: 'ghp_NOSCIMNOSCIMNOSCIM99',
      }),
      captureLogger(),
    ) as GithubEnterprise;
    const error = await failure(weak.findManagedUser(ALICE));
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /GITHUB_ADMIN_TOKEN .*scim:enterprise/);
    assertNoToken(error, 'ghp_NOSCIMNOSCIMNOSCIM99');
  });

  it('a 429 on the SCIM API is throttling with Retry-After', async () => {
    const alice = standin.state.addManagedUser(ALICE);
    standin.fail('PATCH', /\/Users\//, githubErrors.tooMany(4));
    const error = await failure(github.setManagedUserActive(alice.id, false));
    assert.equal(error.kind, 'throttled');
    assert.equal(error.retryAfterMs, 4_000);
    assert.equal(standin.state.managedUsers.get(alice.id)?.active, true);
  });
});
