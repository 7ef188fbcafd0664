// `plan user` and `restore` as Teams drives them: posts to /api/messages against the real app in
// sandbox mode, replies captured by the stand-in connector.
import { strict as assert } from 'node:assert';
import type { Person } from '../../src/core/model';
import { cardOf } from '../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';
import { channelMessage } from '../support/activities';

function texts(node: unknown): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if ((key === 'text' || key === 'title' || key === 'value') && typeof child === 'string')
          parts.push(child);
        else walk(child);
      }
    }
  };
  walk(node);
  return parts.join(' | ');
}

describe('dry run and restore through /api/messages (sandbox tenant)', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  beforeEach(async () => {
    sandbox = await startSandboxApp();
  });
  afterEach(() => sandbox.stop());

  it('`plan user` answers with the dry-run card, without buttons, and saves nothing', async () => {
    const sam = sandbox.person('sam.rivera@contoso.com') as Person;
    const message = channelMessage(
      sam,
      'plan user alice.johnson@contoso.com --compromised --retire-devices',
      { serviceUrl: sandbox.serviceUrl },
    );
    assert.equal((await sandbox.post(message)).status, 200);
    const reply = await sandbox.connector.waitFor(() =>
      sandbox.connector.calls.find((c) => c.method === 'POST' && cardOf(c.activity)),
    );
    const card = cardOf(reply.activity);
    const text = texts(card);
    for (const expected of [
      'Dry run: Revoke access: Alice Johnson',
      'Dry run: nothing saved',
      'compromised',
      'Remove MFA method mobile: phone ending in 17',
      'Remove consent to Mail Sync Pro',
      'Retire ALICE-LT-4821 in Intune',
      'Disable device ALICE-SURFACE',
      'nothing was saved or changed',
    ]) {
      assert.ok(text.includes(expected), `the dry run shows "${expected}": ${text}`);
    }
    assert.equal((card?.['actions'] as unknown[] | undefined)?.length ?? 0, 0);
    const store = sandbox.app.store;
    assert.deepEqual(
      await store.listByStatus(['pending', 'running', 'completed', 'completed_with_failures']),
      [],
    );
    assert.equal(sandbox.app.sandbox?.behaviour.callsTo('disableUser').length, 0);
  });

  it('`restore` of an unknown request says so and creates nothing', async () => {
    const sam = sandbox.person('sam.rivera@contoso.com') as Person;
    const message = channelMessage(sam, 'restore R-7K3Q9MXA False alarm', {
      serviceUrl: sandbox.serviceUrl,
    });
    await sandbox.post(message);
    const reply = await sandbox.connector.waitFor(() =>
      sandbox.connector.calls.find((c) => c.method === 'POST'),
    );
    assert.match(
      String(reply.activity.text),
      /There is no request R-7K3Q9MXA in this conversation/,
    );
    assert.deepEqual(await sandbox.app.store.listByStatus(['pending']), []);
  });
});
