import assert from 'node:assert/strict';
import { DirectoryError } from '../../../src/core/errors';
import { loadSandboxTenant } from '../../../src/directory/sandbox/sandbox-tenant';
import type { SandboxTenant } from '../../../src/directory/sandbox/sandbox-tenant';
import { FakeClock } from '../../support/fake-clock';

async function idOf(tenant: SandboxTenant, upn: string): Promise<string> {
  const user = await tenant.directory.findUser(upn);
  assert.ok(user, `${upn} is in the bundled tenant`);
  return user.id;
}

describe('sandbox Entra ID', () => {
  let clock: FakeClock;
  let tenant: SandboxTenant;

  beforeEach(async () => {
    clock = new FakeClock('2026-03-02T10:00:00.250Z');
    tenant = await loadSandboxTenant(undefined, { clock });
  });

  describe('findUser', () => {
    it('matches the UPN case-insensitively and returns the synced attributes', async () => {
      const alice = await tenant.directory.findUser('  Alice.Johnson@CONTOSO.com ');
      assert.ok(alice);
      assert.equal(alice.displayName, 'Alice Johnson');
      assert.equal(alice.accountEnabled, true);
      assert.equal(alice.onPremisesSyncEnabled, true);
      assert.equal(alice.onPremisesSamAccountName, 'ajohnson');
      assert.match(alice.onPremisesSecurityIdentifier ?? '', /^S-1-5-21-/);
      assert.equal(alice.onPremisesUserPrincipalName, 'alice.johnson@contoso.com');
    });

    it('falls back to mail when no UPN matches', async () => {
      const bob = await tenant.directory.findUser('Robert.Smith@contoso.com');
      assert.equal(bob?.userPrincipalName, 'bob.smith@contoso.com');
      assert.equal(bob?.onPremisesSyncEnabled, false);
      assert.equal(bob?.onPremisesSamAccountName, undefined);
    });

    it('returns undefined for nobody', async () => {
      assert.equal(await tenant.directory.findUser('mallory@contoso.com'), undefined);
    });
  });

  it('getUser finds by object id in any case, and undefined otherwise', async () => {
    const id = await idOf(tenant, 'carol.nguyen@contoso.com');
    assert.equal((await tenant.directory.getUser(id.toUpperCase()))?.displayName, 'Carol Nguyen');
    assert.equal(await tenant.directory.getUser('00000000-0000-4000-8000-000000000000'), undefined);
  });

  it('lists every registered device (Alice 3, Bob 1, Dana 25)', async () => {
    const count = async (upn: string) =>
      (await tenant.directory.listRegisteredDevices(await idOf(tenant, upn))).length;
    assert.equal(await count('alice.johnson@contoso.com'), 3);
    assert.equal(await count('bob.smith@contoso.com'), 1);
    assert.equal(await count('dana.obrien@contoso.com'), 25);
    assert.equal(await count('breakglass01@contoso.onmicrosoft.com'), 0);
  });

  it('disableUser is idempotent and visible through getUser and findUser', async () => {
    const id = await idOf(tenant, 'alice.johnson@contoso.com');
    await tenant.directory.disableUser(id);
    await tenant.directory.disableUser(id);
    assert.equal((await tenant.directory.getUser(id))?.accountEnabled, false);
    assert.equal(
      (await tenant.directory.findUser('alice.johnson@contoso.com'))?.accountEnabled,
      false,
    );
    assert.equal((await idOf(tenant, 'bob.smith@contoso.com')) !== id, true);
    assert.equal((await tenant.directory.findUser('bob.smith@contoso.com'))?.accountEnabled, true);
  });

  it('revokeSignInSessions moves the valid-from time to now (to the second)', async () => {
    const id = await idOf(tenant, 'bob.smith@contoso.com');
    assert.equal(await tenant.directory.getSignInSessionsValidFrom(id), undefined);
    await tenant.directory.revokeSignInSessions(id);
    assert.equal(await tenant.directory.getSignInSessionsValidFrom(id), '2026-03-02T10:00:00Z');
    clock.advance(90_000);
    await tenant.directory.revokeSignInSessions(id);
    assert.equal(await tenant.directory.getSignInSessionsValidFrom(id), '2026-03-02T10:01:30Z');
    assert.equal(tenant.directory.signInSessionsValidFrom(id), '2026-03-02T10:01:30Z');
  });

  it('disableDevice disables one device, idempotently', async () => {
    const id = await idOf(tenant, 'alice.johnson@contoso.com');
    const [first, second] = await tenant.directory.listRegisteredDevices(id);
    assert.ok(first && second);
    await tenant.directory.disableDevice(first.id);
    await tenant.directory.disableDevice(first.id);
    assert.equal((await tenant.directory.getDevice(first.id))?.accountEnabled, false);
    assert.equal((await tenant.directory.getDevice(second.id))?.accountEnabled, true);
    const listed = await tenant.directory.listRegisteredDevices(id);
    assert.equal(listed.find((d) => d.id === first.id)?.accountEnabled, false);
  });

  it('returns copies that callers cannot use to change the directory', async () => {
    const id = await idOf(tenant, 'bob.smith@contoso.com');
    const [device] = await tenant.directory.listRegisteredDevices(id);
    assert.ok(device);
    device.accountEnabled = false;
    assert.equal((await tenant.directory.getDevice(device.id))?.accountEnabled, true);
  });

  it('memberGroups follows nested groups and returns only the groups asked about', async () => {
    const { approverGroupId, protectedGroupId } = tenant;
    const groupsOf = async (upn: string) =>
      tenant.directory.memberGroups(await idOf(tenant, upn), [approverGroupId, protectedGroupId]);
    assert.deepEqual(await groupsOf('priya.patel@contoso.com'), [approverGroupId]);
    // Marcus is in Security Managers, which is a member of Revoke Approvers.
    assert.deepEqual(await groupsOf('marcus.chen@contoso.com'), [approverGroupId]);
    // Jordan approves and, through Tier 0 Admins, is protected.
    assert.deepEqual(await groupsOf('jordan.lee@contoso.com'), [approverGroupId, protectedGroupId]);
    assert.deepEqual(await groupsOf('breakglass01@contoso.onmicrosoft.com'), [protectedGroupId]);
    assert.deepEqual(await groupsOf('sam.rivera@contoso.com'), []);
    assert.deepEqual(
      await tenant.directory.memberGroups(await idOf(tenant, 'priya.patel@contoso.com'), [
        '00000000-0000-4000-8000-000000000000',
      ]),
      [],
    );
  });

  it('listGroupMembers lists users through nested groups, once each, up to the limit', async () => {
    const members = await tenant.directory.listGroupMembers(tenant.approverGroupId, 60);
    // Marcus comes through Security Managers; the nested group itself is not listed.
    assert.deepEqual(
      members.map((p) => p.name),
      ['Priya Patel', 'Jordan Lee', 'Marcus Chen'],
    );
    assert.equal(members[0]?.upn, 'priya.patel@contoso.com');
    assert.ok(
      members.every((p) => p.channelAccountId),
      'sandbox people carry their Teams id',
    );
    assert.equal((await tenant.directory.listGroupMembers(tenant.approverGroupId, 2)).length, 2);
    await assert.rejects(
      tenant.directory.listGroupMembers('00000000-0000-4000-8000-000000000000', 60),
      (error: unknown) => error instanceof DirectoryError && error.kind === 'not_found',
    );
  });

  it('getManager returns the manager as a Person, or undefined', async () => {
    const manager = await tenant.directory.getManager(
      await idOf(tenant, 'alice.johnson@contoso.com'),
    );
    assert.equal(manager?.name, 'Elena Garcia');
    assert.equal(manager?.upn, 'elena.garcia@contoso.com');
    assert.ok(manager?.channelAccountId);
    assert.equal(
      await tenant.directory.getManager(await idOf(tenant, 'jordan.lee@contoso.com')),
      undefined,
    );
  });

  it('reports unknown users and devices as not_found DirectoryErrors', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    const isNotFound = (error: unknown) =>
      error instanceof DirectoryError && error.kind === 'not_found' && !error.retryable;
    await assert.rejects(tenant.directory.disableUser(ghost), isNotFound);
    await assert.rejects(tenant.directory.revokeSignInSessions(ghost), isNotFound);
    await assert.rejects(tenant.directory.listRegisteredDevices(ghost), isNotFound);
    await assert.rejects(tenant.directory.disableDevice(ghost), isNotFound);
    await assert.rejects(
      tenant.directory.memberGroups(ghost, [tenant.approverGroupId]),
      isNotFound,
    );
    await assert.rejects(tenant.directory.getManager(ghost), isNotFound);
    assert.equal(await tenant.directory.getDevice(ghost), undefined);
  });
});
