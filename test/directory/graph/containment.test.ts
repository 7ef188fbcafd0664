import assert from 'node:assert/strict';
import { GraphContainmentDirectory } from '../../../src/directory/graph';
import { directoryWithRoles, rejection, startHarness, type Harness } from './fixtures';

const CONTAINMENT_ROLES = [
  'User.Read.All',
  'User.EnableDisableAccount.All',
  'Device.ReadWrite.All',
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
  'IdentityRiskyUser.ReadWrite.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'Application.Read.All',
  'DeviceManagementManagedDevices.Read.All',
  'DeviceManagementManagedDevices.PrivilegedOperations.All',
];

describe('GraphContainmentDirectory: containment, Intune and restore calls', () => {
  let h: Harness;
  let graph: GraphContainmentDirectory;
  before(async () => {
    h = await startHarness();
    const directory = directoryWithRoles(h, CONTAINMENT_ROLES);
    assert.ok(directory instanceof GraphContainmentDirectory);
    graph = directory;
  });
  after(async () => {
    await h.standin.stop();
  });
  beforeEach(() => h.standin.log.reset());

  function limited(roles: string[]): GraphContainmentDirectory {
    const directory = directoryWithRoles(h, roles);
    assert.ok(directory instanceof GraphContainmentDirectory);
    return directory;
  }

  it('confirms a user compromised, reading the risk state before and after', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'risky@contoso.com' });
    assert.equal(await graph.getRiskState(user.id), 'none');
    await graph.confirmCompromised(user.id);
    assert.equal(await graph.getRiskState(user.id), 'confirmedCompromised');
    const error = await rejection(
      limited(['IdentityRiskyUser.Read.All']).confirmCompromised(user.id),
    );
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /IdentityRiskyUser\.ReadWrite\.All/);
  });

  it('lists authentication methods with dates and labels, and removes one by its type', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'mfa@contoso.com' });
    const c = h.standin.state.containment;
    const phone = c.addAuthMethod(user.id, {
      type: 'phoneAuthenticationMethod',
      phoneNumber: '+1 206 555 0117',
      createdDateTime: '2026-03-01T08:00:00Z',
    });
    c.addAuthMethod(user.id, {
      type: 'microsoftAuthenticatorAuthenticationMethod',
      displayName: 'Pixel 8',
    });
    const methods = await graph.listAuthMethods(user.id);
    assert.deepEqual(
      methods.map((m) => [m.type, m.label, m.createdAt]),
      [
        ['passwordAuthenticationMethod', 'password', undefined],
        ['phoneAuthenticationMethod', 'mobile: phone ending in 17', '2026-03-01T08:00:00Z'],
        [
          'microsoftAuthenticatorAuthenticationMethod',
          'Microsoft Authenticator on Pixel 8',
          undefined,
        ],
      ],
    );
    await graph.deleteAuthMethod(user.id, { id: phone.id, type: phone.type });
    assert.equal(h.standin.log.count('DELETE /users/{id}/authentication/{type}/{id}'), 1);
    // Already gone: still a success, so the step can be repeated.
    await graph.deleteAuthMethod(user.id, { id: phone.id, type: phone.type });
    assert.equal((await graph.listAuthMethods(user.id)).length, 2);
    const error = await rejection(
      limited(['UserAuthenticationMethod.Read.All']).deleteAuthMethod(user.id, {
        id: 'x',
        type: 'phoneAuthenticationMethod',
      }),
    );
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /UserAuthenticationMethod\.ReadWrite\.All/);
  });

  it("lists only the user's consent grants, with the app's name, and removes them", async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'consent@contoso.com' });
    const other = h.standin.state.addUser({ userPrincipalName: 'other@contoso.com' });
    const c = h.standin.state.containment;
    const grant = c.addGrant(
      {
        clientId: '4e7d2c1b-0a9f-4e8d-b7c6-5a4f3e2d1c03',
        principalId: user.id,
        scope: 'Mail.Read',
      },
      'Mail Sync Pro',
    );
    c.addGrant({
      clientId: '5e7d2c1b-0a9f-4e8d-b7c6-5a4f3e2d1c04',
      principalId: other.id,
      scope: 'Files.Read',
    });
    assert.deepEqual(await graph.listOAuthGrants(user.id), [
      { id: grant.id, clientId: grant.clientId, scope: 'Mail.Read', clientName: 'Mail Sync Pro' },
    ]);
    // Without Application.Read.All the app is named by its id, and nothing fails.
    const noNames = limited(['DelegatedPermissionGrant.ReadWrite.All']);
    assert.equal((await noNames.listOAuthGrants(user.id))[0]?.clientName, undefined);
    await graph.deleteOAuthGrant(grant.id);
    await graph.deleteOAuthGrant(grant.id);
    assert.deepEqual(await graph.listOAuthGrants(user.id), []);
    const error = await rejection(limited(['User.Read.All']).listOAuthGrants(user.id));
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /DelegatedPermissionGrant\.ReadWrite\.All/);
  });

  it('adds to and removes from the containment group, both repeatable', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'contain@contoso.com' });
    const group = h.standin.state.addGroup({ displayName: 'Containment' });
    assert.equal(await graph.getGroupName(group.id), 'Containment');
    assert.equal(await graph.getGroupName('00000000-0000-0000-0000-00000000abcd'), undefined);
    await graph.addGroupMember(group.id, user.id);
    await graph.addGroupMember(group.id, user.id);
    assert.deepEqual(group.memberIds, [user.id]);
    assert.equal(await graph.isGroupMember(group.id, user.id), true);
    await graph.removeGroupMember(group.id, user.id);
    await graph.removeGroupMember(group.id, user.id);
    assert.equal(await graph.isGroupMember(group.id, user.id), false);
    const error = await rejection(
      limited(['GroupMember.Read.All']).addGroupMember(group.id, user.id),
    );
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /GroupMember\.ReadWrite\.All/);
  });

  it('lists managed devices and retires or wipes them', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'intune@contoso.com' });
    const c = h.standin.state.containment;
    const laptop = c.addManagedDevice({ deviceName: 'LT-1', userId: user.id });
    const phone = c.addManagedDevice({
      deviceName: 'PHONE-1',
      userId: user.id,
      operatingSystem: 'iOS',
    });
    assert.deepEqual(
      (await graph.listManagedDevices(user.id)).map((d) => [d.deviceName, d.managementState]),
      [
        ['LT-1', 'managed'],
        ['PHONE-1', 'managed'],
      ],
    );
    await graph.retireManagedDevice(laptop.id);
    await graph.wipeManagedDevice(phone.id);
    assert.equal((await graph.getManagedDevice(laptop.id))?.managementState, 'retirePending');
    assert.equal((await graph.getManagedDevice(phone.id))?.managementState, 'wipePending');
    assert.equal(await graph.getManagedDevice('00000000-0000-0000-0000-00000000abcd'), undefined);
    const error = await rejection(
      limited(['DeviceManagementManagedDevices.Read.All']).retireManagedDevice(laptop.id),
    );
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /DeviceManagementManagedDevices\.PrivilegedOperations\.All/);
  });

  it('enables a user and a device again (restore)', async () => {
    const user = h.standin.state.addUser({
      userPrincipalName: 'back@contoso.com',
      accountEnabled: false,
    });
    const device = h.standin.state.addDevice({ displayName: 'DEV', accountEnabled: false });
    await graph.enableUser(user.id);
    await graph.enableDevice(device.id);
    assert.equal(h.standin.state.users.get(user.id)?.accountEnabled, true);
    assert.equal(h.standin.state.devices.get(device.id)?.accountEnabled, true);
    const error = await rejection(limited(['User.Read.All']).enableUser(user.id));
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /User\.EnableDisableAccount\.All/);
  });
});
