import assert from 'node:assert/strict';
import { rejection, useHarness, type Harness } from './fixtures';

describe('GraphDirectory writes', () => {
  let h: Harness;
  useHarness((harness) => (h = harness));

  it('disables the user, and doing it again still succeeds', async () => {
    const seeded = h.standin.state.addUser({ userPrincipalName: 'target@contoso.com' });
    await h.directory.disableUser(seeded.id);
    assert.equal(h.standin.state.users.get(seeded.id)?.accountEnabled, false);
    assert.equal((await h.directory.getUser(seeded.id))?.accountEnabled, false);

    await h.directory.disableUser(seeded.id);
    assert.equal(h.standin.log.count('PATCH /users/{id}'), 2);
  });

  it('reports disabling an unknown user as not_found', async () => {
    await assert.rejects(h.directory.disableUser('00000000-0000-0000-0000-000000000001'), {
      name: 'DirectoryError',
      kind: 'not_found',
      code: 'Request_ResourceNotFound',
    });
  });

  it('revokes sessions, and reads the moved valid-from time back', async () => {
    const seeded = h.standin.state.addUser({
      userPrincipalName: 'revoke@contoso.com',
      signInSessionsValidFromDateTime: '2024-05-01T08:00:00Z',
    });
    assert.equal(await h.directory.getSignInSessionsValidFrom(seeded.id), '2024-05-01T08:00:00Z');
    const before = Date.now();
    await h.directory.revokeSignInSessions(seeded.id);
    const validFrom = await h.directory.getSignInSessionsValidFrom(seeded.id);
    assert.ok(validFrom);
    assert.equal(validFrom, h.standin.state.users.get(seeded.id)?.signInSessionsValidFromDateTime);
    assert.ok(Date.parse(validFrom) > Date.parse('2024-05-01T08:00:00Z'));
    assert.ok(Date.parse(validFrom) >= Math.floor(before / 1000) * 1000);
  });

  it('fails a revocation Graph answers without value=true, rather than trusting it', async () => {
    const seeded = h.standin.state.addUser({ userPrincipalName: 'novalue@contoso.com' });
    for (const body of [{ value: false }, {}]) {
      h.standin.faults.add({ method: 'POST', path: /\/revokeSignInSessions$/, status: 200, body });
      const error = await rejection(h.directory.revokeSignInSessions(seeded.id));
      assert.equal(error.code, 'InvalidResponse');
    }
  });

  it('lets a failed or nonsensical valid-from read-back surface, instead of swallowing it', async () => {
    const seeded = h.standin.state.addUser({ userPrincipalName: 'readback@contoso.com' });
    const userPath = new RegExp(`/users/${seeded.id}$`);
    h.standin.faults.add({ method: 'GET', path: userPath, status: 503, times: 1 });
    assert.equal(
      (await rejection(h.directory.getSignInSessionsValidFrom(seeded.id))).kind,
      'transient',
    );
    h.standin.faults.add({
      method: 'GET',
      path: userPath,
      status: 200,
      body: { id: seeded.id, signInSessionsValidFromDateTime: 'yesterday' },
    });
    const error = await rejection(h.directory.getSignInSessionsValidFrom(seeded.id));
    assert.equal(error.code, 'InvalidResponse');
  });

  it('reads and disables a device', async () => {
    const device = h.standin.state.addDevice({
      displayName: 'LAPTOP-1',
      operatingSystem: 'Windows',
    });
    assert.deepEqual(await h.directory.getDevice(device.id), {
      id: device.id,
      displayName: 'LAPTOP-1',
      accountEnabled: true,
      operatingSystem: 'Windows',
    });
    await h.directory.disableDevice(device.id);
    assert.equal(h.standin.state.devices.get(device.id)?.accountEnabled, false);
    assert.equal(await h.directory.getDevice('no-such-device'), undefined);
  });

  it('lists every registered device across pages, devices only', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'many@contoso.com' });
    for (let i = 0; i < 250; i++) {
      h.standin.state.addDevice({
        displayName: `dev-${i}`,
        registeredUserIds: [user.id],
        operatingSystem: 'iOS',
      });
    }
    h.standin.state.addDevice({
      displayName: 'not a device',
      registeredUserIds: [user.id],
      odataType: '#microsoft.graph.endpoint',
    });
    h.standin.state.addDevice({ displayName: 'someone else', registeredUserIds: ['x'] });

    const devices = await h.directory.listRegisteredDevices(user.id);
    assert.equal(devices.length, 250);
    assert.equal(new Set(devices.map((d) => d.id)).size, 250);
    assert.equal(devices[249]?.displayName, 'dev-249');
    // 251 directory objects at 100 per page.
    assert.equal(h.standin.log.count('GET /users/{id}/registeredDevices'), 3);
  });
});
