// The Slack adapter with the real @slack/web-api client and Revoke's SCIM calls against the HTTPS
// stand-in: exact look-up by e-mail, session reset and org-wide deactivation read back, paging,
// and Slack's refusals as DirectoryErrors (throttled with Retry-After and no retry of the SDK's
// own, permission naming the scope) that never carry the token.
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { DirectoryError } from '../../../src/core/errors';
import { withRetry } from '../../../src/core/retry';
import { SlackOrgDirectory, type SlackSettings } from '../../../src/directory/slack';
import { FakeClock } from '../../support/fake-clock';
import { SlackStandin } from '../../support/slack-standin';

describe('Slack adapter against the Slack stand-in', () => {
  let standin: SlackStandin;
  let token: string;

  before(async () => {
    standin = await new SlackStandin().start();
  });

  after(() => standin.stop());

  beforeEach(() => {
    standin.clear();
    standin.org.users.clear();
    standin.org.sessions = [];
    token = standin.org.issueToken();
  });

  function settings(overrides: Partial<SlackSettings> = {}): SlackSettings {
    return {
      apiUrl: standin.apiUrl,
      scimUrl: standin.scimUrl,
      orgToken: token,
      scimToken: token,
      scimTokenEnv: 'SLACK_ORG_TOKEN',
      ...overrides,
    };
  }

  /** Every failure is checked for the token: message, advice, code and the whole cause chain. */
  async function failure(promise: Promise<unknown>): Promise<DirectoryError> {
    const error = await promise.then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DirectoryError, inspect(error));
    const everything = `${inspect(error, { depth: 10 })} ${error.advice ?? ''} ${JSON.stringify(error)}`;
    for (const secret of standin.org.tokens.keys())
      assert.ok(!everything.includes(secret), 'a token reached the error');
    return error;
  }

  describe('finding the account by e-mail', () => {
    it('finds exactly the one account with that address, whatever its case', async () => {
      const alice = standin.org.addUser({ email: 'Alice.Johnson@contoso.com' });
      standin.org.addUser({ email: 'alice.johnson@fabrikam.com' });
      const slack = new SlackOrgDirectory(settings());
      const found = await slack.findUserByEmail('alice.johnson@contoso.com');
      assert.deepEqual(found, {
        id: alice.id,
        userName: 'Alice.Johnson',
        email: 'Alice.Johnson@contoso.com',
        active: true,
      });
      const search = standin.requests.find((r) => r.call.startsWith('SCIM GET /Users'));
      assert.ok(search);
    });

    it('takes only an exact address for a match, whatever else the search lists', async () => {
      const alice = standin.org.addUser({ email: 'alice@contoso.com' });
      const other = standin.org.addUser({ email: 'alice@contoso.com.evil.example' });
      standin.addToNextSearch(other);
      const slack = new SlackOrgDirectory(settings());
      assert.equal((await slack.findUserByEmail('alice@contoso.com'))?.id, alice.id);
      standin.addToNextSearch(alice);
      assert.equal(await slack.findUserByEmail('bob@contoso.com'), undefined);
    });

    it('finds none when no account has the address', async () => {
      standin.org.addUser({ email: 'bob@contoso.com' });
      const slack = new SlackOrgDirectory(settings());
      assert.equal(await slack.findUserByEmail('alice@contoso.com'), undefined);
    });

    it('refuses to choose between two accounts that hold the address (ambiguous)', async () => {
      standin.org.addUser({ email: 'alice@contoso.com', userName: 'alice' });
      standin.org.addUser({ email: ['ajohnson@contoso.com', 'alice@contoso.com'], userName: 'aj' });
      const slack = new SlackOrgDirectory(settings());
      const error = await failure(slack.findUserByEmail('alice@contoso.com'));
      assert.equal(error.kind, 'rejected');
      assert.equal(error.code, 'ambiguous');
      assert.match(error.message, /2 Slack accounts \(alice, aj\)/);
    });

    it('pages through a search of many matches before deciding', async () => {
      for (let i = 0; i < 150; i++) standin.org.addUser({ email: `shared@contoso.com` });
      const slack = new SlackOrgDirectory(settings());
      const error = await failure(slack.findUserByEmail('shared@contoso.com'));
      assert.match(error.message, /^150 Slack accounts/);
      assert.equal(standin.count('SCIM GET /Users'), 2, 'two pages of 100');
    });
  });

  describe('ending the sessions and deactivating', () => {
    it('resets every session in every workspace and reads back none', async () => {
      const alice = standin.org.addUser({
        email: 'alice@contoso.com',
        teams: ['T0WORK001', 'T0WORK002'],
        sessionsPerTeam: 2,
      });
      const bob = standin.org.addUser({ email: 'bob@contoso.com' });
      const slack = new SlackOrgDirectory(settings());
      assert.deepEqual(await slack.countActiveSessions(alice.id), { sessions: 4, workspaces: 2 });
      await slack.resetSessions(alice.id);
      assert.deepEqual(await slack.countActiveSessions(alice.id), { sessions: 0, workspaces: 2 });
      assert.equal(standin.org.sessionsOf(bob.id).length, 2, "Bob's sessions are untouched");
      const reset = standin.requests.find((r) => r.call === 'admin.users.session.reset');
      // Neither mobile_only nor web_only: every session.
      assert.deepEqual(reset?.args, { user_id: alice.id });
    });

    it('reads every page of a long session list (next_cursor)', async () => {
      const alice = standin.org.addUser({ email: 'alice@contoso.com', sessionsPerTeam: 0 });
      for (let i = 0; i < 250; i++) standin.org.addSession(alice.id, 'T0WORK001');
      const slack = new SlackOrgDirectory(settings());
      assert.deepEqual(await slack.countActiveSessions(alice.id), { sessions: 250, workspaces: 1 });
      assert.equal(standin.count('admin.users.session.list'), 3, 'pages of 100, 100 and 50');
    });

    it('deactivates the account across the org and reads active=false back; again is harmless', async () => {
      const alice = standin.org.addUser({ email: 'alice@contoso.com' });
      const slack = new SlackOrgDirectory(settings());
      await slack.setActive(alice.id, false);
      assert.equal((await slack.getUser(alice.id))?.active, false);
      assert.equal(alice.active, false);
      await slack.setActive(alice.id, false);
      assert.equal((await slack.getUser(alice.id))?.active, false);
      await slack.setActive(alice.id, true);
      assert.equal((await slack.getUser(alice.id))?.active, true);
      assert.equal(standin.count('SCIM PATCH /Users/'), 3);
    });

    it('says an unknown user is gone: undefined on read, not_found on reset', async () => {
      const slack = new SlackOrgDirectory(settings());
      assert.equal(await slack.getUser('W99999999'), undefined);
      const error = await failure(slack.resetSessions('W99999999'));
      assert.equal(error.kind, 'not_found');
      assert.equal(error.code, 'user_not_found');
    });
  });

  describe("Slack's refusals", () => {
    it('a 429 is throttled with its Retry-After, and the SDK did not retry it itself', async () => {
      const alice = standin.org.addUser({ email: 'alice@contoso.com' });
      standin.rateLimitNext('admin.users.session.reset', 7);
      const slack = new SlackOrgDirectory(settings());
      const error = await failure(slack.resetSessions(alice.id));
      assert.equal(error.kind, 'throttled');
      assert.equal(error.retryAfterMs, 7_000);
      assert.equal(standin.count('admin.users.session.reset'), 1, 'one request: no SDK retry');
      assert.equal(standin.org.sessionsOf(alice.id).length, 2);
    });

    it("Revoke's retry layer waits Slack's Retry-After and then succeeds", async () => {
      const alice = standin.org.addUser({ email: 'alice@contoso.com' });
      standin.rateLimitNext('admin.users.session.reset', 7);
      standin.rateLimitNext('SCIM PATCH', 3);
      const slack = new SlackOrgDirectory(settings());
      const clock = new FakeClock();
      await withRetry(() => slack.resetSessions(alice.id), { clock });
      await withRetry(() => slack.setActive(alice.id, false), { clock });
      assert.deepEqual(clock.sleeps, [7_000, 3_000]);
      assert.equal(standin.count('admin.users.session.reset'), 2);
      assert.equal(standin.count('SCIM PATCH'), 2);
      assert.equal(alice.active, false);
      assert.equal(standin.org.sessionsOf(alice.id).length, 0);
    });

    it('a SCIM 429 is throttled too, and a 503 is transient, each asked once', async () => {
      const alice = standin.org.addUser({ email: 'alice@contoso.com' });
      const slack = new SlackOrgDirectory(settings());
      standin.rateLimitNext('SCIM GET /Users', 4);
      const throttled = await failure(slack.findUserByEmail('alice@contoso.com'));
      assert.equal(throttled.kind, 'throttled');
      assert.equal(throttled.retryAfterMs, 4_000);
      standin.failNext('users.info', 503);
      const down = await failure(slack.countActiveSessions(alice.id));
      assert.equal(down.kind, 'transient');
      assert.equal(standin.count('users.info'), 1);
    });

    it('missing_scope is a permission failure whose advice names the scope', async () => {
      const alice = standin.org.addUser({ email: 'alice@contoso.com' });
      token = standin.org.issueToken(['admin.users:read', 'users:read', 'admin']);
      const slack = new SlackOrgDirectory(settings());
      const error = await failure(slack.resetSessions(alice.id));
      assert.equal(error.kind, 'permission');
      assert.equal(error.code, 'missing_scope');
      assert.match(error.message, /needs admin\.users:write; the token has admin\.users:read/);
      assert.match(error.advice ?? '', /Add the admin\.users:write scope/);
    });

    it('a revoked or unknown token is a permission failure, on the Web API and on SCIM', async () => {
      const alice = standin.org.addUser({ email: 'alice@contoso.com' });
      const slack = new SlackOrgDirectory(
        settings({ orgToken: 'xoxp-0-unknown', scimToken: 'xoxp-0-unknown' }),
      );
      const web = await failure(slack.countActiveSessions(alice.id));
      assert.equal(web.kind, 'permission');
      assert.equal(web.code, 'invalid_auth');
      assert.match(web.advice ?? '', /SLACK_ORG_TOKEN/);
      const scim = await failure(slack.getUser(alice.id));
      assert.equal(scim.kind, 'permission');
      assert.match(scim.advice ?? '', /SLACK_ORG_TOKEN.*admin scope/);
    });

    it('a SCIM token without the admin scope is refused with 403, advice naming the scope', async () => {
      const alice = standin.org.addUser({ email: 'alice@contoso.com' });
      const scimToken = standin.org.issueToken(['users:read']);
      const slack = new SlackOrgDirectory(
        settings({ scimToken, scimTokenEnv: 'SLACK_SCIM_TOKEN' }),
      );
      const error = await failure(slack.setActive(alice.id, false));
      assert.equal(error.kind, 'permission');
      assert.match(error.advice ?? '', /SLACK_SCIM_TOKEN: .*the admin scope/);
      assert.equal(alice.active, true);
    });
  });
});
