// The sandbox has no bot authentication and offers "act as": it must never reach a real
// directory, even when LDAP settings are present in the environment.
import { strict as assert } from 'node:assert';
import { cardOf } from '../support/connector-standin';
import { cardAction, channelMessage } from '../support/activities';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

describe('sandbox isolation', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;

  afterEach(() => sandbox.stop());

  it('ignores LDAP_URL and revokes only in its own in-memory AD', async () => {
    sandbox = await startSandboxApp({
      // A DC that does not exist: any attempt to use it would fail the AD steps.
      LDAP_URL: 'ldaps://127.0.0.1:1',
      LDAP_BIND_DN: 'CN=svc-revoke,CN=Users,DC=contoso,DC=test',
      LDAP_BIND_PASSWORD: 'not-used',
      LDAP_BASE_DN: 'DC=contoso,DC=test',
    });
    const sam = sandbox.person('sam.rivera@contoso.com');
    const message = channelMessage(sam, 'user alice.johnson@contoso.com Phished', {
      serviceUrl: sandbox.serviceUrl,
    });
    await sandbox.post(message);
    const posted = await sandbox.connector.waitFor(() =>
      sandbox.connector.calls.find((c) => c.method === 'POST' && cardOf(c.activity)),
    );
    const requestId = (
      (cardOf(posted.activity)?.actions as { data?: { requestId?: string } }[] | undefined)?.[0]
        ?.data ?? {}
    ).requestId;
    assert.ok(requestId);
    const ctx = {
      serviceUrl: sandbox.serviceUrl,
      threadId: String(message.id),
      cardActivityId: String(posted.activity.id),
    };
    for (const upn of ['priya.patel@contoso.com', 'marcus.chen@contoso.com']) {
      await sandbox.post(cardAction(sandbox.person(upn), 'approve', { requestId }, ctx));
    }
    for (let waited = 0; waited < 10_000; waited += 50) {
      const request = await sandbox.app.store.get(requestId);
      if (request?.status === 'completed' || request?.status === 'completed_with_failures') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const request = await sandbox.app.store.get(requestId);
    assert.equal(request?.status, 'completed', JSON.stringify(request?.steps.map((s) => s.error)));
    const account = await sandbox.app.sandbox?.onPrem.findAccount({ samAccountName: 'ajohnson' });
    assert.equal(account?.disabled, true, 'the sandbox AD account was disabled');
  });
});
