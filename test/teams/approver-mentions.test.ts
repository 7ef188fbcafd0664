// With a real tenant (graph mode, against the Entra/Graph stand-in and a connector stand-in), the
// request post @mentions the approver group's members who are in the team, by the channel account
// ids Teams gives them, and the card names them for per-person views. Approvers outside the team
// are skipped; when nobody can be reached the thread says so.
import { strict as assert } from 'node:assert';
import type { RevokeApp } from '../../src/app';
import type { Person } from '../../src/core/model';
import { cardAction, CHANNEL_CONVERSATION, channelMessage, TENANT_ID } from '../support/activities';
import { approverCallOf, cardOf, ConnectorStandin } from '../support/connector-standin';
import { EntraStandin } from '../support/entra-standin';
import { startGraphModeApp } from '../support/graph-mode-app';

const ROLES = ['User.Read.All', 'GroupMember.Read.All'];

interface InvokeAnswer {
  statusCode?: number;
  type?: string;
  value?: unknown;
}

interface Mention {
  type: string;
  text: string;
  mentioned: { id: string; name: string };
}

async function post(baseUrl: string, activity: unknown): Promise<InvokeAnswer> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as InvokeAnswer;
}

function refreshBlock(card: unknown): { userIds?: string[] } | undefined {
  return (card as { refresh?: { userIds?: string[] } }).refresh;
}

function topVerbs(card: unknown): string[] {
  const actions = (card as { actions?: { type?: string; verb?: string }[] }).actions ?? [];
  return actions.filter((a) => a.type === 'Action.Execute').map((a) => a.verb ?? '');
}

describe('approvers @mentioned from the directory (graph mode)', function () {
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
    state.addUser({
      userPrincipalName: 'alice.johnson@contoso.test',
      displayName: 'Alice Johnson',
    });
    // Marcus approves through a nested group; Jordan approves but is not in the team.
    const managers = state.addGroup({ displayName: 'Security Managers', memberIds: [marcus.id] });
    const approvers = state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: [priya.id, managers.id, jordan.id],
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

  /** The in-place updates of the message with this activity id, in order. */
  const updatesOf = (activityId: string) =>
    connector.calls
      .filter((c) => c.method === 'PUT' && c.activityId === activityId)
      .map((c) => c.activity);

  async function ask() {
    const message = channelMessage(sam, 'user alice.johnson@contoso.test Phished', {
      serviceUrl,
    });
    await post(baseUrl, message);
    const posted = await connector.waitFor(() => connector.posted().find((a) => cardOf(a)));
    const card = cardOf(posted) as Record<string, unknown>;
    const actions = (card.actions ?? []) as { verb?: string; data?: { requestId?: string } }[];
    const requestId = actions.find((a) => a.verb === 'approve')?.data?.requestId;
    assert.ok(requestId, JSON.stringify(card));
    const ctx = { serviceUrl, threadId: String(message.id), cardActivityId: String(posted.id) };
    return { card, requestId, ctx };
  }

  it('@mentions the approvers who are in the team and names them for refresh', async () => {
    joinTeam(sam, priya, marcus);
    const { card, requestId, ctx } = await ask();

    const [message, ...more] = connector.posted();
    assert.ok(
      message && cardOf(message),
      'the card is in the message that @mentions the approvers',
    );
    assert.equal(more.length, 0, 'one message: the call and the card');
    const call = approverCallOf(message);
    assert.match(
      String(call?.text),
      /^<at>Priya Patel<\/at>, <at>Marcus Chen<\/at>: Sam Rivera asks to revoke all access of Alice Johnson\./,
    );
    assert.deepEqual(
      (call?.entities as Mention[]).map((e) => [e.type, e.text, e.mentioned.id, e.mentioned.name]),
      [
        ['mention', '<at>Priya Patel</at>', priya.channelAccountId, 'Priya Patel'],
        ['mention', '<at>Marcus Chen</at>', marcus.channelAccountId, 'Marcus Chen'],
      ],
    );
    assert.ok(!String(call?.text).includes('Jordan'), 'Jordan is not in the team');
    assert.deepEqual(refreshBlock(card)?.userIds, [
      sam.channelAccountId,
      priya.channelAccountId,
      marcus.channelAccountId,
    ]);

    // Asked of the channel, not of the thread, and once per approver for the request's life.
    const asked = connector.memberLookups;
    assert.deepEqual(
      asked.map((l) => l.conversationId),
      asked.map(() => CHANNEL_CONVERSATION),
    );
    assert.deepEqual(asked.map((l) => l.userId).sort(), [priya.id, marcus.id, jordan.id].sort());

    const view = await post(baseUrl, {
      ...cardAction(priya, 'refresh', { requestId }, ctx),
      value: {
        action: { type: 'Action.Execute', verb: 'refresh', data: { requestId } },
        trigger: 'automatic',
      },
    });
    assert.equal(view.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(view));
    assert.deepEqual(topVerbs(view.value), ['approve', 'reject'], 'the approver view');
    assert.deepEqual(refreshBlock(view.value)?.userIds, refreshBlock(card)?.userIds);

    const approved = await post(baseUrl, cardAction(priya, 'approve', { requestId }, ctx));
    assert.equal(
      approved.type,
      'application/vnd.microsoft.card.adaptive',
      JSON.stringify(approved),
    );
    const updated = await connector.waitFor(() => {
      const versions = connector.cardVersions(ctx.cardActivityId);
      return versions.length > 1 ? versions[versions.length - 1] : undefined;
    });
    assert.deepEqual(refreshBlock(updated)?.userIds, refreshBlock(card)?.userIds);
    assert.equal(connector.memberLookups.length, 3, 'the update used the ids already found');
    // Still pending: the update keeps the line that calls the approvers, mentions included.
    assert.deepEqual(approverCallOf(updatesOf(ctx.cardActivityId).at(-1)), call);

    // Decided: the card alone says what happened, and nobody is @mentioned again.
    const rejected = await post(baseUrl, cardAction(marcus, 'reject', { requestId }, ctx));
    assert.equal(
      rejected.type,
      'application/vnd.microsoft.card.adaptive',
      JSON.stringify(rejected),
    );
    const decided = await connector.waitFor(() =>
      updatesOf(ctx.cardActivityId).find((a) => !approverCallOf(a)),
    );
    assert.equal((cardOf(decided)?.msteams as { entities?: unknown })?.entities, undefined);
    assert.match(JSON.stringify(cardOf(decided)), /Rejected/);
  });

  it('says so in the thread when no approver is in the team', async () => {
    joinTeam(sam);
    const { card } = await ask();
    const [message, ...more] = connector.posted();
    assert.ok(message && cardOf(message), 'the card is in the same message');
    assert.equal(more.length, 0);
    const call = approverCallOf(message);
    assert.match(
      String(call?.text),
      /^No approver could be notified here: add the approver group's members to this team\. Sam Rivera asks to revoke all access of Alice Johnson/,
    );
    assert.equal(call?.entities, undefined, 'nobody is @mentioned');
    assert.deepEqual(refreshBlock(card)?.userIds, [sam.channelAccountId]);
  });
});
