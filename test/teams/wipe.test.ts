// `wipe <id> confirm` as Teams drives it: a refusal without the word, then a follow-up card of its
// own that warns and names the devices, approved by two approvers before anything is erased.
import { strict as assert } from 'node:assert';
import type { Person, RevocationRequest } from '../../src/core/model';
import { cardOf } from '../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { cardActions, cardText } from '../support/card-text';
import { cardAction, channelMessage } from '../support/activities';

describe('wipe through /api/messages (sandbox tenant)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  beforeEach(async () => {
    sandbox = await startSandboxApp();
  });
  afterEach(() => sandbox.stop());

  async function status(id: string, wanted: RevocationRequest['status']): Promise<void> {
    let current: RevocationRequest | undefined;
    await sandbox.connector.waitFor(() => {
      void sandbox.app.store.get(id).then((r) => (current = r));
      return current?.status === wanted ? true : undefined;
    });
  }

  /** Posts `text` in the thread and returns the card it answers with. */
  async function cardFor(text: string, threadId: string, sam: Person) {
    const before = sandbox.connector.calls.length;
    await sandbox.post(channelMessage(sam, text, { serviceUrl: sandbox.serviceUrl, threadId }));
    const posted = await sandbox.connector.waitFor(() =>
      sandbox.connector.calls.slice(before).find((c) => c.method === 'POST' && cardOf(c.activity)),
    );
    const card = cardOf(posted.activity);
    const requestId = String(
      (cardActions(card).find((a) => a.verb === 'approve')?.data as { requestId: string })
        .requestId,
    );
    return { cardId: String(posted.activity.id), requestId, card };
  }

  async function approveTwice(requestId: string, threadId: string, cardActivityId: string) {
    for (const upn of ['priya.patel@contoso.com', 'marcus.chen@contoso.com']) {
      const click = cardAction(
        sandbox.person(upn) as Person,
        'approve',
        { requestId },
        { serviceUrl: sandbox.serviceUrl, threadId, cardActivityId },
      );
      assert.equal((await sandbox.post(click)).status, 200);
    }
  }

  it('refuses without `confirm`, then asks for approval on a card that warns and lists the devices', async () => {
    const sam = sandbox.person('sam.rivera@contoso.com') as Person;
    const threadId = 'wipe-thread';
    const revoke = await cardFor('user alice.johnson@contoso.com Stolen laptop', threadId, sam);
    await approveTwice(revoke.requestId, threadId, revoke.cardId);
    await status(revoke.requestId, 'completed');
    // The run's closing thread message follows its status; wait for it so it is not read as the reply.
    await sandbox.connector.waitFor(() =>
      sandbox.connector.posted().find((activity) => /Done[:,] /.test(String(activity.text))),
    );

    const before = sandbox.connector.posted().length;
    await sandbox.post(
      channelMessage(sam, `wipe ${revoke.requestId}`, { serviceUrl: sandbox.serviceUrl, threadId }),
    );
    const refusal = await sandbox.connector.waitFor(() => sandbox.connector.posted()[before]);
    assert.match(String(refusal.text), /cannot be recovered/);
    assert.match(String(refusal.text), new RegExp(`wipe ${revoke.requestId} confirm`));
    assert.deepEqual(await sandbox.app.store.listByStatus(['pending']), [], 'nothing asked');

    const wipe = await cardFor(`wipe ${revoke.requestId} confirm`, threadId, sam);
    const text = cardText(wipe.card);
    for (const expected of [
      'Wipe devices: Alice Johnson',
      'cannot be recovered',
      'ALICE-LT-4821',
      "Alice's iPhone",
      revoke.requestId,
      '0 of 2',
    ]) {
      assert.ok(text.includes(expected), `the wipe card shows "${expected}": ${text}`);
    }
    const intune = sandbox.app.sandbox?.containment;
    assert.ok(intune);
    const devices = () => intune.listManagedDevices('a17201cf-0dfb-4500-802b-04577183531d');
    assert.ok((await devices()).every((d) => d.managementState === 'managed'));

    // A click on the revocation's card cannot approve the wipe.
    const wrongCard = await sandbox.post(
      cardAction(
        sandbox.person('priya.patel@contoso.com') as Person,
        'approve',
        { requestId: wipe.requestId },
        { serviceUrl: sandbox.serviceUrl, threadId, cardActivityId: revoke.cardId },
      ),
    );
    assert.match(String((wrongCard.body as { value: string }).value), /does not belong/);

    await approveTwice(wipe.requestId, threadId, wipe.cardId);
    await status(wipe.requestId, 'completed');
    assert.ok((await devices()).every((d) => d.managementState === 'wipePending'));
  });
});
