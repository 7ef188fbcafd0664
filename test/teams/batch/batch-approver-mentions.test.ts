// In graph mode the directory names the approvers without the channel account ids a mention
// needs; the batch's call for approvers looks them up in the thread the way a single request's
// does (shared ChannelAccounts), leaves out approvers who are not in the team and members of the
// batch, and says so plainly when nobody can be reached.
import { strict as assert } from 'node:assert';
import type { RevokeApp } from '../../../src/app';
import type { Person } from '../../../src/core/model';
import { CHANNEL_CONVERSATION, channelMessage, TENANT_ID } from '../../support/activities';
import { approverCallOf, cardOf, ConnectorStandin } from '../../support/connector-standin';
import { EntraStandin } from '../../support/entra-standin';
import { startGraphModeApp } from '../../support/graph-mode-app';
import { postActivity } from '../../support/sandbox-app';

const ROLES = [
  'User.Read.All',
  'GroupMember.Read.All',
  'Device.ReadWrite.All',
  'RoleManagement.Read.Directory',
];

interface Mention {
  text: string;
  mentioned: { id: string; name: string };
}

describe('batch card: approvers @mentioned from the directory (graph mode)', function () {
  this.timeout(30_000);
  let standin: EntraStandin;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let sam: Person;
  let priya: Person;
  let marcus: Person;
  let jordan: Person;

  beforeEach(async () => {
    standin = await new EntraStandin({ tenantId: TENANT_ID }).start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    const state = standin.state;
    const person = (upn: string, name: string): Person => {
      const user = state.addUser({ userPrincipalName: upn, displayName: name });
      return { id: user.id, name, upn, channelAccountId: `29:1${upn.split('.')[0] ?? ''}-teams` };
    };
    sam = person('sam.rivera@contoso.test', 'Sam Rivera');
    priya = person('priya.patel@contoso.test', 'Priya Patel');
    marcus = person('marcus.chen@contoso.test', 'Marcus Chen');
    jordan = person('jordan.lee@contoso.test', 'Jordan Lee');
    for (const [upn, name] of [
      ['alice.johnson@contoso.test', 'Alice Johnson'],
      ['bob.smith@contoso.test', 'Bob Smith'],
    ] as const) {
      state.addUser({ userPrincipalName: upn, displayName: name });
    }
    const approvers = state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: [priya.id, marcus.id, jordan.id],
    });
    ({ app, baseUrl } = await startGraphModeApp(standin, {
      approverGroupId: approvers.id,
      roles: ROLES,
    }));
  });

  afterEach(async () => {
    await app.stop();
    await connector.stop();
    await standin.stop();
  });

  const joinTeam = (...people: Person[]): void => connector.joinTeam(CHANNEL_CONVERSATION, people);

  async function askForBatch(list: string): Promise<{ text: string; entities?: unknown[] }> {
    const message = channelMessage(sam, `users ${list} Phishing wave`, { serviceUrl });
    const answer = await postActivity(baseUrl, message);
    assert.equal(answer.status, 200);
    await connector.waitFor(() => connector.posted().find((a) => cardOf(a)));
    const [posted, ...more] = connector.posted();
    assert.ok(posted && cardOf(posted), 'the card is in the message that calls the approvers');
    assert.equal(more.length, 0, 'one message: the call and the card');
    const call = approverCallOf(posted);
    assert.ok(call, 'the card calls the approvers');
    return call;
  }

  it('@mentions the approvers in the team by their channel account ids, not members of the batch', async () => {
    joinTeam(sam, priya, marcus);
    const call = await askForBatch(
      'alice.johnson@contoso.test bob.smith@contoso.test marcus.chen@contoso.test',
    );
    assert.match(
      String(call.text),
      /^<at>Priya Patel<\/at>: Sam Rivera asks to revoke all access of 3 users at once\./,
    );
    assert.deepEqual(
      (call.entities as Mention[]).map((e) => [e.text, e.mentioned.id, e.mentioned.name]),
      [['<at>Priya Patel</at>', priya.channelAccountId, 'Priya Patel']],
    );
    // Asked of the channel, once per approver who is not in the batch; Jordan is not in the team.
    assert.deepEqual(
      connector.memberLookups.map((l) => l.conversationId),
      [CHANNEL_CONVERSATION, CHANNEL_CONVERSATION],
    );
    assert.deepEqual(
      connector.memberLookups.map((l) => l.userId).sort(),
      [priya.id, jordan.id].sort(),
    );
  });

  it('says so in the thread when no approver is in the team', async () => {
    joinTeam(sam);
    const call = await askForBatch('alice.johnson@contoso.test bob.smith@contoso.test');
    assert.match(
      String(call.text),
      /^No approver could be notified here: add the approver group's members to this team\. Sam Rivera asks to revoke all access of 2 users at once/,
    );
    assert.deepEqual(call.entities ?? [], []);
  });
});
