import assert from 'node:assert/strict';
import { useHarness, type Harness } from './fixtures';

describe('GraphDirectory lookups (real SDKs against the Entra/Graph stand-in)', () => {
  let h: Harness;
  useHarness((harness) => (h = harness));

  it('finds a user by UPN with every field the core needs', async () => {
    const seeded = h.standin.state.addUser({
      userPrincipalName: 'Ann.Lee@contoso.com',
      displayName: 'Ann Lee',
      mail: 'ann@contoso.com',
      jobTitle: 'Engineer',
      department: 'R&D',
      onPremisesSyncEnabled: true,
      onPremisesSamAccountName: 'alee',
      onPremisesSecurityIdentifier: 'S-1-5-21-1-2-3-1104',
      onPremisesUserPrincipalName: 'alee@corp.contoso.com',
    });
    const user = await h.directory.findUser('ann.lee@contoso.com');
    assert.deepEqual(user, {
      id: seeded.id,
      userPrincipalName: 'Ann.Lee@contoso.com',
      displayName: 'Ann Lee',
      mail: 'ann@contoso.com',
      jobTitle: 'Engineer',
      department: 'R&D',
      accountEnabled: true,
      onPremisesSyncEnabled: true,
      onPremisesSamAccountName: 'alee',
      onPremisesSecurityIdentifier: 'S-1-5-21-1-2-3-1104',
      onPremisesUserPrincipalName: 'alee@corp.contoso.com',
    });
    assert.equal(h.standin.log.count('GET /users/{id}'), 1);
  });

  it('falls back to mail (quotes and reserved characters survive the filter)', async () => {
    const seeded = h.standin.state.addUser({
      userPrincipalName: 'bob@contoso.onmicrosoft.com',
      mail: "bob.o'neil+ops&x@contoso.com",
    });
    const user = await h.directory.findUser("bob.o'neil+ops&x@contoso.com");
    assert.equal(user?.id, seeded.id);
    assert.equal(h.standin.log.count('GET /users'), 1);
  });

  it('looks guests (#EXT# UPNs) up by filter rather than by path', async () => {
    const seeded = h.standin.state.addUser({
      userPrincipalName: 'eve_fabrikam.com#EXT#@contoso.onmicrosoft.com',
    });
    const user = await h.directory.findUser('eve_fabrikam.com#EXT#@contoso.onmicrosoft.com');
    assert.equal(user?.id, seeded.id);
  });

  it('answers undefined for an unknown user, by UPN, mail or id', async () => {
    assert.equal(await h.directory.findUser('nobody@contoso.com'), undefined);
    assert.equal(await h.directory.getUser('00000000-0000-0000-0000-000000000000'), undefined);
    assert.equal(await h.directory.findUser('   '), undefined);
  });

  it('reads a disabled cloud-only user as such', async () => {
    const seeded = h.standin.state.addUser({
      userPrincipalName: 'cloud@contoso.com',
      accountEnabled: false,
    });
    const user = await h.directory.getUser(seeded.id);
    assert.equal(user?.accountEnabled, false);
    assert.equal(user?.onPremisesSyncEnabled, false);
  });

  it('gets the manager, and undefined when there is none', async () => {
    const boss = h.standin.state.addUser({
      userPrincipalName: 'boss@contoso.com',
      displayName: 'The Boss',
    });
    const worker = h.standin.state.addUser({
      userPrincipalName: 'worker@contoso.com',
      managerId: boss.id,
    });
    assert.deepEqual(await h.directory.getManager(worker.id), {
      id: boss.id,
      name: 'The Boss',
      upn: 'boss@contoso.com',
    });
    assert.equal(await h.directory.getManager(boss.id), undefined);
  });

  it('checks group membership transitively, 20 ids per call', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'nested@contoso.com' });
    const inner = h.standin.state.addGroup({ displayName: 'inner', memberIds: [user.id] });
    const middle = h.standin.state.addGroup({ displayName: 'middle', memberIds: [inner.id] });
    const approvers = h.standin.state.addGroup({
      displayName: 'approvers',
      memberIds: [middle.id],
    });
    const other = h.standin.state.addGroup({ displayName: 'other', memberIds: [] });
    const fillers = Array.from(
      { length: 22 },
      (_, i) => h.standin.state.addGroup({ displayName: `f${i}` }).id,
    );

    const found = await h.directory.memberGroups(user.id, [
      ...fillers,
      other.id,
      approvers.id,
      inner.id,
    ]);
    assert.deepEqual(found.sort(), [approvers.id, inner.id].sort());
    assert.equal(h.standin.log.count('POST /users/{id}/checkMemberGroups'), 2);
  });
});
