// A mass revocation whose card cannot be posted (the bot was removed from the team, Teams is down)
// is cancelled at once with all its children, audited, and the requester is told: nobody could
// approve it, so neither the batch nor any child may stay pending. Through /api/messages with the
// real app (sandbox tenant); the connector stand-in refuses the post the way Teams refuses a bot
// that is no longer in the conversation.
import { strict as assert } from 'node:assert';
import { cardOf } from '../../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../../support/sandbox-app';
import { channelMessage } from '../../support/activities';
import { MemoryAuditLog } from '../../support/memory-audit-log';
import { cardActions, cardText } from '../../support/card-text';

const TARGETS = ['bob.smith@contoso.com', 'carol.nguyen@contoso.com', 'dana.obrien@contoso.com'];

describe('posting the batch card fails after the batch was saved (/api/messages, sandbox)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  let audit: MemoryAuditLog;

  beforeEach(async () => {
    audit = new MemoryAuditLog();
    sandbox = await startSandboxApp({}, { auditLog: audit });
  });
  afterEach(() => sandbox.stop());

  it('the batch and its children are cancelled, audited, and the reply says so', async () => {
    const { connector, serviceUrl, app } = sandbox;
    const batches = app.batches;
    assert.ok(batches);
    const sam = sandbox.person('sam.rivera@contoso.com');
    // The approvers' call and the card are the bot's first posts; the first is refused.
    connector.failNext = { status: 403, times: 1 };
    const text = `users ${TARGETS.join(' ')} Phishing wave`;
    assert.equal((await sandbox.post(channelMessage(sam, text, { serviceUrl }))).status, 200);
    const reply = await connector.waitFor(() => connector.posted()[0]);

    const [created] = audit.ofType('request.created');
    assert.equal(created?.details['batch'], true);
    const batchId = String(created?.requestId);
    assert.equal(
      reply.text,
      `I could not post the approval card for batch ${batchId}, so nobody could approve it: the batch is cancelled and nothing was changed. Try again in a minute; the operators have the details in the log.`,
    );
    assert.equal(cardOf(reply), undefined);
    assert.equal(connector.posted().length, 1, 'only the reply reached the thread');

    const batch = await batches.getBatch(batchId);
    assert.equal(batch?.status, 'cancelled');
    assert.equal(batch?.cancellation?.reason, 'its card could not be posted in Teams');
    assert.equal(batch?.members.length, TARGETS.length);
    assert.deepEqual(await app.store.listByStatus(['pending']), [], 'no child left pending');
    for (const member of batch?.members ?? []) {
      const child = await app.store.get(member.requestId);
      assert.equal(child?.status, 'cancelled', member.userPrincipalName);
      assert.equal(child?.cancellation?.reason, 'its card could not be posted in Teams');
    }

    const cancelled = audit.ofType('request.cancelled');
    assert.equal(cancelled.length, 1);
    assert.equal(cancelled[0]?.requestId, batchId);
    assert.equal(cancelled[0]?.details['batch'], true);
    assert.deepEqual(
      cancelled[0]?.details['children'],
      batch?.members.map((m) => m.requestId),
    );
    assert.equal(audit.ofType('request.refused').length, 0, 'one record says what happened');
    assert.equal((await audit.verify()).ok, true);

    // Nothing ran, and a later expiry sweep has nothing to do with it.
    assert.equal(app.sandbox?.behaviour.callsTo('disableUser').length, 0);
    assert.equal(await batches.expireDue(), 0);
    assert.equal(await app.service.expireDue(), 0);

    // `status` shows the batch as cancelled, with why, and nothing to click.
    const before = connector.posted().length;
    await sandbox.post(channelMessage(sam, `status ${batchId}`, { serviceUrl }));
    const copy = cardOf(await connector.waitFor(() => connector.posted()[before]));
    const shown = cardText(copy);
    assert.ok(
      shown.includes(
        'Cancelled by Revoke: its card could not be posted in Teams. Nothing was changed.',
      ),
      shown,
    );
    assert.deepEqual(
      cardActions(copy).filter((a) => a.verb !== ''),
      [],
      'no button on it',
    );
  });

  it('a batch card that is posted leaves the batch and its children pending as before', async () => {
    const { connector, serviceUrl, app } = sandbox;
    const sam = sandbox.person('sam.rivera@contoso.com');
    const text = `users ${TARGETS.join(' ')} Phishing wave`;
    await sandbox.post(channelMessage(sam, text, { serviceUrl }));
    await connector.waitFor(() => connector.posted().find((a) => cardOf(a)));
    const [created] = audit.ofType('request.created');
    assert.equal((await app.batches?.getBatch(String(created?.requestId)))?.status, 'pending');
    assert.equal((await app.store.listByStatus(['pending'])).length, TARGETS.length);
    assert.equal(audit.ofType('request.cancelled').length, 0);
  });
});
