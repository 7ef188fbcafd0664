// The composition root's one event: a batch child's card update, which the engine's notifier turns
// into a notice, reaches the batch service built after it (and so the batch's progress card).
// The real app in sandbox mode, driven through /api/messages.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { cardOf } from '../../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../../support/sandbox-app';
import { cardAction, channelMessage } from '../../support/activities';
import { massTenant } from '../../support/mass-tenant';
import { cardText } from '../../support/card-text';

describe('batch child changes reach the batch service (sandbox app)', function () {
  this.timeout(30_000);
  let dir: string;
  let sandbox: SandboxApp;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-batch-wiring-'));
    const tenantFile = join(dir, 'tenant.json');
    writeFileSync(tenantFile, JSON.stringify(massTenant(2).document));
    sandbox = await startSandboxApp({ SANDBOX_DATA: tenantFile, BATCH_PROGRESS_SECONDS: '2' });
  });

  after(async () => {
    sinon.restore();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("hands every child's card update to the batch service, with the batch's id", async () => {
    const { connector, serviceUrl, app } = sandbox;
    const childChanged = sinon.spy(app.batches, 'childChanged');
    const message = channelMessage(
      sandbox.person('sam.rivera@contoso.com'),
      'users mass.user0@contoso.com mass.user1@contoso.com Phishing wave',
      { serviceUrl },
    );
    assert.equal((await sandbox.post(message)).status, 200);
    const posted = await connector.waitFor(() => connector.posted().find((a) => cardOf(a)));
    const actions = (cardOf(posted)?.['actions'] ?? []) as { data?: { batchId?: string } }[];
    const batchId = actions.find((a) => a.data?.batchId)?.data?.batchId;
    assert.ok(batchId);
    const ctx = { serviceUrl, threadId: String(message.id), cardActivityId: String(posted.id) };
    for (const upn of ['marcus.chen@contoso.com', 'jordan.lee@contoso.com']) {
      await sandbox.post(cardAction(sandbox.person(upn), 'batchApprove', { batchId }, ctx));
    }
    await connector.waitFor(() => {
      const last = connector.cardVersions(ctx.cardActivityId).at(-1);
      return last && cardText(last).includes('Done:') ? last : undefined;
    });
    // Both children's runs saved steps, and each save's card update was this batch's notice.
    assert.ok(childChanged.callCount > 0, 'the batch service heard of its children');
    assert.ok(childChanged.getCalls().every((call) => call.args[0] === batchId));
  });
});
