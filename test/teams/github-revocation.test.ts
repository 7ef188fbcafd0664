// End to end through /api/messages in graph mode, with the GitHub connector configured by its
// environment variables against the GitHub stand-in (the real @octokit/rest over TLS): the command
// posts a card naming the GitHub account linked to the target, two approvers approve, the member
// is removed and their invitation cancelled (read back), and the final card says so.
import { strict as assert } from 'node:assert';
import type { RevokeApp } from '../../src/app';
import type { Person } from '../../src/core/model';
import { CHANNEL_CONVERSATION, TENANT_ID } from '../support/activities';
import { ConnectorStandin } from '../support/connector-standin';
import { cardText } from '../support/card-text';
import { EntraStandin } from '../support/entra-standin';
import { githubErrors, GithubStandin } from '../support/github-standin';
import { startGraphModeApp } from '../support/graph-mode-app';
import { lastCardText, requestAndApprove, waitUntil } from '../integration/revocation-driver';

const ROLES = [
  'User.Read.All',
  'User.EnableDisableAccount.All',
  'User.RevokeSessions.All',
  'Device.ReadWrite.All',
  'GroupMember.Read.All',
  'RoleManagement.Read.Directory',
];
const ALICE = 'alice.johnson@contoso.test';
const TOKEN = 'github_pat_E2ESECRETE2ESECRET';

describe('GitHub end to end through /api/messages (graph mode, GitHub stand-in)', function () {
  this.timeout(60_000);
  let entra: EntraStandin;
  let github: GithubStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let sam: Person;
  let approvers: [Person, Person];
  let alice: { accountEnabled: boolean };

  beforeEach(async () => {
    entra = await new EntraStandin({ tenantId: TENANT_ID }).start();
    github = await new GithubStandin().start();
    github.state.addToken(TOKEN, ['members=write', 'identities']);
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const person = (upn: string, name: string): Person => {
      const user = entra.state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn, channelAccountId: `29:1${upn.split('@')[0] ?? ''}` };
    };
    sam = person('sam.rivera@contoso.test', 'Sam Rivera');
    approvers = [
      person('priya.patel@contoso.test', 'Priya Patel'),
      person('marcus.chen@contoso.test', 'Marcus Chen'),
    ];
    alice = entra.state.addUser({ userPrincipalName: ALICE, displayName: 'Alice Johnson' });
    const group = entra.state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: approvers.map((a) => a.id),
    });
    connector.joinTeam(CHANNEL_CONVERSATION, [sam, ...approvers]);
    ({ app, baseUrl } = await startGraphModeApp(entra, {
      approverGroupId: group.id,
      roles: ROLES,
      env: {
        GITHUB_ADMIN_TOKEN: TOKEN,
        GITHUB_ORG: github.state.org,
        GITHUB_ADMIN_API_URL: github.baseUrl,
      },
    }));
  });

  afterEach(async () => {
    await app.stop();
    await connector.stop();
    await github.stop();
    await entra.stop();
  });

  it('names the linked account on the card, then removes it and cancels its invitation after two approvals', async () => {
    github.state.addMember('octo-alice', 'admin', ALICE);
    github.state.addMember('octo-bob', 'member', 'bob.smith@contoso.test');
    const invitation = github.state.invite({ email: ALICE });
    // Throttled once on the removal: the retry layer waits and the run goes on.
    github.fail('DELETE', /\/members\/octo-alice$/, githubErrors.secondaryRateLimit(1));

    const { cardId, requestId } = await requestAndApprove({
      baseUrl,
      connector,
      serviceUrl,
      requester: sam,
      approvers,
      upn: ALICE,
    });
    const first = cardText(connector.cardVersions(cardId)[0]);
    assert.match(
      first,
      /Remove GitHub account octo-alice from the organisation contoso and cancel its pending invitations/,
    );
    assert.ok(!first.includes(TOKEN));

    await waitUntil(
      () => /Completed/.test(lastCardText(connector, cardId)),
      'the final card says Completed',
      30_000,
    );
    const final = lastCardText(connector, cardId);
    assert.match(
      final,
      /✓ verified [\d.]+ s \| {2}Remove GitHub account octo-alice from the organisation contoso .* — after 2 attempts/,
      'verified, after the one throttled attempt',
    );
    assert.match(final, /All 3 steps succeeded/);
    assert.match(
      final,
      /GitHub: the personal account octo-alice, its personal access tokens and SSH keys .*removed octo-alice from contoso at .* \(membership 404 read back\)/,
    );
    const saved = await app.store.get(requestId);
    const step = saved?.steps.find((s) => s.id === 'github-remove-member');
    assert.equal(
      step?.outcome,
      'removed octo-alice from contoso (was an owner); cancelled 1 pending invitation(s); membership 404 read back',
    );
    assert.deepEqual(step?.dependsOn, ['entra-disable']);
    assert.equal(step?.facts?.['role'], 'admin', 'the prior role is recorded');
    assert.ok(!final.includes(TOKEN), 'the token is not on the card');

    assert.equal(github.state.members.has('octo-alice'), false, 'removed from the organisation');
    assert.ok(github.state.members.has('octo-bob'), 'nobody else touched');
    assert.ok(
      !github.state.invitations.some((i) => i.id === invitation.id),
      'invitation cancelled',
    );
    const deletes = github.requests.filter(
      (r) => r.method === 'DELETE' && r.url.includes('/members/'),
    );
    assert.deepEqual(
      deletes.map((r) => r.status),
      [403, 204],
      'throttled once, then removed',
    );
    // The GitHub step ran after the Entra disable.
    assert.equal(alice.accountEnabled, false, 'the Entra ID account is disabled too');
  });

  it('plans nothing for GitHub, and says why, when no account is linked to the target', async () => {
    github.state.addMember('octo-bob', 'member', 'bob.smith@contoso.test');
    const { cardId } = await requestAndApprove({
      baseUrl,
      connector,
      serviceUrl,
      requester: sam,
      approvers,
      upn: ALICE,
    });
    const first = cardText(connector.cardVersions(cardId)[0]);
    assert.match(
      first,
      /GitHub: nothing planned: no GitHub account in contoso is linked to alice\.johnson@contoso\.test/,
    );
    assert.ok(!/Remove GitHub account/.test(first));
    await waitUntil(
      () => /Completed/.test(lastCardText(connector, cardId)),
      'the run completes',
      30_000,
    );
    assert.ok(!github.requests.some((r) => r.method === 'DELETE'), 'nothing removed');
  });
});
