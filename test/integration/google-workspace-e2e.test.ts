// Google Workspace end to end: the real app in graph mode (Entra ID/Graph stand-in), its Google
// Workspace connector configured by environment variables alone and pointed at the HTTPS Google
// stand-in. Driven over /api/messages as Teams drives it: the command, a card naming the Google
// account, two approvals, the sign-out and the suspension (through a 429), both read back from the
// stand-in, and the final card.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RevokeApp } from '../../src/app';
import type { Person } from '../../src/core/model';
import { CHANNEL_CONVERSATION, TENANT_ID } from '../support/activities';
import { cardOf, ConnectorStandin } from '../support/connector-standin';
import { EntraStandin } from '../support/entra-standin';
import { startGraphModeApp } from '../support/graph-mode-app';
import {
  GoogleWorkspaceStandin,
  SCOPES,
  type StandinGoogleUser,
} from '../support/google-workspace-standin';
import { GOOGLE_ERRORS } from '../support/google-workspace-standin/google-error-bodies';
import { cardText, lastCardText, requestAndApprove, waitUntil } from './revocation-driver';

const ROLES = [
  'User.Read.All',
  'User.EnableDisableAccount.All',
  'User.RevokeSessions.All',
  'Device.ReadWrite.All',
  'GroupMember.Read.All',
  'RoleManagement.Read.Directory',
];
const ALICE = 'alice.johnson@contoso.test';

describe('Google Workspace end to end through /api/messages (graph mode)', function () {
  this.timeout(60_000);
  let entra: EntraStandin;
  let google: GoogleWorkspaceStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp | undefined;
  let baseUrl: string;
  let dir: string;
  let requester: Person;
  let approvers: [Person, Person];
  let approverGroupId: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-google-e2e-'));
    entra = await new EntraStandin({ tenantId: TENANT_ID }).start();
    google = await new GoogleWorkspaceStandin().start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const person = (upn: string, name: string): Person => {
      const user = entra.state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn, channelAccountId: `29:${user.id}` };
    };
    requester = person('sam.rivera@contoso.test', 'Sam Rivera');
    approvers = [
      person('priya.patel@contoso.test', 'Priya Patel'),
      person('marcus.chen@contoso.test', 'Marcus Chen'),
    ];
    approverGroupId = entra.state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: approvers.map((a) => a.id),
    }).id;
    connector.joinTeam(CHANNEL_CONVERSATION, [requester, ...approvers]);

    google.addUser('it-admin@contoso.test', { isAdmin: true });
    const account = google.addServiceAccount([SCOPES.user, SCOPES.security]);
    env = {
      GOOGLE_SERVICE_ACCOUNT_KEY_FILE: google.writeKeyFile(join(dir, 'revoke-sa.json'), account),
      GOOGLE_ADMIN_SUBJECT: 'it-admin@contoso.test',
      GOOGLE_ADMIN_API_URL: google.origin,
    };
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await connector.stop();
    await google.stop();
    await entra.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    ({ app, baseUrl } = await startGraphModeApp(entra, { approverGroupId, roles: ROLES, env }));
  }

  function ask(upn: string) {
    return requestAndApprove({ baseUrl, connector, serviceUrl, requester, approvers, upn });
  }

  it('signs the named account out and suspends it, read back, through a 429, and says so on the card', async () => {
    const target = entra.state.addUser({
      userPrincipalName: ALICE,
      displayName: 'Alice Johnson',
      mail: 'alice@contoso.test',
    });
    // The Google account is found by its alias: the target's mail.
    const alice: StandinGoogleUser = google.addUser('ajohnson@contoso.test', {
      aliases: ['alice@contoso.test'],
    });
    google.addUser('alice.johnson2@contoso.test');
    google.fail({
      route: 'PUT /users/{userKey}',
      answer: GOOGLE_ERRORS.rateLimited,
      retryAfterSeconds: 1,
    });
    await start();

    const { cardId } = await ask(ALICE);
    const request = cardText(cardOf(connector.posted().find((a) => String(a.id) === cardId) ?? {}));
    assert.match(
      request,
      /Sign ajohnson@contoso\.test out of every Google Workspace web and device session/,
    );
    assert.match(request, /Suspend the Google Workspace account ajohnson@contoso\.test/);

    await waitUntil(
      () => /Google Workspace sessions and app tokens of/.test(lastCardText(connector, cardId)),
      'the final card reports what may still work in Google Workspace',
      30_000,
    );
    assert.equal(alice.signOuts, 1, 'signed out once');
    assert.equal(alice.suspended, true, 'suspended');
    const routes = google.calls
      .filter((c) => c.userKey === alice.id)
      .map((c) => `${c.route} ${c.status}`);
    assert.deepEqual(routes, [
      'GET /users/{userKey} 200',
      'POST /users/{userKey}/signOut 204',
      'GET /users/{userKey} 200',
      'PUT /users/{userKey} 429',
      'PUT /users/{userKey} 200',
      'GET /users/{userKey} 200',
    ]);
    const final = lastCardText(connector, cardId);
    // The sign-out is shown as what it is: accepted, with no read-back to verify it.
    assert.match(
      final,
      /accepted — not verifiable [\d.]+ s \|\s+Sign ajohnson@contoso\.test out of every Google Workspace/,
    );
    assert.match(
      final,
      /✓ verified [\d.]+ s \|\s+Suspend the Google Workspace account ajohnson@contoso\.test \|\s+— after 2 attempts/,
    );
    assert.match(final, /Done by Revoke: asked Google at .* suspended the account \(read back\)/);
    assert.match(final, /revoke the user's OAuth tokens and app passwords/);
    assert.equal(target.accountEnabled, false, 'the Entra ID account is disabled too');
  });

  it('says on the card that there is no Google account, and touches none', async () => {
    entra.state.addUser({ userPrincipalName: ALICE, displayName: 'Alice Johnson' });
    const other = google.addUser('alice.johnson2@contoso.test');
    await start();
    const { cardId } = await ask(ALICE);
    const request = cardText(cardOf(connector.posted().find((a) => String(a.id) === cardId) ?? {}));
    assert.match(request, /No Google Workspace account for alice\.johnson@contoso\.test/);
    assert.doesNotMatch(request, /Suspend the Google Workspace account/);
    await waitUntil(
      () => /What may still work/i.test(lastCardText(connector, cardId)),
      'the run finishes',
      30_000,
    );
    assert.equal(other.suspended, false);
    assert.deepEqual(
      google.calls.filter((c) => c.route !== 'GET /users' && c.route !== 'POST /token'),
      [],
      'only the search',
    );
  });
});
