// The Google Workspace adapter with the real SDK (@googleapis/admin + google-auth-library) against
// the HTTPS stand-in: a signed JWT exchanged for a token as an administrator, the exact look-up,
// sign-out and suspension read back, Google's throttling through Revoke's one retry layer, and
// failures that say what to fix without ever carrying the key or a token.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { DirectoryError } from '../../../src/core/errors';
import { withRetry } from '../../../src/core/retry';
import {
  GoogleWorkspaceAdapter,
  readServiceAccountKey,
  type ServiceAccountKey,
} from '../../../src/directory/google-workspace';
import { queryValue } from '../../../src/directory/google-workspace/google-workspace-directory';
import { FakeClock } from '../../support/fake-clock';
import {
  GoogleWorkspaceStandin,
  makeServiceAccount,
  SCOPES,
  type StandinGoogleUser,
  type TestServiceAccount,
} from '../../support/google-workspace-standin';
import { GOOGLE_ERRORS } from '../../support/google-workspace-standin/google-error-bodies';

const ADMIN = 'admin@contoso.test';
const BOTH = [SCOPES.user, SCOPES.security];

async function rejection(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DirectoryError, inspect(error));
    return error;
  }
  assert.fail('expected a DirectoryError');
}

describe('Google Workspace adapter against the Directory API stand-in (real SDK)', function () {
  this.timeout(20_000);
  let standin: GoogleWorkspaceStandin;
  let dir: string;
  let account: TestServiceAccount;
  let alice: StandinGoogleUser;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-google-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    standin = await new GoogleWorkspaceStandin().start();
    standin.addUser(ADMIN, { isAdmin: true });
    alice = standin.addUser('alice.johnson@contoso.test', { aliases: ['alice@contoso.test'] });
    standin.addUser('alice.johnson2@contoso.test');
    account = standin.addServiceAccount(BOTH);
  });
  afterEach(async () => standin.stop());

  function keyOf(which: TestServiceAccount, tokenUri = standin.tokenUrl): ServiceAccountKey {
    const path = standin.writeKeyFile(join(dir, `${which.clientId}.json`), which);
    const read = readServiceAccountKey('GOOGLE_SERVICE_ACCOUNT_KEY_FILE', path);
    assert.ok('key' in read, JSON.stringify(read));
    return tokenUri === standin.tokenUrl ? read.key : { ...read.key, tokenUri };
  }

  function adapter(
    options: { which?: TestServiceAccount; subject?: string; key?: ServiceAccountKey } = {},
  ): GoogleWorkspaceAdapter {
    return new GoogleWorkspaceAdapter({
      key: options.key ?? keyOf(options.which ?? account),
      subject: options.subject ?? ADMIN,
      apiRootUrl: standin.origin,
      keyEnv: 'GOOGLE_SERVICE_ACCOUNT_KEY_FILE',
      subjectEnv: 'GOOGLE_ADMIN_SUBJECT',
    });
  }

  it('finds the one user whose primary address or alias is exactly the address, case aside', async () => {
    const google = adapter();
    const expected = { id: alice.id, primaryEmail: alice.primaryEmail, suspended: false };
    assert.deepEqual(await google.findUser(['Alice.Johnson@Contoso.test']), expected);
    assert.deepEqual(await google.findUser(['ALICE@contoso.test']), expected, 'by its alias');
    assert.deepEqual(
      await google.findUser(['alice.johnson@contoso.test', 'alice@contoso.test']),
      expected,
      'both addresses lead to the same account',
    );
    assert.equal(await google.findUser(['nobody@contoso.test']), undefined);
    assert.equal(await google.findUser(['johnson@contoso.test']), undefined, 'no partial match');
    // Asked as Google's search guide says: the customer of the admin, an exact email= clause.
    const searches = standin.callsOf('GET /users');
    assert.equal(searches[0]?.query, "email='Alice.Johnson@Contoso.test'");
    // One token for all of it: the credential caches it.
    assert.equal(standin.callsOf('POST /token').length, 1);
  });

  it('refuses an address pair that leads to two accounts, and reads every page to know it', async () => {
    const mallory = standin.addUser('mallory@contoso.test', {
      aliases: ['a.johnson@contoso.test'],
    });
    const google = adapter();
    const ambiguous = await rejection(
      google.findUser(['alice.johnson@contoso.test', 'a.johnson@contoso.test']),
    );
    assert.equal(ambiguous.kind, 'rejected');
    assert.equal(ambiguous.code, 'ambiguous');
    assert.match(ambiguous.message, /2 Google Workspace accounts/);
    assert.match(ambiguous.message, new RegExp(mallory.primaryEmail));

    // Google keeps addresses unique, but a page is not the whole answer: the second match is on
    // the second page, and only following nextPageToken finds it.
    standin.pageSize = 1;
    standin.addUser('twin@contoso.test', { aliases: ['alice@contoso.test'] });
    const paged = await rejection(google.findUser(['alice@contoso.test']));
    assert.equal(paged.code, 'ambiguous');
    assert.equal(
      standin.callsOf('GET /users').filter((c) => c.query?.includes("'alice@")).length,
      2,
    );
  });

  it('quotes the searched address so a quote in it cannot change the query', async () => {
    assert.equal(queryValue("o'brien@contoso.test"), "'o\\'brien@contoso.test'");
    const obrien = standin.addUser("o'brien@contoso.test");
    assert.equal((await adapter().findUser(["O'Brien@contoso.test"]))?.id, obrien.id);
  });

  it('signs out, suspends and reads suspended back; repeating either changes nothing', async () => {
    const google = adapter();
    await google.signOut(alice.id);
    assert.equal(alice.signOuts, 1);
    await google.setSuspended(alice.id, true);
    assert.equal(alice.suspended, true);
    assert.equal((await google.getUser(alice.id))?.suspended, true);

    await google.signOut(alice.id);
    await google.setSuspended(alice.id, true);
    assert.equal(alice.signOuts, 2);
    assert.equal((await google.getUser(alice.id))?.suspended, true);

    await google.setSuspended(alice.id, false);
    assert.equal((await google.getUser(alice.id))?.suspended, false);
    assert.equal(await google.getUser('999'), undefined, 'a user gone is undefined, not an error');
  });

  it('reports a 429 once, with Retry-After, and the retry layer waits exactly that long', async () => {
    standin.fail({
      route: 'PUT /users/{userKey}',
      answer: GOOGLE_ERRORS.rateLimited,
      retryAfterSeconds: 7,
    });
    const google = adapter();
    const throttled = await rejection(google.setSuspended(alice.id, true));
    assert.equal(throttled.kind, 'throttled');
    assert.equal(throttled.code, 'rateLimitExceeded');
    assert.equal(throttled.retryAfterMs, 7_000);
    assert.equal(standin.callsOf('PUT /users/{userKey}').length, 1, 'the SDK did not retry');

    standin.fail({
      route: 'PUT /users/{userKey}',
      answer: GOOGLE_ERRORS.rateLimited,
      retryAfterSeconds: 3,
    });
    const clock = new FakeClock();
    await withRetry(() => google.setSuspended(alice.id, true), { clock, random: () => 0 });
    assert.deepEqual(clock.sleeps, [3_000]);
    assert.equal(alice.suspended, true);
  });

  it('reads a 403 rateLimitExceeded as throttling and a 503 as transient, each sent once', async () => {
    standin.fail({ route: 'GET /users/{userKey}', answer: GOOGLE_ERRORS.userRateLimited });
    const google = adapter();
    const limited = await rejection(google.getUser(alice.id));
    assert.equal(limited.kind, 'throttled');
    assert.equal(limited.code, 'userRateLimitExceeded');

    standin.fail({
      route: 'POST /users/{userKey}/signOut',
      answer: GOOGLE_ERRORS.unavailable,
      retryAfterSeconds: 2,
    });
    const down = await rejection(google.signOut(alice.id));
    assert.equal(down.kind, 'transient');
    assert.equal(down.retryAfterMs, 2_000);
    assert.equal(standin.callsOf('POST /users/{userKey}/signOut').length, 1);

    standin.fail({ route: 'POST /token', answer: GOOGLE_ERRORS.unavailable });
    const fresh = adapter();
    const tokenDown = await rejection(fresh.getUser(alice.id));
    assert.equal(tokenDown.kind, 'transient');
    assert.equal(standin.callsOf('POST /token').length, 2, 'one for each adapter, no retry');
  });

  it('names the delegation to fix when the client is not delegated both scopes', async () => {
    const userOnly = standin.addServiceAccount([SCOPES.user], makeServiceAccount('user-only'));
    const denied = await rejection(adapter({ which: userOnly }).getUser(alice.id));
    assert.equal(denied.kind, 'permission');
    assert.equal(denied.code, 'unauthorized_client');
    assert.match(denied.advice ?? '', new RegExp(`client ID ${userOnly.clientId}`));
    assert.match(denied.advice ?? '', /admin\.directory\.user\.security/);
    assert.match(denied.advice ?? '', /domain-wide delegation/);
  });

  it('names the scope a method lacks when Google answers insufficientPermissions', async () => {
    standin.fail({
      route: 'POST /users/{userKey}/signOut',
      answer: GOOGLE_ERRORS.insufficientScopes,
    });
    const denied = await rejection(adapter().signOut(alice.id));
    assert.equal(denied.kind, 'permission');
    assert.match(denied.message, /sign a user out \(users\.signOut\)/);
    assert.match(
      denied.advice ?? '',
      /scopes https:\/\/www\.googleapis\.com\/auth\/admin\.directory\.user\.security\.$/,
    );
  });

  it('says the subject must be an administrator when Google refuses a non-admin', async () => {
    standin.addUser('clerk@contoso.test');
    const denied = await rejection(adapter({ subject: 'clerk@contoso.test' }).getUser(alice.id));
    assert.equal(denied.kind, 'permission');
    assert.equal(denied.code, 'forbidden');
    assert.match(denied.advice ?? '', /GOOGLE_ADMIN_SUBJECT must hold an admin role/);

    const unknown = await rejection(adapter({ subject: 'ghost@contoso.test' }).getUser(alice.id));
    assert.equal(unknown.kind, 'misconfigured');
    assert.match(unknown.message, /invalid_grant.*Invalid email or User ID/);
  });

  it('never puts the private key, the signed assertion or a token into an error', async () => {
    // A key the stand-in does not know for this account: Google answers "Invalid JWT Signature".
    const stranger = makeServiceAccount('stranger');
    const forged = { ...keyOf(account), privateKey: stranger.privateKeyPem };
    const errors = [
      await rejection(adapter({ key: forged }).getUser(alice.id)),
      await rejection(adapter({ subject: 'ghost@contoso.test' }).signOut(alice.id)),
    ];
    standin.fail({ route: 'GET /users', answer: GOOGLE_ERRORS.unauthenticated });
    errors.push(await rejection(adapter().findUser(['alice@contoso.test'])));
    assert.match(errors[0]?.message ?? '', /Invalid JWT Signature/);
    assert.equal(errors[2]?.kind, 'misconfigured');
    const secrets = [
      account.privateKeyPem.split('\n')[1] ?? 'missing',
      stranger.privateKeyPem.split('\n')[1] ?? 'missing',
      'ya29.',
      'eyJ',
      'Bearer',
    ];
    for (const error of errors) {
      const everything = inspect(error, { depth: 10, showHidden: true });
      for (const secret of secrets)
        assert.ok(!everything.includes(secret), `${secret} leaked into ${everything}`);
    }
  });
});
