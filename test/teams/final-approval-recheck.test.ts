// Through /api/messages (sandbox tenant): an approver removed from the approver group after
// approving no longer counts when the final approval comes; the run does not start, the clicker
// and every copy of the card say why, and the trail records it.
import { strict as assert } from 'node:assert';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { cardText } from '../support/card-text';
import { cardAction } from '../support/activities';
import { MemoryAuditLog } from '../support/memory-audit-log';

describe('the final approval re-checks earlier approvals (through /api/messages)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  afterEach(() => sandbox.stop());

  it("says on the card that Priya Patel's approval no longer counts, and does not start the run", async () => {
    const audit = new MemoryAuditLog();
    sandbox = await startSandboxApp({}, { auditLog: audit });
    const { app, connector } = sandbox;
    const sam = sandbox.person('sam.rivera@contoso.com');
    const priya = sandbox.person('priya.patel@contoso.com');
    const { requestId, ctx } = await sandbox.askFor(sam, 'user bob.smith@contoso.com Token theft');
    await sandbox.post(cardAction(priya, 'approve', { requestId }, ctx));
    const directory = app.sandbox?.directory;
    assert.ok(directory);
    directory.setDirectMember(app.sandbox?.approverGroupId ?? '', priya.id, false);

    const answer = await sandbox.post(
      cardAction(sandbox.person('marcus.chen@contoso.com'), 'approve', { requestId }, ctx),
    );
    const card = (answer.body as { type: string; value: unknown }).value;
    assert.equal((answer.body as { type: string }).type, 'application/vnd.microsoft.card.adaptive');
    const text = cardText(card);
    assert.match(
      text,
      /Priya Patel's approval no longer counts: not in the approver group any more/,
    );
    assert.match(text, /Approvals: 1 of 2/);
    const saved = await app.store.get(requestId);
    assert.equal(saved?.status, 'pending');
    assert.equal(audit.ofType('approval.lapsed')[0]?.details['approverId'], priya.id);
    assert.equal(audit.ofType('request.approved').length, 0);
    // The thread's card (everyone's copy) says it too.
    await connector.waitFor(
      () =>
        connector
          .cardVersions(ctx.cardActivityId)
          .some((c) => /Priya Patel's approval no longer counts/.test(cardText(c))) || undefined,
    );
  });
});
