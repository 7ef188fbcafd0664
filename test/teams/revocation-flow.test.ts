// The whole flow as Teams drives it: HTTP posts to /api/messages, the bot's calls back to a
// stand-in connector, and the real app (sandbox tenant, SQLite) in between.
import { strict as assert } from 'node:assert';
import type { RevokeApp } from '../../src/app';
import type { Person } from '../../src/core/model';
import { cardOf, type ConnectorStandin } from '../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { cardActions, cardText } from '../support/card-text';
import { cardAction, channelMessage, CHANNEL_CONVERSATION } from '../support/activities';
import { captureLogger } from '../support/capture-logger';

describe('the revocation flow through /api/messages (sandbox tenant)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;
  let people: Record<string, Person>;
  const logs = captureLogger();

  beforeEach(async () => {
    sandbox = await startSandboxApp({}, { logger: logs });
    ({ app, connector, serviceUrl, baseUrl } = sandbox);
    people = {
      sam: sandbox.person('sam.rivera@contoso.com'),
      priya: sandbox.person('priya.patel@contoso.com'),
      marcus: sandbox.person('marcus.chen@contoso.com'),
      elena: sandbox.person('elena.garcia@contoso.com'),
      alice: sandbox.person('alice.johnson@contoso.com'),
    };
  });

  afterEach(() => sandbox.stop());

  async function askToRevoke(
    upn: string,
    reason: string,
  ): Promise<{ cardId: string; requestId: string; threadId: string }> {
    const message = channelMessage(people.sam as Person, `user ${upn} ${reason}`, { serviceUrl });
    const response = await sandbox.post(message);
    assert.equal(response.status, 200);
    const posted = await connector.waitFor(() =>
      connector.calls.find((c) => c.method === 'POST' && cardOf(c.activity)),
    );
    const card = cardOf(posted.activity);
    const approve = cardActions(card).find((a) => a.verb === 'approve');
    const requestId = (approve?.data as { requestId?: string } | undefined)?.requestId;
    assert.ok(requestId, 'the card carries its request id');
    assert.equal(
      posted.conversationId,
      `${CHANNEL_CONVERSATION};messageid=${String(message.id)}`,
      'posted in the thread',
    );
    return { cardId: String(posted.activity.id), requestId, threadId: String(message.id) };
  }

  it('runs the whole flow: command, card, a refused self-approval, two approvals, live progress, final card', async () => {
    const { cardId, requestId, threadId } = await askToRevoke(
      'alice.johnson@contoso.com',
      'Phished via fake invoice',
    );
    const ctx = { serviceUrl, threadId, cardActivityId: cardId };

    const first = cardText(connector.cardVersions(cardId)[0]);
    for (const expected of [
      'Alice Johnson',
      'alice.johnson@contoso.com',
      'Financial Analyst',
      'Phished via fake invoice',
      'Sam Rivera',
      '0 of 2',
      'Disable the on-premises AD account',
      'Reset the AD password twice',
      'Disable the Entra ID account',
      'Revoke refresh tokens and sign-in sessions',
      'Expires',
    ]) {
      assert.ok(first.includes(expected), `the request card shows "${expected}": ${first}`);
    }

    const self = await sandbox.post(
      cardAction(people.sam as Person, 'approve', { requestId }, ctx),
    );
    assert.equal(self.status, 200);
    assert.deepEqual(
      (self.body as { type: string }).type,
      'application/vnd.microsoft.activity.message',
    );
    assert.match(String((self.body as { value: string }).value), /cannot approve it/);
    assert.equal(
      connector.calls.filter((c) => c.method === 'PUT').length,
      0,
      'a refused click changes nothing',
    );

    const outsider = await sandbox.post(
      cardAction(people.elena as Person, 'approve', { requestId }, ctx),
    );
    assert.match(String((outsider.body as { value: string }).value), /approver group/);

    const one = await sandbox.post(
      cardAction(people.priya as Person, 'approve', { requestId }, ctx),
    );
    assert.equal((one.body as { type: string }).type, 'application/vnd.microsoft.card.adaptive');
    assert.ok(cardText((one.body as { value: unknown }).value).includes('1 of 2'));

    const twice = await sandbox.post(
      cardAction(people.priya as Person, 'approve', { requestId }, ctx),
    );
    assert.match(String((twice.body as { value: string }).value), /already approved/);

    const two = await sandbox.post(
      cardAction(people.marcus as Person, 'approve', { requestId }, ctx),
    );
    assert.equal((two.body as { type: string }).type, 'application/vnd.microsoft.card.adaptive');

    const final = await connector.waitFor(() => {
      const versions = connector.cardVersions(cardId);
      const last = versions[versions.length - 1];
      return last && cardText(last).includes('Completed') && !cardText(last).includes('running')
        ? last
        : undefined;
    });
    const finalText = cardText(final);
    assert.ok(
      finalText.includes('What may still work') &&
        finalText.includes('60 min after the revocation'),
      'the residual-access section is on the final card',
    );
    assert.deepEqual(cardActions(final), [], 'a finished request has no buttons');

    // Each step was shown running and then done, in place.
    const versions = connector.cardVersions(cardId).map(cardText);
    for (const title of ['Disable the on-premises AD account', 'Disable the Entra ID account']) {
      const running = versions.findIndex((v) => v.includes(`running`) && v.includes(title));
      assert.ok(running > 0, `a card version shows ${title} running`);
    }
    assert.ok(
      connector.calls.filter((c) => c.method === 'PUT').length >= 8,
      'the card was updated as steps progressed',
    );

    // Milestones in the thread, @mentioning the requester.
    await connector.waitFor(() => connector.texts().find((t) => /\bDone[:,] /.test(t)));
    const milestones = connector
      .posted()
      .filter((a) => typeof a.text === 'string' && String(a.text).includes('<at>'));
    assert.ok(
      milestones.some((m) => String(m.text).includes('Approved by Priya Patel and Marcus Chen')),
    );
    const approved = milestones.find((m) => String(m.text).includes('Approved by'));
    const mention = (approved?.entities as { mentioned?: { id?: string } }[] | undefined)?.[0];
    assert.equal(mention?.mentioned?.id, people.sam?.channelAccountId);

    // The directories really changed.
    const alice = await app.sandbox?.directory.getUser(people.alice?.id ?? '');
    assert.equal(alice?.accountEnabled, false);
    const account = await app.sandbox?.onPrem.findAccount({ samAccountName: 'ajohnson' });
    assert.equal(account?.disabled, true);
    assert.equal(app.sandbox?.onPrem.passwordResetCount(account?.dn ?? ''), 2);

    // No secret-looking material reached the log.
    const logText = JSON.stringify(logs.lines);
    assert.ok(!/password"?\s*[:=]\s*"[^[]/i.test(logText));
  });

  it('answers help, bad commands, unknown users and protected accounts in the thread, and keeps nothing pending', async () => {
    const sam = people.sam as Person;
    for (const [text, expected] of [
      ['user alice.johnson@contoso.com', /reason is required/],
      ['user not-an-address stolen laptop', /not a valid user principal name/],
      ['user nobody@contoso.com stolen laptop', /No user nobody@contoso.com/],
      ['user breakglass01@contoso.onmicrosoft.com testing', /protected account/],
      ['status R-00000000', /There is no request R-00000000/],
      ['dance', /don't know the command/],
    ] as const) {
      const before = connector.texts().length;
      assert.equal((await sandbox.post(channelMessage(sam, text, { serviceUrl }))).status, 200);
      const reply = await connector.waitFor(() => connector.texts()[before]);
      assert.match(reply, expected, text);
    }
    assert.deepEqual(await app.store.listByStatus(['pending']), []);
  });

  it('re-posts the current state on `status`, read-only', async () => {
    const { requestId } = await askToRevoke('bob.smith@contoso.com', 'Token theft');
    await sandbox.post(
      channelMessage(people.sam as Person, `status ${requestId.toLowerCase()}`, { serviceUrl }),
    );
    const statusCard = await connector.waitFor(() => {
      const cards = connector.posted().map(cardOf).filter(Boolean);
      return cards.length >= 2 ? cards[1] : undefined;
    });
    assert.ok(cardText(statusCard).includes('Bob Smith'));
    assert.deepEqual(cardActions(statusCard), []);
  });
  it('does not show a request in another conversation on `status`', async () => {
    const { requestId } = await askToRevoke('bob.smith@contoso.com', 'Token theft');
    const elsewhere = channelMessage(people.elena as Person, `status ${requestId}`, {
      serviceUrl,
    });
    (elsewhere.conversation as { id: string }).id = '19:another-chat@thread.v2';
    const before = connector.texts().length;
    await sandbox.post(elsewhere);
    const reply = await connector.waitFor(() => connector.texts()[before]);
    assert.equal(reply, `There is no request ${requestId} in this conversation.`);
    assert.equal(connector.posted().map(cardOf).filter(Boolean).length, 1, 'no status card');
  });

  it('refuses forged, foreign and malformed card actions', async () => {
    const { requestId, threadId, cardId } = await askToRevoke(
      'bob.smith@contoso.com',
      'Token theft',
    );
    const priya = people.priya as Person;
    const ctx = { serviceUrl, threadId, cardActivityId: cardId };

    const unknownVerb = await sandbox.post(cardAction(priya, 'approveAll', { requestId }, ctx));
    assert.equal((unknownVerb.body as { statusCode: number }).statusCode, 400);

    const badId = await sandbox.post(
      cardAction(priya, 'approve', { requestId: "R-1' OR 1=1" }, ctx),
    );
    assert.equal((badId.body as { statusCode: number }).statusCode, 400);

    const noData = await sandbox.post(cardAction(priya, 'approve', 'approve', ctx));
    assert.equal((noData.body as { statusCode: number }).statusCode, 400);

    const otherCard = await sandbox.post(
      cardAction(priya, 'approve', { requestId }, { ...ctx, cardActivityId: '999999' }),
    );
    assert.match(String((otherCard.body as { value: string }).value), /does not belong/);

    const otherConversation = cardAction(priya, 'approve', { requestId }, ctx);
    (otherConversation.conversation as { id: string }).id =
      '19:other-channel@thread.tacv2;messageid=1';
    const foreign = await sandbox.post(otherConversation);
    assert.match(
      String((foreign.body as { value: string }).value),
      /no request .* in this conversation/,
    );

    const anonymous = cardAction(priya, 'approve', { requestId }, ctx);
    delete (anonymous.from as { aadObjectId?: string }).aadObjectId;
    const noIdentity = await sandbox.post(anonymous);
    assert.equal((noIdentity.body as { statusCode: number }).statusCode, 401);

    const saved = await app.store.get(requestId);
    assert.equal(saved?.approvals.length, 0, 'none of these counted');
  });

  it('refuses bodies that are not JSON activities, and oversized ones', async () => {
    const notJson = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message", ',
    });
    assert.equal(notJson.status, 400);
    const array = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    assert.equal(array.status, 400);
    const huge = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(400 * 1024) }),
    });
    assert.equal(huge.status, 413);
  });
});
