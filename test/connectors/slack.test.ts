// The Slack connector's set-up: read from the environment with a message per bad variable (never
// echoing a token), refused in the sandbox, the sandbox's own Slack org, and `revoke doctor`'s
// read-only checks of the tokens' scopes (x-oauth-scopes) and of SCIM against the HTTPS stand-in.
import { strict as assert } from 'node:assert';
import { loadConfig, sandboxRefusals } from '../../src/config';
import { connectorVariables } from '../../src/connectors';
import { slackSetup } from '../../src/connectors/slack';
import { Connectors } from '../../src/core/paths/connectors';
import { SLACK } from '../../src/core/saas/slack-port';
import { loadSandboxTenant } from '../../src/directory/sandbox';
import type { SlackSettings } from '../../src/directory/slack';
import { EnvReader } from '../../src/env-reader';
import { CONFIG_ROOT, configRefusal, REAL_TENANT_ENV } from '../support/config-fixtures';
import { SlackStandin } from '../support/slack-standin';

const TOKEN = 'xoxp-1111-2222-3333-abcdef';

function read(env: NodeJS.ProcessEnv): { settings?: SlackSettings; problems: string[] } {
  const reader = new EnvReader(env);
  const settings = slackSetup.read(reader);
  try {
    reader.throwIfProblems();
    return { settings, problems: [] };
  } catch (error) {
    return { settings, problems: (error as { problems: string[] }).problems };
  }
}

describe('the Slack connector set-up', () => {
  describe('reading the environment', () => {
    it('is off when no SLACK_ variable is set', () => {
      assert.deepEqual(read({}), { settings: undefined, problems: [] });
    });

    it('reads the org token, with Slack’s own URLs and the same token for SCIM by default', () => {
      assert.deepEqual(read({ SLACK_ORG_TOKEN: TOKEN }).settings, {
        orgToken: TOKEN,
        scimToken: TOKEN,
        scimTokenEnv: 'SLACK_ORG_TOKEN',
        apiUrl: 'https://slack.com/api',
        scimUrl: 'https://api.slack.com/scim/v1',
      });
    });

    it('takes a separate SCIM token and base URLs', () => {
      const { settings, problems } = read({
        SLACK_ORG_TOKEN: TOKEN,
        SLACK_SCIM_TOKEN: 'xoxp-9999-scim',
        SLACK_API_URL: 'https://slack.example/api/',
        SLACK_SCIM_URL: 'https://slack.example/scim/v1',
      });
      assert.deepEqual(problems, []);
      assert.equal(settings?.scimToken, 'xoxp-9999-scim');
      assert.equal(settings?.scimTokenEnv, 'SLACK_SCIM_TOKEN');
      assert.equal(settings?.apiUrl, 'https://slack.example/api');
    });

    it('names each bad variable, and never the token itself', () => {
      const { problems } = read({
        SLACK_ORG_TOKEN: 'xoxb-bot-token-value',
        SLACK_SCIM_TOKEN: 'secret scim value',
        SLACK_API_URL: 'http://slack.example/api',
      });
      assert.equal(problems.length, 3, problems.join('\n'));
      assert.match(
        problems[0] ?? '',
        /^SLACK_ORG_TOKEN must be a Slack user token \(it starts with xoxp-\)/,
      );
      assert.match(problems[1] ?? '', /^SLACK_SCIM_TOKEN must be a Slack user token/);
      assert.match(problems[2] ?? '', /^SLACK_API_URL must be an https:\/\/ URL/);
      const text = problems.join('\n');
      assert.ok(!text.includes('xoxb-bot-token-value') && !text.includes('secret scim value'));
    });

    it('asks for the org token when only another SLACK_ variable is set', () => {
      const { problems } = read({ SLACK_SCIM_URL: 'https://slack.example/scim/v1' });
      assert.deepEqual(problems, [
        'SLACK_ORG_TOKEN is required: an org-level Slack user token, since SLACK_SCIM_URL is set.',
      ]);
    });

    it('is read with a real tenant, and a bad token stops the start', () => {
      const config = loadConfig({ ...REAL_TENANT_ENV, SLACK_ORG_TOKEN: TOKEN }, CONFIG_ROOT);
      assert.deepEqual(
        config.connectors.map((c) => [c.name, c.describe()]),
        [
          [
            'slack',
            {
              apiUrl: 'https://slack.com/api',
              scimUrl: 'https://api.slack.com/scim/v1',
              scimToken: 'SLACK_ORG_TOKEN',
            },
          ],
        ],
      );
      const refused = configRefusal({ ...REAL_TENANT_ENV, SLACK_ORG_TOKEN: 'nonsense' });
      assert.ok(refused.problems.some((p) => p.startsWith('SLACK_ORG_TOKEN must be')));
    });

    it('is refused, every variable of it, in the sandbox', () => {
      assert.deepEqual(
        connectorVariables().filter((v) => v.startsWith('SLACK_')),
        ['SLACK_ORG_TOKEN', 'SLACK_SCIM_TOKEN', 'SLACK_API_URL', 'SLACK_SCIM_URL'],
      );
      const refusals = sandboxRefusals(
        loadConfig(
          { SLACK_ORG_TOKEN: TOKEN, SLACK_SCIM_URL: 'https://slack.example/scim/v1' },
          CONFIG_ROOT,
        ),
      );
      assert.equal(refusals.length, 2, refusals.join('\n'));
      assert.match(
        refusals[0] ?? '',
        /^SLACK_ORG_TOKEN is set but AZURE_TENANT_ID is not: .*connector to a real app/,
      );
      assert.match(refusals[1] ?? '', /^SLACK_SCIM_URL is set/);
    });
  });

  it('gives the sandbox an in-memory Slack org of the demo people', async () => {
    const tenant = await loadSandboxTenant();
    const connectors = new Connectors();
    slackSetup.sandbox(connectors, tenant);
    const slack = connectors.get(SLACK);
    const alice = await slack?.findUserByEmail('alice.johnson@contoso.com');
    assert.equal(alice?.active, true);
    assert.deepEqual(await slack?.countActiveSessions(alice?.id ?? ''), {
      sessions: 2,
      workspaces: 1,
    });
  });

  describe('revoke doctor (read-only, against the stand-in)', () => {
    let standin: SlackStandin;

    before(async () => {
      standin = await new SlackStandin().start();
    });
    after(() => standin.stop());
    beforeEach(() => standin.clear());

    const settings = (orgToken: string, scimToken = orgToken): SlackSettings => ({
      apiUrl: standin.apiUrl,
      scimUrl: standin.scimUrl,
      orgToken,
      scimToken,
      scimTokenEnv: scimToken === orgToken ? 'SLACK_ORG_TOKEN' : 'SLACK_SCIM_TOKEN',
    });

    it('passes a token with every scope, and only reads', async () => {
      const results = await slackSetup.doctor(settings(standin.org.issueToken()));
      assert.deepEqual(
        results.map((r) => [r.name, r.status]),
        [
          ['Slack org token', 'ok'],
          ['Slack SCIM', 'ok'],
        ],
      );
      assert.match(
        results[0]?.detail ?? '',
        /org-level install, scopes admin\.users:write, admin\.users:read, users:read, admin/,
      );
      assert.deepEqual(
        standin.requests.map((r) => r.call),
        ['auth.test', 'SCIM GET /ServiceProviderConfigs'],
      );
    });

    it('names the scopes a token lacks, read from x-oauth-scopes', async () => {
      const token = standin.org.issueToken(['admin.users:read', 'users:read']);
      const [org, scim] = await slackSetup.doctor(settings(token));
      assert.equal(org?.status, 'fail');
      assert.match(org?.detail ?? '', /lacks admin\.users:write, admin/);
      assert.match(
        org?.fix ?? '',
        /Add admin\.users:write, admin to the Slack app's user token scopes/,
      );
      assert.equal(scim?.status, 'fail', 'SCIM refuses a token without admin');
      assert.match(scim?.fix ?? '', /admin scope/);
    });

    it('checks a separate SCIM token for the admin scope', async () => {
      const org = standin.org.issueToken(['admin.users:write', 'admin.users:read', 'users:read']);
      const scim = standin.org.issueToken(['admin']);
      const results = await slackSetup.doctor(settings(org, scim));
      assert.deepEqual(
        results.map((r) => [r.name, r.status]),
        [
          ['Slack org token', 'ok'],
          ['Slack SCIM token', 'ok'],
          ['Slack SCIM', 'ok'],
        ],
      );
    });

    it('warns about a workspace-level install, fails an unknown token, never printing it', async () => {
      const workspace = standin.org.issueToken(undefined, false);
      const [warned] = await slackSetup.doctor(settings(workspace));
      assert.equal(warned?.status, 'warn');
      assert.match(warned?.detail ?? '', /not from an org-level install/);
      const [failed] = await slackSetup.doctor(settings('xoxp-0-revoked'));
      assert.equal(failed?.status, 'fail');
      assert.match(failed?.detail ?? '', /invalid_auth/);
      assert.ok(!JSON.stringify(failed).includes('xoxp-0-revoked'));
    });
  });
});
