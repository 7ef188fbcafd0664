// GraphDirectory.writeMany against the stand-in: a wave's account disables, session revocations and
// device disables of different users in one POST /$batch, each judged on its own sub-response.
import assert from 'node:assert/strict';
import { useHarness, type Harness } from './fixtures';

/** What the stand-in gives every new user. */
const SEEDED = '2024-01-01T00:00:00Z';

describe('GraphDirectory.writeMany ($batch)', () => {
  let h: Harness;
  useHarness((harness) => (h = harness));
  afterEach(() => {
    h.standin.writeBudget = undefined;
    h.standin.writeLimits.clear();
  });

  function twoUsersWithDevices() {
    return [0, 1].map((i) => {
      const user = h.standin.state.addUser({
        userPrincipalName: `wm${i}-${Date.now()}@contoso.test`,
      });
      const device = h.standin.state.addDevice({
        displayName: `wm${i}`,
        registeredUserIds: [user.id],
      });
      return { user: user.id, device: device.id };
    });
  }

  it('does every kind of write in one round trip', async () => {
    const [a, b] = twoUsersWithDevices() as [
      { user: string; device: string },
      { user: string; device: string },
    ];
    const results = await h.directory.writeMany([
      { kind: 'disableUser', id: a.user },
      { kind: 'revokeSignInSessions', id: a.user },
      { kind: 'disableDevice', id: a.device },
      { kind: 'disableUser', id: b.user },
      { kind: 'disableDevice', id: b.device },
    ]);
    assert.deepEqual(results, [undefined, undefined, undefined, undefined, undefined]);
    assert.equal(h.standin.log.httpCount('POST /$batch'), 1);
    assert.equal(h.standin.log.count('POST /users/{id}/revokeSignInSessions'), 1);
    for (const id of [a.user, b.user])
      assert.equal(h.standin.state.users.get(id)?.accountEnabled, false);
    for (const id of [a.device, b.device])
      assert.equal(h.standin.state.devices.get(id)?.accountEnabled, false);
    assert.notEqual(h.standin.state.users.get(a.user)?.signInSessionsValidFromDateTime, SEEDED);
    assert.equal(h.standin.state.users.get(b.user)?.signInSessionsValidFromDateTime, SEEDED);
  });

  it("answers a write past the write budget with that write's own 429 and Retry-After", async () => {
    const [a, b] = twoUsersWithDevices() as [
      { user: string; device: string },
      { user: string; device: string },
    ];
    h.standin.writeBudget = { budget: 2, windowMs: 3_600_000 };
    const results = await h.directory.writeMany([
      { kind: 'disableUser', id: a.user },
      { kind: 'disableUser', id: b.user },
      { kind: 'revokeSignInSessions', id: b.user },
    ]);
    assert.equal(results[0], undefined);
    assert.equal(results[1], undefined);
    assert.equal(results[2]?.kind, 'throttled');
    assert.ok((results[2]?.retryAfterMs ?? 0) > 0);
    assert.equal(h.standin.state.users.get(b.user)?.signInSessionsValidFromDateTime, SEEDED);
  });

  it('does not take a revocation without value=true', async () => {
    const [a] = twoUsersWithDevices() as [{ user: string; device: string }];
    h.standin.faults.add({
      insideBatch: true,
      path: /revokeSignInSessions$/,
      status: 200,
      body: { value: false },
    });
    const [result] = await h.directory.writeMany([{ kind: 'revokeSignInSessions', id: a.user }]);
    assert.equal(result?.kind, 'transient');
    assert.equal(result?.code, 'InvalidResponse');
  });
});
