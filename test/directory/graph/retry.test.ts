import assert from 'node:assert/strict';
import { DirectoryError } from '../../../src/core/errors';
import { withRetry } from '../../../src/core/retry';
import { createGraphDirectory } from '../../../src/directory/graph';
import { FakeClock } from '../../support/fake-clock';
import { rejection, startHarness, type Harness } from './fixtures';

describe('GraphDirectory failures and withRetry (the only retry layer)', () => {
  let h: Harness;
  let userId: string;
  before(async () => {
    h = await startHarness();
    userId = h.standin.state.addUser({ userPrincipalName: 'flaky@contoso.com' }).id;
  });
  after(async () => {
    await h.standin.stop();
  });
  beforeEach(() => {
    h.standin.faults.clear();
    h.standin.log.reset();
  });

  it('surfaces a 429 at once as throttled with Retry-After (the SDK does not retry)', async () => {
    h.standin.faults.add({
      method: 'PATCH',
      path: /^\/v1\.0\/users\//,
      status: 429,
      retryAfterSeconds: 7,
    });
    const error = await rejection(h.directory.disableUser(userId));
    assert.ok(error instanceof DirectoryError);
    assert.equal(error.kind, 'throttled');
    assert.equal(error.retryAfterMs, 7000);
    assert.equal(error.code, 'TooManyRequests');
    assert.match(error.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(h.standin.log.count('PATCH /users/{id}'), 1);
  });

  it('429 then success through withRetry, waiting exactly the Retry-After', async () => {
    h.standin.faults.add({
      method: 'PATCH',
      path: /^\/v1\.0\/users\//,
      status: 429,
      retryAfterSeconds: 1,
    });
    const clock = new FakeClock();
    await withRetry(() => h.directory.disableUser(userId), { clock, random: () => 0.5 });
    assert.deepEqual(clock.sleeps, [1000]);
    assert.equal(h.standin.log.count('PATCH /users/{id}'), 2);
    assert.equal(h.standin.state.users.get(userId)?.accountEnabled, false);
  });

  it('rides out a short 503 storm within the deadline', async () => {
    h.standin.faults.add({ path: /\/revokeSignInSessions$/, status: 503, times: 3 });
    const clock = new FakeClock();
    await withRetry(() => h.directory.revokeSignInSessions(userId), {
      clock,
      random: () => 0,
      policy: { baseDelayMs: 100, deadlineMs: 10_000 },
    });
    assert.ok(await h.directory.getSignInSessionsValidFrom(userId));
    assert.deepEqual(clock.sleeps, [50, 100, 200]);
    assert.equal(h.standin.log.count('POST /users/{id}/revokeSignInSessions'), 4);
  });

  it('gives up on a 503 storm that outlasts the deadline, as transient', async () => {
    h.standin.faults.add({
      path: /\/revokeSignInSessions$/,
      status: 503,
      times: Infinity,
      retryAfterSeconds: 1,
    });
    const clock = new FakeClock();
    const error = await rejection(
      withRetry(() => h.directory.revokeSignInSessions(userId), {
        clock,
        policy: { deadlineMs: 3_500, maxAttempts: 50 },
      }),
    );
    assert.equal(error.kind, 'transient');
    assert.equal(error.code, 'ServiceUnavailable');
    assert.deepEqual(clock.sleeps, [1000, 1000, 1000]);
    assert.equal(h.standin.log.count('POST /users/{id}/revokeSignInSessions'), 4);
  });

  it('times a hung call out as transient', async () => {
    h.standin.faults.add({ method: 'GET', path: /^\/v1\.0\/devices\//, status: 0, hang: true });
    const quick = createGraphDirectory(h.config({ timeoutMs: 300 }));
    const error = await rejection(quick.getDevice('whatever'));
    assert.equal(error.kind, 'transient');
    assert.match(error.message, /timed out/);
  });

  it('maps a 500 to transient and a 400 to rejected', async () => {
    h.standin.faults.add({ method: 'GET', path: /^\/v1\.0\/users\//, status: 500 });
    assert.equal((await rejection(h.directory.getUser(userId))).kind, 'transient');
    h.standin.faults.add({
      method: 'GET',
      path: /^\/v1\.0\/users\//,
      status: 400,
      code: 'Request_BadRequest',
      message: 'Invalid object identifier.',
    });
    const bad = await rejection(h.directory.getUser(userId));
    assert.equal(bad.kind, 'rejected');
    assert.match(bad.message, /Invalid object identifier/);
  });
});
