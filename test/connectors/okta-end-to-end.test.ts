// The Okta path end to end, as a deployment with a real tenant runs it: the real app in graph mode
// against the Entra/Graph stand-in, Okta's official SDK against the Okta stand-in, the Teams
// connector stand-in for the cards. A command, a card naming the Okta account, two approvals, and
// the account suspended (read back) and its sessions and OAuth tokens cleared.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RevokeApp } from '../../src/app';
import type { Person } from '../../src/core/model';
import { channelMessage, TENANT_ID } from '../support/activities';
import { cardText } from '../support/card-text';
import { cardOf, ConnectorStandin } from '../support/connector-standin';
import { EntraStandin } from '../support/entra-standin';
import { startGraphModeApp } from '../support/graph-mode-app';
import { OktaStandin } from '../support/okta-standin';
import type { StandinOktaUser } from '../support/okta-standin/org-state';
import { LEAST_PRIVILEGE_ROLES } from '../integration/hybrid-tenant';
import { requestAndApprove, waitUntil, lastCardText } from '../integration/revocation-driver';
import { makeServiceKey } from '../directory/okta/okta-fixtures';

describe('the Okta path through /api/messages (graph mode, Okta SDK against its stand-in)', function () {
  this.timeout(60_000);
  let entra: EntraStandin;
  let okta: OktaStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let keyDir: string;
  let sam: Person;
  let priya: Person;
  let marcus: Person;
  let alice: StandinOktaUser;

  beforeEach(async () => {
    entra = await new EntraStandin({ tenantId: TENANT_ID }).start();
    okta = await new OktaStandin().start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const person = (upn: string, name: string): Person => {
      const user = entra.state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn, channelAccountId: `29:1${upn.split('.')[0] ?? ''}-teams` };
    };
    sam = person('sam.rivera@contoso.test', 'Sam Rivera');
    priya = person('priya.patel@contoso.test', 'Priya Patel');
    marcus = person('marcus.chen@contoso.test', 'Marcus Chen');
    entra.state.addUser({
      userPrincipalName: 'alice.johnson@contoso.test',
      displayName: 'Alice Johnson',
    });
    const approvers = entra.state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: [priya.id, marcus.id],
    });
    alice = okta.state.addUser('alice.johnson@contoso.test', { sessions: 3, oauthTokens: 2 });
    okta.state.addUser('bob.smith@contoso.test', { sessions: 1 });
    const key = makeServiceKey();
    const oktaApp = okta.state.registerApp([key], ['okta.users.read', 'okta.users.manage']);
    keyDir = mkdtempSync(join(tmpdir(), 'revoke-okta-'));
    const keyPath = join(keyDir, 'okta.pem');
    writeFileSync(keyPath, key.pem, { mode: 0o600 });
    ({ app, baseUrl } = await startGraphModeApp(entra, {
      approverGroupId: approvers.id,
      roles: LEAST_PRIVILEGE_ROLES,
      env: {
        OKTA_ORG_URL: okta.orgUrl,
        OKTA_CLIENT_ID: oktaApp.clientId,
        OKTA_PRIVATE_KEY_PATH: keyPath,
        OKTA_KEY_ID: key.kid,
      },
    }));
  });

  afterEach(async () => {
    await app.stop();
    await connector.stop();
    await okta.stop();
    await entra.stop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('names the Okta account before approval, then suspends it and clears its sessions', async () => {
    connector.joinTeam('19:soc-incidents@thread.tacv2', [sam, priya, marcus]);
    const { cardId } = await requestAndApprove({
      baseUrl,
      connector,
      serviceUrl,
      requester: sam,
      approvers: [priya, marcus],
      upn: 'alice.johnson@contoso.test',
    });
    const first = connector.cardVersions(cardId)[0];
    assert.match(cardText(first), /Suspend the Okta account alice\.johnson@contoso\.test/);
    assert.match(
      cardText(first),
      /End every Okta session and OAuth token of alice\.johnson@contoso\.test/,
    );

    await waitUntil(
      () => /What may still work/.test(lastCardText(connector, cardId)),
      'the final card',
    );
    assert.equal(alice.status, 'SUSPENDED');
    assert.equal(alice.sessions, 0);
    assert.equal(alice.oauthTokens, 0);
    const final = lastCardText(connector, cardId);
    assert.match(
      final,
      /✓ verified [\d.]+ s \|\s+Suspend the Okta account alice\.johnson@contoso\.test/,
    );
    assert.match(
      final,
      /✓ accepted — not verifiable [\d.]+ s \|\s+End every Okta session and OAuth token of alice/,
    );
    assert.match(final, /Sessions that apps keep themselves after an Okta sign-in/);
    // Nobody else's account was touched.
    const bob = [...okta.state.users.values()].find((u) => u.login === 'bob.smith@contoso.test');
    assert.equal(bob?.status, 'ACTIVE');
    assert.equal(bob?.sessions, 1);
  });

  it('plans nothing in Okta, and says so, for a user Okta does not know', async () => {
    entra.state.addUser({
      userPrincipalName: 'carol.white@contoso.test',
      displayName: 'Carol White',
    });
    connector.joinTeam('19:soc-incidents@thread.tacv2', [sam, priya, marcus]);
    const message = channelMessage(sam, 'user carol.white@contoso.test Left the company', {
      serviceUrl,
    });
    await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    const posted = await connector.waitFor(() => connector.posted().find((a) => cardOf(a)));
    const text = cardText(cardOf(posted));
    assert.match(text, /Okta has no account with the login or e-mail carol\.white@contoso\.test/);
    assert.doesNotMatch(text, /Suspend the Okta account/);
  });
});
