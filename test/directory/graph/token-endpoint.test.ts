import assert from 'node:assert/strict';
import { createGraphDirectory } from '../../../src/directory/graph';
import { rejection, startHarness, type Harness } from './fixtures';

describe('GraphDirectory token acquisition', () => {
  let h: Harness;
  let userId: string;
  before(async () => {
    h = await startHarness();
    userId = h.standin.state.addUser({ userPrincipalName: 'tok@contoso.com' }).id;
  });
  after(async () => {
    await h.standin.stop();
  });
  beforeEach(() => {
    h.standin.faults.clear();
    h.standin.log.reset();
  });

  it('fetches one token for many calls (one credential, cached)', async () => {
    const directory = createGraphDirectory(h.config());
    await directory.getUser(userId);
    await directory.getUser(userId);
    await directory.getManager(userId);
    assert.equal(h.standin.log.count('POST /{tenant}/oauth2/v2.0/token'), 1);
  });

  it('reports an unavailable token endpoint as transient', async () => {
    h.standin.faults.add({ path: /\/oauth2\/v2\.0\/token$/, status: 503, times: Infinity });
    const directory = createGraphDirectory(h.config());
    const error = await rejection(directory.getUser(userId));
    assert.equal(error.kind, 'transient', error.message);
    // Neither MSAL nor @azure/identity retried behind withRetry's back.
    assert.equal(h.standin.log.count('POST /{tenant}/oauth2/v2.0/token'), 1);
  });

  it('reports a throttled token endpoint as throttled', async () => {
    h.standin.faults.add({ path: /\/oauth2\/v2\.0\/token$/, status: 429, retryAfterSeconds: 1 });
    const error = await rejection(createGraphDirectory(h.config()).getUser(userId));
    assert.equal(error.kind, 'throttled', error.message);
  });

  it('times a hung token request out as transient', async () => {
    h.standin.faults.add({ path: /\/oauth2\/v2\.0\/token$/, status: 0, hang: true });
    const started = Date.now();
    const error = await rejection(
      createGraphDirectory(h.config({ timeoutMs: 200 })).getUser(userId),
    );
    assert.equal(error.kind, 'transient');
    assert.match(error.message, /timed out/);
    assert.ok(Date.now() - started < 2_000);
  });

  it('uses the App Service managed identity endpoint', async () => {
    const identity = h.standin.state.addApp({ managedIdentity: true, roles: ['User.Read.All'] });
    const saved = {
      endpoint: process.env['IDENTITY_ENDPOINT'],
      header: process.env['IDENTITY_HEADER'],
    };
    process.env['IDENTITY_ENDPOINT'] = h.standin.identityEndpoint;
    process.env['IDENTITY_HEADER'] = h.standin.identityHeader;
    try {
      const directory = createGraphDirectory(
        h.config({ managedIdentity: true, clientId: identity.clientId, clientSecret: undefined }),
      );
      assert.equal((await directory.getUser(userId))?.id, userId);
      assert.equal(h.standin.log.count('GET /msi/token'), 1);
    } finally {
      for (const [key, value] of [
        ['IDENTITY_ENDPOINT', saved.endpoint],
        ['IDENTITY_HEADER', saved.header],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
