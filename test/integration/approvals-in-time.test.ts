// Issue "approvers reached, reminded, escalated, paged", end to end through /api/messages: the real
// app in graph mode (Entra/Graph stand-in), a Bot Connector stand-in that opens personal chats only
// for people with the app installed, and PagerDuty's Events API stand-in. A request nobody
// approves sends the card to approvers' personal chats, pages on-call, reminds, escalates; an
// escalation-group member approves from their own copy, a second approver completes it, and the
// page is resolved.
import { strict as assert } from 'node:assert';
import type { RevokeApp } from '../../src/app';
import type { Person, RevocationRequest } from '../../src/core/model';
import { cardAction, CHANNEL_CONVERSATION, channelMessage, TENANT_ID } from '../support/activities';
import { cardOf, ConnectorStandin } from '../support/connector-standin';
import { cardText } from '../support/card-text';
import { EntraStandin } from '../support/entra-standin';
import { addStandinPerson } from '../support/standin-people';
import { FakeClock } from '../support/fake-clock';
import { startGraphModeApp } from '../support/graph-mode-app';
import { PagerDutyStandin } from '../support/pagerduty-standin';
import { ROUTING_KEY } from '../paging/page-fixtures';

const ROLES = ['User.Read.All', 'GroupMember.Read.All', 'RoleManagement.Read.Directory'];

async function post(baseUrl: string, activity: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

describe('approvals in time: reached, reminded, escalated, paged (graph mode, /api/messages)', function () {
  this.timeout(30_000);
  let standin: EntraStandin;
  let connector: ConnectorStandin;
  let pagerDuty: PagerDutyStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let clock: FakeClock;
  let sam: Person;
  let priya: Person;
  let marcus: Person;
  let elena: Person;

  beforeEach(async () => {
    standin = await new EntraStandin({ tenantId: TENANT_ID }).start();
    connector = new ConnectorStandin();
    serviceUrl = await connector.start();
    pagerDuty = new PagerDutyStandin();
    await pagerDuty.start();
    const state = standin.state;
    const person = (upn: string, name: string): Person => addStandinPerson(standin, upn, name);
    sam = person('sam.rivera@contoso.test', 'Sam Rivera');
    priya = person('priya.patel@contoso.test', 'Priya Patel');
    marcus = person('marcus.chen@contoso.test', 'Marcus Chen');
    elena = person('elena.garcia@contoso.test', 'Elena Garcia');
    state.addUser({
      userPrincipalName: 'alice.johnson@contoso.test',
      displayName: 'Alice Johnson',
    });
    const approvers = state.addGroup({
      displayName: 'Revoke approvers',
      memberIds: [priya.id, marcus.id],
    });
    const escalation = state.addGroup({ displayName: 'SOC leads', memberIds: [elena.id] });
    connector.joinTeam(CHANNEL_CONVERSATION, [sam, priya, marcus, elena]);
    // Priya and Elena have the app installed; Marcus does not.
    connector.installApp(priya.id);
    connector.installApp(elena.id);
    clock = new FakeClock();
    ({ app, baseUrl } = await startGraphModeApp(standin, {
      approverGroupId: approvers.id,
      roles: ROLES,
      env: {
        APPROVAL_REMINDER_MINUTES: '10',
        ESCALATION_GROUP_ID: escalation.id,
        APPROVAL_ESCALATION_MINUTES: '20',
        PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
        PAGERDUTY_EVENTS_HOST: pagerDuty.host,
      },
      overrides: { clock },
    }));
  });

  afterEach(async () => {
    await app.stop();
    await connector.stop();
    await pagerDuty.stop();
    await standin.stop();
  });

  const personalChat = (person: Person) => `a:personal-${person.id}`;
  const postsIn = (conversationId: string) =>
    connector.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId);
  const threadTexts = () =>
    connector.calls
      .filter((c) => c.method === 'POST' && !c.conversationId.startsWith('a:'))
      .map((c) => String(c.activity.text ?? ''));

  async function stored(id: string): Promise<RevocationRequest> {
    const request = await app.store.get(id);
    assert.ok(request);
    return request;
  }

  it('nobody approves: it pages, reminds and escalates on schedule; an escalation member approves; the page resolves', async () => {
    const message = channelMessage(sam, 'user alice.johnson@contoso.test Phished at 02:50', {
      serviceUrl,
    });
    await post(baseUrl, message);
    const cardPost = await connector.waitFor(() =>
      connector.calls.find(
        (c) => c.method === 'POST' && cardOf(c.activity) && !c.conversationId.startsWith('a:'),
      ),
    );
    const cardId = String(cardPost.activity.id);
    const approve = (
      cardOf(cardPost.activity)?.actions as { verb?: string; data?: { requestId?: string } }[]
    ).find((a) => a.verb === 'approve');
    const requestId = String(approve?.data?.requestId);
    await app.service.outreachSettled();

    // At once: the card in Priya's personal chat, Marcus named as unreachable, on-call paged.
    assert.equal(postsIn(personalChat(priya)).length, 1);
    assert.ok(postsIn(personalChat(priya)).some((c) => cardOf(c.activity)));
    assert.equal(postsIn(personalChat(marcus)).length, 0);
    assert.ok(
      threadTexts().some((t) => /could not be sent in a personal chat to: Marcus Chen/.test(t)),
    );
    const alerts = pagerDuty.alertsFor(`revoke-${requestId}`);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.status, 'triggered');
    const trigger = alerts[0]?.triggers[0] as { payload?: { summary?: string } };
    assert.match(String(trigger.payload?.summary), /Alice Johnson/);

    // 9 minutes: nothing more. 10 minutes: both approvers are reminded, once.
    clock.advanceMinutes(9);
    await app.service.runOutreach();
    assert.equal(threadTexts().filter((t) => /Reminder:/.test(t)).length, 0);
    clock.advanceMinutes(1);
    await app.service.runOutreach();
    const reminders = threadTexts().filter((t) => /Reminder:/.test(t));
    assert.equal(reminders.length, 1);
    assert.match(
      reminders[0] ?? '',
      /<at>Priya Patel<\/at>, <at>Marcus Chen<\/at>: Reminder: Sam Rivera asked 10 min ago/,
    );
    assert.ok(postsIn(personalChat(priya)).some((c) => /Reminder:/.test(String(c.activity.text))));

    // 20 minutes: the escalation group is called and Elena gets her own copy of the card.
    clock.advanceMinutes(10);
    await app.service.runOutreach();
    assert.ok(threadTexts().some((t) => /^<at>Elena Garcia<\/at>: Escalated:/.test(t)));
    const elenaCard = postsIn(personalChat(elena)).find((c) => cardOf(c.activity));
    assert.ok(elenaCard, "the card in Elena's personal chat");
    const text = cardText(connector.cardVersions(cardId).at(-1));
    assert.match(text, /Waiting for 20 min/);
    assert.match(text, /Reminded \(Priya Patel, Marcus Chen\)/);
    assert.match(text, /Escalated to the escalation group \(Elena Garcia\)/);
    assert.match(text, /Paged on-call via PagerDuty/);

    // Elena approves from her copy; Priya completes from the thread.
    const fromElena = await post(baseUrl, {
      ...cardAction(
        elena,
        'approve',
        { requestId },
        { serviceUrl, cardActivityId: String(elenaCard.activity.id) },
      ),
      conversation: { id: personalChat(elena), conversationType: 'personal', tenantId: TENANT_ID },
    });
    assert.equal(
      fromElena.type,
      'application/vnd.microsoft.card.adaptive',
      JSON.stringify(fromElena),
    );
    assert.deepEqual(
      (await stored(requestId)).approvals.map((a) => [a.approver.name, a.as]),
      [['Elena Garcia', 'escalation']],
    );
    const fromPriya = await post(
      baseUrl,
      cardAction(
        priya,
        'approve',
        { requestId },
        { serviceUrl, threadId: String(message.id), cardActivityId: cardId },
      ),
    );
    assert.equal(
      fromPriya.type,
      'application/vnd.microsoft.card.adaptive',
      JSON.stringify(fromPriya),
    );
    await connector.waitFor(() =>
      pagerDuty.alertsFor(`revoke-${requestId}`)[0]?.status === 'resolved' ? true : undefined,
    );
    const done = await stored(requestId);
    assert.notEqual(done.status, 'pending');
    assert.ok(done.outreach?.pages?.[0]?.resolvedAt);
  });
});
