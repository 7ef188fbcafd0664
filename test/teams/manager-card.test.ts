// ALLOW_MANAGER_APPROVAL through /api/messages: the target's manager gets the approval card in a
// personal chat with the bot (proactive `POST /v3/conversations`), clicks on that copy count and
// are bound to it, both copies follow the request, and an unreachable manager is said in the thread.
import { strict as assert } from 'node:assert';
import type { Person, RevocationRequest } from '../../src/core/model';
import { cardOf } from '../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { cardActions, cardText } from '../support/card-text';
import { cardAction, channelMessage, CHANNEL_CONVERSATION, TENANT_ID } from '../support/activities';

const ELENA = '1d2004de-18fb-4e92-b056-0d1aca973f97';
const ELENA_CHAT = `a:personal-${ELENA}`;

describe("the manager's approval card in a personal chat (sandbox tenant)", function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  afterEach(() => sandbox.stop());

  async function ask(text: string) {
    const sam = sandbox.person('sam.rivera@contoso.com') as Person;
    const message = channelMessage(sam, text, { serviceUrl: sandbox.serviceUrl });
    await sandbox.post(message);
    const posted = await sandbox.connector.waitFor(() =>
      sandbox.connector.calls.find(
        (c) => c.method === 'POST' && cardOf(c.activity) && !c.conversationId.startsWith('a:'),
      ),
    );
    const approve = cardActions(cardOf(posted.activity)).find((a) => a.verb === 'approve');
    return {
      requestId: String((approve?.data as { requestId: string }).requestId),
      cardId: String(posted.activity.id),
      threadId: String(message.id),
    };
  }

  /** A click on the copy in Elena's personal chat with the bot. */
  function clickInChat(requestId: string, replyToId: string | undefined) {
    const elena = sandbox.person('elena.garcia@contoso.com') as Person;
    const click = cardAction(
      elena,
      'approve',
      { requestId },
      { serviceUrl: sandbox.serviceUrl, cardActivityId: replyToId },
    );
    return sandbox.post({
      ...click,
      conversation: { id: ELENA_CHAT, conversationType: 'personal', tenantId: TENANT_ID },
    });
  }

  async function stored(id: string): Promise<RevocationRequest> {
    const request = await sandbox.app.store.get(id);
    assert.ok(request);
    return request;
  }

  it('sends the card to the manager, counts their click on it, and keeps both copies current', async () => {
    sandbox = await startSandboxApp({ ALLOW_MANAGER_APPROVAL: 'true' });
    sandbox.connector.installApp(ELENA);
    const { requestId, cardId, threadId } = await ask(
      'user alice.johnson@contoso.com Last day was yesterday',
    );
    const chatCard = await sandbox.connector.waitFor(() =>
      sandbox.connector.calls.find((c) => c.method === 'POST' && c.conversationId === ELENA_CHAT),
    );
    assert.deepEqual(sandbox.connector.openedChats[0], {
      conversationId: ELENA_CHAT,
      memberIds: [ELENA],
      tenantId: TENANT_ID,
    });
    assert.match(cardText(cardOf(chatCard.activity)), /Revoke access: Alice Johnson/);
    const managerCardId = String(chatCard.activity.id);
    const saved = await stored(requestId);
    assert.equal(saved.managerCard?.cardActivityId, managerCardId);
    assert.equal(saved.managerCard?.managerId, ELENA);

    // The thread card's id sent from the manager's chat is not that chat's card.
    const foreign = await clickInChat(requestId, cardId);
    assert.match(String((foreign.body as { value: string }).value), /does not belong/);
    assert.equal((await stored(requestId)).approvals.length, 0);

    const approved = await clickInChat(requestId, managerCardId);
    assert.equal(
      (approved.body as { type: string }).type,
      'application/vnd.microsoft.card.adaptive',
      JSON.stringify(approved.body),
    );
    const afterManager = await stored(requestId);
    assert.deepEqual(
      afterManager.approvals.map((a) => [a.approver.id, a.as]),
      [[ELENA, 'manager']],
    );
    const updatedBoth = () =>
      sandbox.connector.cardVersions(cardId).some((c) => /1 of 2/.test(cardText(c))) &&
      sandbox.connector.cardVersions(managerCardId).some((c) => /1 of 2/.test(cardText(c)));
    await sandbox.connector.waitFor(() => updatedBoth() || undefined);

    const priya = sandbox.person('priya.patel@contoso.com') as Person;
    await sandbox.post(
      cardAction(
        priya,
        'approve',
        { requestId },
        { serviceUrl: sandbox.serviceUrl, threadId, cardActivityId: cardId },
      ),
    );
    await sandbox.connector.waitFor(() =>
      sandbox.connector
        .cardVersions(managerCardId)
        .some((c) => /Completed/.test(cardText(c)) || undefined),
    );
  });

  it('with ALLOWED_CHANNEL_IDS: the copy in the personal chat still works, typed commands there do not', async () => {
    sandbox = await startSandboxApp({
      ALLOW_MANAGER_APPROVAL: 'true',
      ALLOWED_CHANNEL_IDS: CHANNEL_CONVERSATION,
    });
    sandbox.connector.installApp(ELENA);
    const { requestId, cardId } = await ask(
      'user alice.johnson@contoso.com Last day was yesterday',
    );
    const chatCard = await sandbox.connector.waitFor(() =>
      sandbox.connector.calls.find((c) => c.method === 'POST' && c.conversationId === ELENA_CHAT),
    );
    const managerCardId = String(chatCard.activity.id);

    // Not from the copy sent there (the thread card's id, or none): the chat is not allowed.
    for (const replyToId of [cardId, undefined]) {
      const forged = await clickInChat(requestId, replyToId);
      assert.match(String((forged.body as { value: string }).value), /not enabled here/);
    }
    assert.equal((await stored(requestId)).approvals.length, 0);

    const approved = await clickInChat(requestId, managerCardId);
    assert.equal(
      (approved.body as { type: string }).type,
      'application/vnd.microsoft.card.adaptive',
      JSON.stringify(approved.body),
    );
    assert.deepEqual(
      (await stored(requestId)).approvals.map((a) => [a.approver.id, a.as]),
      [[ELENA, 'manager']],
    );

    // A typed command in the same personal chat is refused: the chat is not an allowed place.
    const elena = sandbox.person('elena.garcia@contoso.com') as Person;
    const typed = channelMessage(elena, 'user bob.smith@contoso.com Leaving', {
      serviceUrl: sandbox.serviceUrl,
    });
    const before = sandbox.connector.texts().length;
    await sandbox.post({
      ...typed,
      conversation: { id: ELENA_CHAT, conversationType: 'personal', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID } },
    });
    assert.match(
      await sandbox.connector.waitFor(() => sandbox.connector.texts()[before]),
      /not enabled here/,
    );
    assert.equal((await sandbox.app.store.listByStatus(['pending'])).length, 1);
  });

  it('says in the thread when the manager cannot be reached (app not installed: 403)', async () => {
    sandbox = await startSandboxApp({ ALLOW_MANAGER_APPROVAL: 'true' });
    const { requestId } = await ask('user alice.johnson@contoso.com Last day was yesterday');
    const notice = await sandbox.connector.waitFor(() =>
      sandbox.connector.texts().find((t) => /could not be sent to Elena Garcia/.test(t)),
    );
    assert.match(notice, /403/);
    assert.match(notice, /not installed/);
    assert.equal((await stored(requestId)).managerCard, undefined);
    assert.equal(sandbox.connector.openedChats.length, 1);
  });

  it('sends nothing to the manager for the compromised profile, nor when manager approval is off', async () => {
    sandbox = await startSandboxApp({ ALLOW_MANAGER_APPROVAL: 'true' });
    sandbox.connector.installApp(ELENA);
    const { requestId } = await ask('user alice.johnson@contoso.com --compromised Phished');
    assert.equal((await stored(requestId)).managerCard, undefined);
    assert.deepEqual(sandbox.connector.openedChats, []);
    await sandbox.stop();
    sandbox = await startSandboxApp();
    sandbox.connector.installApp(ELENA);
    await ask('user alice.johnson@contoso.com Last day was yesterday');
    assert.deepEqual(sandbox.connector.openedChats, []);
  });
});
