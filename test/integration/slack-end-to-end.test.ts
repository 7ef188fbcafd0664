// Slack end to end, as a deployment runs it: the real app in graph mode (Entra ID/Graph stand-in),
// configured by environment variables alone to reach the Slack stand-in with the real
// @slack/web-api client. Driven over /api/messages as Teams drives it: the command, the card that
// names the Slack account, two approvals, then every Slack session reset and the account
// deactivated, each read back from the stand-in, through one 429, and the final card.
import { strict as assert } from 'node:assert';
import type { RevokeApp } from '../../src/app';
import type { Person } from '../../src/core/model';
import { CHANNEL_CONVERSATION, TENANT_ID } from '../support/activities';
import { ConnectorStandin } from '../support/connector-standin';
import { EntraStandin, type StandinUser } from '../support/entra-standin';
import { startGraphModeApp } from '../support/graph-mode-app';
import { SlackStandin, type StandinSlackUser } from '../support/slack-standin';
import { LEAST_PRIVILEGE_ROLES } from './hybrid-tenant';
import { cardText, lastCardText, requestAndApprove, waitUntil } from './revocation-driver';

describe('Slack end to end through /api/messages (graph mode)', function () {
  this.timeout(60_000);
  let entra: EntraStandin;
  let slack: SlackStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let requester: Person;
  let approvers: [Person, Person];
  let target: StandinUser;
  let account: StandinSlackUser;
  let bystander: StandinSlackUser;

  before(async () => {
    entra = await new EntraStandin({ tenantId: TENANT_ID }).start();
    slack = await new SlackStandin().start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const state = entra.state;
    const person = (upn: string, name: string): Person => {
      const user = state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn, channelAccountId: `29:${user.id}` };
    };
    requester = person('sam.rivera@contoso.test', 'Sam Rivera');
    approvers = [
      person('priya.patel@contoso.test', 'Priya Patel'),
      person('marcus.chen@contoso.test', 'Marcus Chen'),
    ];
    connector.joinTeam(CHANNEL_CONVERSATION, [requester, ...approvers]);
    const group = state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: approvers.map((a) => a.id),
    });
    // Her Slack account carries her mail, which differs from her sign-in name.
    target = state.addUser({
      userPrincipalName: 'alice.johnson@contoso.test',
      mail: 'alice@contoso.test',
      displayName: 'Alice Johnson',
    });
    account = slack.org.addUser({
      email: 'alice@contoso.test',
      userName: 'alice',
      teams: ['T0WORK001', 'T0WORK002'],
      sessionsPerTeam: 2,
    });
    bystander = slack.org.addUser({ email: 'sam.rivera@contoso.test' });
    ({ app, baseUrl } = await startGraphModeApp(entra, {
      approverGroupId: group.id,
      roles: LEAST_PRIVILEGE_ROLES,
      env: {
        SLACK_ORG_TOKEN: slack.org.issueToken(),
        SLACK_API_URL: slack.apiUrl,
        SLACK_SCIM_URL: slack.scimUrl,
      },
    }));
  });

  after(async () => {
    await app?.stop();
    await connector.stop();
    await slack.stop();
    await entra.stop();
  });

  it('names the Slack account on the card, then resets its sessions and deactivates it, read back', async () => {
    // Slack throttles the reset once: Revoke's retry layer waits, the SDK does not retry itself.
    slack.rateLimitNext('admin.users.session.reset', 1);
    const { cardId } = await requestAndApprove({
      baseUrl,
      connector,
      serviceUrl,
      requester,
      approvers,
      upn: target.userPrincipalName,
    });
    const [first] = connector.cardVersions(cardId);
    const asked = cardText(first);
    assert.match(
      asked,
      /End every Slack session of alice \(alice@contoso\.test, W\d{8}\), web and mobile/,
    );
    assert.match(
      asked,
      /Deactivate the Slack account alice \(alice@contoso\.test, W\d{8}\) across the org/,
    );

    await waitUntil(
      () => /What may still work/.test(lastCardText(connector, cardId)),
      'the final card',
      30_000,
    );
    const final = lastCardText(connector, cardId);
    assert.equal(account.active, false, 'deactivated in Slack');
    assert.equal(slack.org.sessionsOf(account.id).length, 0, 'no session left');
    assert.equal(slack.org.sessionsOf(bystander.id).length, 2, 'nobody else signed out');
    assert.equal(target.accountEnabled, false, 'the Entra account is disabled too');
    assert.equal(slack.count('admin.users.session.reset'), 2, '429, then ok');
    assert.ok(slack.count('admin.users.session.list') >= 4, 'sessions read back per workspace');
    assert.match(final, /All 4 steps succeeded/);
    assert.match(
      final,
      /✓ verified [\d.]+ s \|\s+End every Slack session of alice \(alice@contoso\.test, W\d{8}\), web and mobile \|\s+— after 2 attempts/,
    );
    assert.match(final, /✓ verified [\d.]+ s \|\s+Deactivate the Slack account alice/);
    assert.match(
      final,
      /Done by Revoke: reset every Slack session at .* \(read back\); deactivated alice \(alice@contoso\.test, W\d{8}\) across the org at .* \(read back\)/,
    );
    assert.match(final, /Slack content and apps of the deactivated account/);
    // The token reached Slack and nothing else.
    for (const token of slack.org.tokens.keys()) assert.ok(!final.includes(token));
  });
});
