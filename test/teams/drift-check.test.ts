// The drift guard in the whole app: a revocation approved through /api/messages, the account
// enabled again behind Revoke's back, and the periodic sweep telling the thread and the card.
import { strict as assert } from 'node:assert';
import type { Person, RevocationRequest } from '../../src/core/model';
import { cardOf } from '../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { cardActions, cardText } from '../support/card-text';
import { cardAction, channelMessage } from '../support/activities';

const ALICE = 'a17201cf-0dfb-4500-802b-04577183531d';

describe('the drift check through /api/messages (sandbox tenant)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  afterEach(() => sandbox.stop());

  it('alerts in the thread, @mentioning the requester, when the account is enabled again', async () => {
    sandbox = await startSandboxApp({ DRIFT_CHECK_MINUTES: '40' }, { expirySweepMs: 50 });
    const { connector, serviceUrl, app } = sandbox;
    const sam = sandbox.person('sam.rivera@contoso.com') as Person;
    const message = channelMessage(sam, 'user alice.johnson@contoso.com Left the company', {
      serviceUrl,
    });
    await sandbox.post(message);
    const posted = await connector.waitFor(() =>
      connector.calls.find((c) => c.method === 'POST' && cardOf(c.activity)),
    );
    const cardId = String(posted.activity.id);
    const approve = cardActions(cardOf(posted.activity)).find((a) => a.verb === 'approve');
    const requestId = String((approve?.data as { requestId: string }).requestId);
    const ctx = { serviceUrl, threadId: String(message.id), cardActivityId: cardId };
    for (const upn of ['priya.patel@contoso.com', 'marcus.chen@contoso.com']) {
      await sandbox.post(cardAction(sandbox.person(upn) as Person, 'approve', { requestId }, ctx));
    }
    let finished: RevocationRequest | undefined;
    await connector.waitFor(() => {
      void app.store.get(requestId).then((r) => (finished = r));
      return finished?.status === 'completed' ? finished : undefined;
    });
    assert.ok(finished?.driftCheck, 'the run scheduled a drift check');
    assert.match(cardText(connector.cardVersions(cardId).at(-1)), /Drift check due at/);

    // Between the run and the check: someone enables the account again.
    await app.sandbox?.containment.enableUser(ALICE);
    // Forty minutes pass: the saved check becomes due (the sweep runs on the wall clock).
    const current = await app.store.get(requestId);
    assert.ok(current?.driftCheck);
    await app.store.compareAndSwap(
      {
        ...current,
        version: current.version + 1,
        driftCheck: { dueAt: new Date(Date.now() - 1_000).toISOString() },
      },
      current.version,
    );

    const alert = await connector.waitFor(() =>
      connector.posted().find((a) => /Drift check for/.test(String(a.text))),
    );
    assert.match(String(alert.text), /Entra ID account of Alice Johnson is enabled again/);
    const mention = (alert.entities as { mentioned?: { id?: string } }[] | undefined)?.[0];
    assert.equal(mention?.mentioned?.id, sam.channelAccountId, 'the requester is @mentioned');
    const card = await connector.waitFor(() => {
      const text = cardText(connector.cardVersions(cardId).at(-1));
      return /RE-ENABLED ✗/.test(text) ? text : undefined;
    });
    assert.match(card, /Drift check at \d\d:\d\d UTC: RE-ENABLED ✗ \(Entra ID account\)/);
    // The sweep keeps running: the alert is not repeated.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(
      connector.posted().filter((a) => /Drift check for/.test(String(a.text))).length,
      1,
    );
  });
});
