import assert from 'node:assert/strict';
import { DirectoryError } from '../../../src/core/errors';
import { loadSandboxTenant } from '../../../src/directory/sandbox/sandbox-tenant';
import type { SandboxTenant } from '../../../src/directory/sandbox/sandbox-tenant';
import { FakeClock } from '../../support/fake-clock';

describe('sandbox latency, faults and call log', () => {
  let clock: FakeClock;
  let tenant: SandboxTenant;
  let aliceId: string;
  let deviceIds: string[];

  beforeEach(async () => {
    clock = new FakeClock();
    tenant = await loadSandboxTenant(undefined, { clock });
    const alice = await tenant.directory.findUser('alice.johnson@contoso.com');
    assert.ok(alice);
    aliceId = alice.id;
    deviceIds = (await tenant.directory.listRegisteredDevices(aliceId)).map((d) => d.id);
    tenant.behaviour.clearCalls();
  });

  it('waits latencyMs on the injected clock before each call', async () => {
    const slow = await loadSandboxTenant(undefined, { clock, latencyMs: 400 });
    await slow.directory.getUser(aliceId);
    await slow.onPrem.findAccount({ samAccountName: 'ajohnson' });
    assert.deepEqual(clock.sleeps, [400, 400]);
  });

  it('failNext fails the next call only, before any effect', async () => {
    tenant.behaviour.failNext('disableUser', 'throttled');
    await assert.rejects(tenant.directory.disableUser(aliceId), (error: unknown) => {
      assert.ok(error instanceof DirectoryError);
      assert.equal(error.kind, 'throttled');
      assert.equal(error.retryable, true);
      return true;
    });
    assert.equal((await tenant.directory.getUser(aliceId))?.accountEnabled, true);
    await tenant.directory.disableUser(aliceId);
    assert.equal((await tenant.directory.getUser(aliceId))?.accountEnabled, false);
  });

  it('throws the given error as is, the given number of times', async () => {
    const denied = new DirectoryError('permission', 'Insufficient privileges', {
      code: 'Authorization_RequestDenied',
    });
    tenant.behaviour.failNext('revokeSignInSessions', denied, { times: 2 });
    await assert.rejects(tenant.directory.revokeSignInSessions(aliceId), (e) => e === denied);
    await assert.rejects(tenant.directory.revokeSignInSessions(aliceId), (e) => e === denied);
    await tenant.directory.revokeSignInSessions(aliceId);
  });

  it('can target one subject, e.g. a single device among several', async () => {
    const [first, second, third] = deviceIds;
    assert.ok(first && second && third);
    tenant.behaviour.failNext('disableDevice', 'rejected', { subject: second.toUpperCase() });
    await tenant.directory.disableDevice(first);
    await assert.rejects(tenant.directory.disableDevice(second), /injected rejected/);
    await tenant.directory.disableDevice(third);
    assert.equal((await tenant.directory.getDevice(second))?.accountEnabled, true);
  });

  it('afterEffect applies the change and then fails, like a timeout after the write', async () => {
    const dn = (await tenant.onPrem.findAccount({ samAccountName: 'ajohnson' }))?.dn ?? '';
    tenant.behaviour.failNext('disableAccount', 'transient', { afterEffect: true });
    await assert.rejects(tenant.onPrem.disableAccount(dn), /injected transient/);
    assert.equal((await tenant.onPrem.findAccount({ samAccountName: 'ajohnson' }))?.disabled, true);
    await tenant.onPrem.disableAccount(dn);
  });

  it('failAlways fails until cleared', async () => {
    tenant.behaviour.failAlways('resetPasswordToRandom', 'misconfigured');
    const dn = (await tenant.onPrem.findAccount({ samAccountName: 'ajohnson' }))?.dn ?? '';
    for (let i = 0; i < 3; i++) {
      await assert.rejects(tenant.onPrem.resetPasswordToRandom(dn), /misconfigured/);
    }
    tenant.behaviour.clearFaults();
    await tenant.onPrem.resetPasswordToRandom(dn);
    assert.equal(tenant.onPrem.passwordResetCount(dn), 1);
  });

  it('records every call with its subject, failed ones included', async () => {
    tenant.behaviour.failNext('getManager', 'transient');
    await tenant.directory.disableUser(aliceId);
    await assert.rejects(tenant.directory.getManager(aliceId));
    await tenant.onPrem.findAccount({ samAccountName: 'ajohnson' });
    assert.deepEqual(
      tenant.behaviour.calls.map((c) => [c.operation, c.subject]),
      [
        ['disableUser', aliceId],
        ['getManager', aliceId],
        ['findAccount', 'ajohnson'],
      ],
    );
    assert.equal(tenant.behaviour.callsTo('disableUser').length, 1);
  });
});
