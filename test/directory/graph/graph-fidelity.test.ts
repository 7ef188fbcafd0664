// What a silent guess or a silently cut list would cost: an ambiguous mail must not pick a user,
// a paging runaway must not pass for a complete list, and throttling inside $batch is per device.
import assert from 'node:assert/strict';
import {
  createGraphClient,
  createGraphCredential,
  GraphContainmentDirectory,
} from '../../../src/directory/graph';
import { GraphRateLimit } from '../../support/entra-standin/rate-limit';
import { fetchToken, rejection, useHarness, type Harness } from './fixtures';

describe('GraphDirectory: no guesses, no partial lists', () => {
  let h: Harness;
  useHarness((harness) => (h = harness));

  const WIDE_SECRET = 'wide-app-secret';
  const WIDE_ROLES = [
    'User.Read.All',
    'Device.ReadWrite.All',
    'Directory.Read.All',
    'GroupMember.ReadWrite.All',
  ];
  let wideClientId = '';
  before(() => {
    wideClientId = h.standin.state.addApp({ secrets: [WIDE_SECRET], roles: WIDE_ROLES }).clientId;
  });

  function capped(maxPages: number, pageSize: number): GraphContainmentDirectory {
    const config = h.config({ clientId: wideClientId, clientSecret: WIDE_SECRET });
    const client = createGraphClient(createGraphCredential(config), config);
    return new GraphContainmentDirectory(client, {
      maxPages,
      pageSize,
      graphOrigin: h.standin.origin,
    });
  }

  it('refuses a mail that two users share, naming the count', async () => {
    h.standin.state.addUser({ userPrincipalName: 'a1@contoso.com', mail: 'shared@contoso.com' });
    h.standin.state.addUser({ userPrincipalName: 'a2@contoso.com', mail: 'Shared@contoso.com' });
    const error = await rejection(h.directory.findUser('shared@contoso.com'));
    assert.equal(error.kind, 'rejected');
    assert.equal(error.code, 'AmbiguousUser');
    assert.match(error.message, /\b2 users\b/);
    const call = h.standin.log.calls.find((c) => c.route === 'GET /users');
    assert.ok(call, 'the mail filter was used');
  });

  it('says "2 or more" when Graph has further pages of matches', async () => {
    for (const n of [1, 2, 3])
      h.standin.state.addUser({ userPrincipalName: `m${n}@contoso.com`, mail: 'team@contoso.com' });
    const error = await rejection(h.directory.findUser('team@contoso.com'));
    assert.equal(error.code, 'AmbiguousUser');
    assert.match(error.message, /2 or more users/);
  });

  it('fails a device list longer than the page cap instead of cutting it', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'many-devices@contoso.com' });
    for (const n of [1, 2, 3])
      h.standin.state.addDevice({ displayName: `pc${n}`, registeredUserIds: [user.id] });
    const error = await rejection(capped(2, 1).listRegisteredDevices(user.id));
    assert.equal(error.kind, 'rejected');
    assert.equal(error.code, 'TooManyPages');
    assert.equal((await capped(3, 1).listRegisteredDevices(user.id)).length, 3);
  });

  it('fails a grant list longer than the page cap instead of cutting it', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'many-grants@contoso.com' });
    for (let n = 0; n < 101; n++)
      h.standin.state.containment.addGrant({ clientId: `c${n}`, principalId: user.id, scope: 'x' });
    const error = await rejection(capped(1, 100).listOAuthGrants(user.id));
    assert.equal(error.code, 'TooManyPages');
  });

  it('throttles $batch sub-requests inside the 200, mapped per device', async () => {
    const ids = Array.from(
      { length: 5 },
      (_, i) => h.standin.state.addDevice({ displayName: `t${i}` }).id,
    );
    h.standin.rateLimit = new GraphRateLimit({ perSecond: 2 });
    try {
      const results = await h.directory.disableDevices(ids);
      assert.equal(h.standin.log.calls.find((c) => c.route === 'POST /$batch')?.status, 200);
      const throttled = ids.filter((id) => results.get(id)?.kind === 'throttled');
      const done = ids.filter((id) => results.get(id) === undefined);
      assert.equal(done.length, 2);
      assert.equal(throttled.length, 3);
      for (const id of throttled) {
        assert.ok((results.get(id)?.retryAfterMs ?? 0) >= 1_000, id);
        assert.equal(h.standin.state.devices.get(id)?.accountEnabled, true);
      }
    } finally {
      h.standin.rateLimit = undefined;
    }
  });

  it('refuses a member reference that names another Graph host, as Graph does', async () => {
    const user = h.standin.state.addUser({ userPrincipalName: 'sov@contoso.com' });
    const group = h.standin.state.addGroup({ displayName: 'Containment' });
    const token = await fetchToken(h.standin, wideClientId, WIDE_SECRET);
    const response = await fetch(`${h.standin.origin}/v1.0/groups/${group.id}/members/$ref`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}`,
      }),
    });
    assert.equal(response.status, 400);
    assert.deepEqual(group.memberIds, []);
    // The adapter names the configured host (the stand-in's), so the same add goes through.
    await capped(10, 100).addGroupMember(group.id, user.id);
    assert.deepEqual(group.memberIds, [user.id]);
  });
});
