import assert from 'node:assert/strict';
import { createGraphDirectory } from '../../../src/directory/graph';
import {
  directoryWithRoles,
  rejection,
  SECRET,
  startHarness,
  testCertificatePem,
  type Harness,
} from './fixtures';

describe('GraphDirectory permissions and credentials', () => {
  let h: Harness;
  let userId: string;
  before(async () => {
    h = await startHarness();
    userId = h.standin.state.addUser({ userPrincipalName: 'perm@contoso.com' }).id;
  });
  after(async () => {
    await h.standin.stop();
  });

  it('turns a 403 into a permission error naming the least-privilege permission', async () => {
    const limited = directoryWithRoles(h, ['User.Read.All']);
    const error = await rejection(limited.revokeSignInSessions(userId));
    assert.equal(error.kind, 'permission');
    assert.equal(error.code, 'Authorization_RequestDenied');
    assert.match(error.advice ?? '', /User\.RevokeSessions\.All/);
    assert.match(error.advice ?? '', /admin consent/);
    assert.match(error.requestId ?? '', /^[0-9a-f-]{36}$/);

    const disable = await rejection(limited.disableUser(userId));
    assert.equal(disable.kind, 'permission');
    assert.match(disable.advice ?? '', /User\.EnableDisableAccount\.All/);
    assert.equal(h.standin.state.users.get(userId)?.accountEnabled, true);
  });

  it('reports a wrong client secret as misconfigured, without the secret', async () => {
    const wrong = 'WRONG~secret-value-1234567890';
    const directory = createGraphDirectory(h.config({ clientSecret: wrong }));
    const error = await rejection(directory.getUser(userId));
    assert.equal(error.kind, 'misconfigured');
    assert.equal(error.code, 'AADSTS7000215');
    assert.match(error.message, /refused to issue a Microsoft Graph token/);
    assert.match(error.advice ?? '', /AZURE_CLIENT_SECRET/);
    for (const text of [
      error.message,
      error.advice ?? '',
      JSON.stringify(error),
      String(error.cause),
    ]) {
      assert.ok(!text.includes(wrong), 'the wrong secret leaked');
      assert.ok(!text.includes(SECRET), 'the right secret leaked');
    }
  });

  it('reports an unknown client id as misconfigured', async () => {
    const directory = createGraphDirectory(
      h.config({ clientId: '11111111-2222-3333-4444-555555555555' }),
    );
    const error = await rejection(directory.getUser(userId));
    assert.equal(error.kind, 'misconfigured');
    assert.equal(error.code, 'AADSTS700016');
    assert.match(error.advice ?? '', /AZURE_CLIENT_ID/);
  });

  it('authenticates with a certificate (signed client assertion)', async () => {
    const { pemPath, certPem } = testCertificatePem();
    const app = h.standin.state.addApp({ certificatePem: certPem, roles: ['User.Read.All'] });
    const directory = createGraphDirectory(
      h.config({ clientId: app.clientId, clientSecret: undefined, certificatePath: pemPath }),
    );
    assert.equal((await directory.getUser(userId))?.id, userId);
  });
});
