// A request whose card cannot be posted (the bot was removed from the team, Teams is down) is
// cancelled at once, audited, and the requester is told: nobody could approve it, so it must not
// stay pending. Through /api/messages with the real app (sandbox tenant); the connector stand-in
// refuses the post the way Teams refuses a bot that is no longer in the conversation.
import { strict as assert } from 'node:assert';
import { cardOf } from '../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { channelMessage } from '../support/activities';
import { MemoryAuditLog } from '../support/memory-audit-log';
import { cardActions, cardText } from '../support/card-text';

describe('posting the card fails after the request was saved (/api/messages, sandbox)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  let audit: MemoryAuditLog;

  beforeEach(async () => {
    audit = new MemoryAuditLog();
    sandbox = await startSandboxApp({}, { auditLog: audit });
  });
  afterEach(() => sandbox.stop());

  it('the request is cancelled, audited, and the reply says so', async () => {
    const { connector, serviceUrl, app } = sandbox;
    const sam = sandbox.person('sam.rivera@contoso.com');
    // The approvers' call and the card are the bot's first posts; the first is refused.
    connector.failNext = { status: 403, times: 1 };
    const message = channelMessage(sam, 'user bob.smith@contoso.com Token theft', { serviceUrl });
    assert.equal((await sandbox.post(message)).status, 200);
    const reply = await connector.waitFor(() => connector.posted()[0]);

    const [created] = audit.ofType('request.created');
    const requestId = String(created?.requestId);
    assert.equal(
      reply.text,
      `I could not post the approval card for request ${requestId}, so nobody could approve it: the request is cancelled and nothing was changed. Try again in a minute; the operators have the details in the log.`,
    );
    assert.equal(cardOf(reply), undefined);

    assert.deepEqual(await app.store.listByStatus(['pending']), [], 'nothing left pending');
    const saved = await app.store.get(requestId);
    assert.equal(saved?.status, 'cancelled');
    assert.equal(saved?.cancellation?.reason, 'its card could not be posted in Teams');
    const [cancelled] = audit.ofType('request.cancelled');
    assert.equal(cancelled?.requestId, requestId);
    assert.equal(audit.ofType('request.refused').length, 0, 'one record says what happened');
    assert.equal((await audit.verify()).ok, true);

    // Nothing ran, and a later expiry sweep has nothing to do with it.
    assert.equal(app.sandbox?.behaviour.callsTo('disableUser').length, 0);
    assert.equal(await app.service.expireDue(), 0);

    // `status` shows it as cancelled, with why, and nothing to click.
    const before = connector.posted().length;
    await sandbox.post(channelMessage(sam, `status ${requestId}`, { serviceUrl }));
    const copy = cardOf(await connector.waitFor(() => connector.posted()[before]));
    const shown = cardText(copy);
    assert.ok(shown.includes('Cancelled'), shown);
    assert.ok(shown.includes('its card could not be posted in Teams'), shown);
    assert.ok(shown.includes('Nothing was changed: the request was cancelled.'), shown);
    assert.deepEqual(cardActions(copy), []);
  });

  it('a card that is posted leaves the request pending as before', async () => {
    const { connector, serviceUrl, app } = sandbox;
    const sam = sandbox.person('sam.rivera@contoso.com');
    const message = channelMessage(sam, 'user bob.smith@contoso.com Token theft', { serviceUrl });
    await sandbox.post(message);
    await connector.waitFor(() => connector.posted().find((a) => cardOf(a)));
    assert.equal((await app.store.listByStatus(['pending'])).length, 1);
    assert.equal(audit.ofType('request.cancelled').length, 0);
  });
});
