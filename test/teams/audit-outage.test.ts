// An audit store that stops answering, as people in Teams see it: the clicker and the requester
// are told their action did not count, and nothing changed.
import { strict as assert } from 'node:assert';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { cardAction, channelMessage } from '../support/activities';
import { MemoryAuditLog } from '../support/memory-audit-log';

describe('audit store outage through /api/messages (sandbox tenant)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  let audit: MemoryAuditLog;

  beforeEach(async () => {
    audit = new MemoryAuditLog();
    sandbox = await startSandboxApp({}, { auditLog: audit });
  });
  afterEach(() => sandbox.stop());

  it('an approval click gets a clear answer that it did not count, and the request is unchanged', async () => {
    const { app } = sandbox;
    const sam = sandbox.person('sam.rivera@contoso.com');
    const { requestId, ctx } = await sandbox.askFor(sam, 'user bob.smith@contoso.com Token theft');
    audit.failAppends();
    const answer = await sandbox.post(
      cardAction(sandbox.person('priya.patel@contoso.com'), 'approve', { requestId }, ctx),
    );
    const body = answer.body as { type?: string; value?: unknown };
    assert.equal(body.type, 'application/vnd.microsoft.activity.message');
    assert.match(
      String(body.value),
      /could not be written to the audit trail, so it did not count/,
    );
    assert.deepEqual((await app.store.get(requestId))?.approvals, []);
  });

  it('a request gets a clear reply, and nothing is left pending', async () => {
    const { connector, serviceUrl, app } = sandbox;
    audit.failAppends();
    const sam = sandbox.person('sam.rivera@contoso.com');
    await sandbox.post(
      channelMessage(sam, 'user bob.smith@contoso.com Token theft', { serviceUrl }),
    );
    const reply = await connector.waitFor(() =>
      connector.texts().find((t) => /audit trail/.test(t)),
    );
    assert.match(reply, /did not count: nothing was changed/);
    assert.deepEqual(await app.store.listByStatus(['pending']), []);
  });
});
