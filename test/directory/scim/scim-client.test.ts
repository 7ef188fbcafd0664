import assert from 'node:assert/strict';
import { DirectoryError } from '../../../src/core/errors';
import { ScimAppsDirectory, scimFilterString } from '../../../src/directory/scim';
import { ScimStandin } from '../../support/scim-standin';

async function rejection(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DirectoryError, String(error));
    return error;
  }
  assert.fail('expected a DirectoryError');
}

describe('SCIM adapter against the SCIM stand-in', () => {
  let standin: ScimStandin;
  before(async () => {
    standin = await new ScimStandin().start();
  });
  after(async () => {
    await standin.stop();
  });
  beforeEach(() => {
    standin.users.clear();
    standin.requests.length = 0;
  });

  function apps(token = standin.token, baseUrl = standin.baseUrl): ScimAppsDirectory {
    return new ScimAppsDirectory(
      [{ name: 'Acme HR', baseUrl, tokenEnv: 'SCIM_TOKEN_ACME', token }],
      5_000,
    );
  }

  it('finds the user by userName, deactivates it, and reads active=false back', async () => {
    const user = standin.addUser('alice@contoso.com');
    standin.addUser('alice@contoso.com.other');
    const scim = apps();
    const found = await scim.findUser('Acme HR', 'alice@contoso.com');
    assert.deepEqual(found, { id: user.id, userName: 'alice@contoso.com', active: true });
    await scim.deactivateUser('Acme HR', user.id);
    assert.equal((await scim.getUser('Acme HR', user.id))?.active, false);
    assert.equal(user.active, false);
    // Idempotent: a second deactivation is accepted and changes nothing.
    await scim.deactivateUser('Acme HR', user.id);
    assert.equal(user.active, false);
  });

  it('escapes quotes and backslashes in the filter as RFC 7644 asks', async () => {
    assert.equal(scimFilterString('o"brien\\x@contoso.com'), '"o\\"brien\\\\x@contoso.com"');
    const user = standin.addUser('o"brien@contoso.com');
    assert.equal((await apps().findUser('Acme HR', 'o"brien@contoso.com'))?.id, user.id);
    const url = standin.requests[0]?.url ?? '';
    assert.equal(
      new URL(url, 'https://x').searchParams.get('filter'),
      'userName eq "o\\"brien@contoso.com"',
    );
  });

  it('answers undefined when no user matches and when the user is gone (404)', async () => {
    assert.equal(await apps().findUser('Acme HR', 'nobody@contoso.com'), undefined);
    assert.equal(await apps().getUser('Acme HR', 'no-such-id'), undefined);
  });

  it('treats a 404 on the user search as a wrong base URL, never as "no user"', async () => {
    standin.addUser('alice@contoso.com');
    const baseUrl = `${standin.baseUrl}/v3`;
    const error = await rejection(apps(standin.token, baseUrl).findUser('Acme HR', 'bob@x.com'));
    assert.equal(error.kind, 'misconfigured');
    assert.match(error.advice ?? '', /Acme HR/);
    assert.ok((error.advice ?? '').includes(baseUrl));
  });

  it('treats a non-SCIM 200 answer to the user search as a wrong base URL', async () => {
    const baseUrl = standin.baseUrl.replace(/\/scim\/v2$/, '');
    const error = await rejection(apps(standin.token, baseUrl).findUser('Acme HR', 'bob@x.com'));
    assert.equal(error.kind, 'misconfigured');
    assert.ok((error.advice ?? '').includes(baseUrl));
  });

  it('still reads a 404 on a user found earlier as "gone"', async () => {
    const user = standin.addUser('alice@contoso.com');
    const scim = apps();
    assert.equal((await scim.findUser('Acme HR', 'alice@contoso.com'))?.id, user.id);
    standin.users.delete(user.id);
    assert.equal(await scim.getUser('Acme HR', user.id), undefined);
  });

  it('never reads a malformed user as "no account", "gone" or "inactive"', async () => {
    const user = standin.addUser('alice@contoso.com');
    const scim = apps();
    const list = (resource: unknown) => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 1,
      Resources: [resource],
    });
    // A search result whose user has no userName cannot rule the account out.
    standin.answerNextWith(list({ id: user.id, active: true }));
    assert.equal(
      (await rejection(scim.findUser('Acme HR', 'alice@contoso.com'))).code,
      'InvalidResponse',
    );
    // A read-back that is not a user is not "the account is gone".
    standin.answerNextWith({ detail: 'maintenance' });
    assert.equal((await rejection(scim.getUser('Acme HR', user.id))).code, 'InvalidResponse');
    // active: null is not "inactive".
    standin.answerNextWith({ id: user.id, userName: user.userName, active: null });
    assert.equal((await rejection(scim.getUser('Acme HR', user.id))).code, 'InvalidResponse');
  });

  it('turns a 401 into a permission error naming the token variable, never the token', async () => {
    standin.addUser('alice@contoso.com');
    const error = await rejection(apps('wrong-token').findUser('Acme HR', 'alice@contoso.com'));
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /SCIM_TOKEN_ACME/);
    const text = `${error.message} ${error.advice ?? ''} ${JSON.stringify(error)}`;
    assert.ok(!text.includes('wrong-token'));
    assert.ok(!text.includes(standin.token));
  });

  it('turns a 429 into a throttled error carrying Retry-After', async () => {
    standin.throttleNext(1, 7);
    const error = await rejection(apps().findUser('Acme HR', 'alice@contoso.com'));
    assert.equal(error.kind, 'throttled');
    assert.equal(error.retryAfterMs, 7_000);
    assert.ok(error.retryable);
  });

  it('reports an unreachable app as transient', async () => {
    const scim = new ScimAppsDirectory([
      { name: 'Gone', baseUrl: 'https://127.0.0.1:1/scim', tokenEnv: 'T', token: 't' },
    ]);
    const error = await rejection(scim.findUser('Gone', 'a@b.c'));
    assert.equal(error.kind, 'transient');
  });
});
