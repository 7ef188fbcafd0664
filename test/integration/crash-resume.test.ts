// The headline of the durable engine: Revoke runs as its own process (`node dist/src/index.js`,
// SQLite file), is killed with SIGKILL at different points of a run, and started again on the
// same database. Each time the run resumes and finishes, every effect is in the directories, and
// no step that had been recorded as succeeded is run again. SIGTERM stops it cleanly instead.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RevocationRequest } from '../../src/core/model';
import { BotProcess, freePort } from '../support/bot-process';
import type { Fault } from '../support/entra-standin';
import { ACCOUNTDISABLE, readAccountState } from '../support/samba-users';
import { HybridTenant, SEEDED_SESSIONS_VALID_FROM, type Target } from './hybrid-tenant';
import {
  lastCardText,
  readRequest,
  requestAndApprove,
  stepOf,
  waitUntil,
} from './revocation-driver';

const USER_PATCH = 'PATCH /users/{id}';
const REVOKE = 'POST /users/{id}/revokeSignInSessions';
const DEVICE_PATCH = 'PATCH /devices/{id}';

describe('crash and resume: the bot process killed mid-run finishes after a restart', function () {
  this.timeout(60_000);
  const tenant = new HybridTenant();
  let dir: string;
  let db: string;
  const bots: BotProcess[] = [];
  let target: Target;

  before(async () => {
    await tenant.start();
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revoke-crash-'));
    db = join(dir, 'revoke.db');
    target = await tenant.addTarget(3);
  });

  afterEach(async () => {
    // Never leave a bot behind, whatever the test did.
    await Promise.all(bots.splice(0).map((bot) => bot.kill('SIGKILL')));
    tenant.gate.release();
    tenant.gate.delayMs = 0;
    tenant.standin.faults.clear();
    rmSync(dir, { recursive: true, force: true });
  });

  after(async () => {
    await tenant.stop();
  });

  async function startBot(): Promise<{ bot: BotProcess; baseUrl: string }> {
    const port = await freePort();
    const bot = await BotProcess.start(tenant.env(db), port);
    bots.push(bot);
    return { bot, baseUrl: `http://127.0.0.1:${port}` };
  }

  async function approve(baseUrl: string): Promise<{ requestId: string; cardId: string }> {
    return requestAndApprove({
      baseUrl,
      connector: tenant.connector,
      serviceUrl: tenant.serviceUrl,
      requester: tenant.requester,
      approvers: tenant.approvers,
      upn: target.entra.userPrincipalName,
    });
  }

  const devicePatches = (): number[] =>
    target.devices.map((d) => tenant.standin.log.countFor(DEVICE_PATCH, d.id));

  /** What each step's own write has been counted as, in the directories themselves. */
  async function effectCounters(): Promise<Record<string, number>> {
    const log = tenant.standin.log;
    const counters: Record<string, number> = {
      'ad-reset-password': (await readAccountState(tenant.dc, target.ad.dn)).keyVersion,
      'entra-disable': log.countFor(USER_PATCH, target.entra.id),
      'entra-revoke-sessions': log.countFor(REVOKE, target.entra.id),
    };
    target.devices.forEach((d, i) => (counters[`device-${d.id}`] = devicePatches()[i] ?? 0));
    return counters;
  }

  interface KillPoint {
    killedAt: RevocationRequest;
    counters: Record<string, number>;
  }

  async function sigkill(bot: BotProcess, requestId: string): Promise<KillPoint> {
    const exit = await bot.kill('SIGKILL');
    assert.equal(exit.signal, 'SIGKILL');
    return { killedAt: readRequest(db, requestId), counters: await effectCounters() };
  }

  /** Restarts on the same database and checks the run finished as if nothing had happened. */
  async function restartAndFinish(
    requestId: string,
    cardId: string,
    kill: KillPoint,
  ): Promise<RevocationRequest> {
    const putsBefore = tenant.connector.calls.filter((c) => c.method === 'PUT').length;
    const { bot } = await startBot();
    await bot.waitForLog(/resumed interrupted runs/);
    await waitUntil(
      () => readRequest(db, requestId).status !== 'running',
      'the resumed run finishes',
      20_000,
    );
    const done = readRequest(db, requestId);
    assert.equal(done.status, 'completed', JSON.stringify(done.steps, null, 1));
    for (const step of done.steps) assert.equal(step.status, 'succeeded', step.id);

    // A step recorded as succeeded before the kill was neither started again nor repeated.
    const after = await effectCounters();
    for (const before of kill.killedAt.steps.filter((s) => s.status === 'succeeded')) {
      const now = stepOf(done, before.id);
      assert.equal(now.attempts, before.attempts, `${before.id} was not started again`);
      assert.equal(now.startedAt, before.startedAt, `${before.id} was not started again`);
      if (before.id in after) {
        assert.equal(after[before.id], kill.counters[before.id], `${before.id} wrote nothing more`);
      }
    }

    // Every effect is in the directories.
    assert.equal(target.entra.accountEnabled, false);
    assert.ok(target.entra.signInSessionsValidFromDateTime > SEEDED_SESSIONS_VALID_FROM);
    for (const device of target.devices) assert.equal(device.accountEnabled, false);
    const account = await readAccountState(tenant.dc, target.ad.dn);
    assert.equal(account.userAccountControl, target.adBefore.userAccountControl | ACCOUNTDISABLE);
    assert.ok(account.keyVersion >= target.adBefore.keyVersion + 2, 'password set twice at least');

    // The card was updated by the new process and shows the finished state.
    await tenant.connector.waitFor(() => {
      const puts = tenant.connector.calls.filter((c) => c.method === 'PUT');
      return puts.length > putsBefore &&
        lastCardText(tenant.connector, cardId).includes('Completed')
        ? true
        : undefined;
    });
    assert.ok(!/running|retrying|waiting/.test(lastCardText(tenant.connector, cardId)));
    return done;
  }

  function hang(method: string, path: RegExp): Fault {
    return tenant.standin.faults.add({ method, path, status: 504, hang: true, times: 1 });
  }

  it('killed during the AD steps (disable saved, password reset in flight)', async () => {
    const { bot, baseUrl } = await startBot();
    tenant.gate.delayMs = 100;
    const { requestId, cardId } = await approve(baseUrl);
    await waitUntil(() => {
      const request = readRequest(db, requestId);
      return (
        stepOf(request, 'ad-disable').status === 'succeeded' &&
        stepOf(request, 'ad-reset-password').status === 'running'
      );
    }, 'the password reset is in flight');
    tenant.gate.hold(); // the reset's LDAP traffic goes no further
    const kill = await sigkill(bot, requestId);
    assert.equal(stepOf(kill.killedAt, 'ad-reset-password').status, 'running');

    tenant.gate.release();
    tenant.gate.delayMs = 0;
    const done = await restartAndFinish(requestId, cardId, kill);
    assert.equal(stepOf(done, 'ad-reset-password').attempts, 2, 'the reset ran again');
  });

  it('killed between the Entra disable and the session revocation', async () => {
    const { bot, baseUrl } = await startBot();
    const { requestId, cardId } = await approve(baseUrl);
    const revoke = hang('POST', new RegExp(`/users/${target.entra.id}/revokeSignInSessions$`));
    await waitUntil(() => {
      const request = readRequest(db, requestId);
      return (
        stepOf(request, 'entra-disable').status === 'succeeded' &&
        stepOf(request, 'entra-revoke-sessions').status === 'running' &&
        revoke.hits === 1
      );
    }, 'the session revocation is in flight');
    const kill = await sigkill(bot, requestId);
    assert.equal(target.entra.accountEnabled, false, 'disabled before the kill');
    assert.equal(target.entra.signInSessionsValidFromDateTime, SEEDED_SESSIONS_VALID_FROM);

    await restartAndFinish(requestId, cardId, kill);
    assert.equal(tenant.standin.log.countFor(USER_PATCH, target.entra.id), 1, 'disabled once');
  });

  it('killed during the device steps (one device in flight, another already done)', async () => {
    const { bot, baseUrl } = await startBot();
    const [first, second] = target.devices;
    assert.ok(first && second);
    // STEP_CONCURRENCY=4: the AD reset, the Entra disable and the first two devices run together.
    const stuck = hang('PATCH', new RegExp(`/devices/${second.id}$`));
    const { requestId, cardId } = await approve(baseUrl);
    await waitUntil(() => {
      const request = readRequest(db, requestId);
      return (
        stepOf(request, `device-${first.id}`).status === 'succeeded' &&
        stepOf(request, `device-${second.id}`).status === 'running' &&
        stuck.hits === 1
      );
    }, 'one device is done and the next is in flight');
    const kill = await sigkill(bot, requestId);

    await restartAndFinish(requestId, cardId, kill);
    assert.deepEqual(devicePatches(), [1, 2, 1], 'only the device in flight was patched again');
  });

  it('killed after a write landed but before its step was recorded: the step runs again, safely', async () => {
    const { bot, baseUrl } = await startBot();
    const { requestId, cardId } = await approve(baseUrl);
    // The Entra disable's read-back hangs: the PATCH has landed, the step is still `running`.
    // The step reads the account once before the PATCH (its prior state, for a restore).
    const readBack = tenant.standin.faults.add({
      method: 'GET',
      path: new RegExp(`^/v1\\.0/users/${target.entra.id}$`),
      status: 504,
      hang: true,
      skip: 1,
    });
    await waitUntil(
      () => readBack.hits === 1 && target.entra.accountEnabled === false,
      'the disable landed and its read-back is in flight',
    );
    const kill = await sigkill(bot, requestId);
    assert.equal(stepOf(kill.killedAt, 'entra-disable').status, 'running');

    const done = await restartAndFinish(requestId, cardId, kill);
    assert.equal(stepOf(done, 'entra-disable').attempts, 2);
  });

  it('SIGTERM mid-run: stops at once, leaves no step running, and the next start finishes', async () => {
    const { bot, baseUrl } = await startBot();
    // A long Retry-After: a graceful stop must not sit it out.
    tenant.standin.faults.add({
      method: 'POST',
      path: new RegExp(`/users/${target.entra.id}/revokeSignInSessions$`),
      status: 503,
      retryAfterSeconds: 30,
      times: 1,
    });
    const { requestId, cardId } = await approve(baseUrl);
    await waitUntil(
      () => stepOf(readRequest(db, requestId), 'entra-revoke-sessions').status === 'retrying',
      'the session revocation waits to retry',
    );

    const stopping = Date.now();
    const exit = await bot.kill('SIGTERM');
    const took = Date.now() - stopping;
    assert.deepEqual(exit, { code: 0, signal: null }, bot.tail());
    assert.ok(took < 5_000, `stopped in ${took} ms`);
    const stopped = readRequest(db, requestId);
    assert.equal(stopped.status, 'running', 'left for the next start');
    assert.deepEqual(
      stopped.steps.filter((s) => s.status === 'running' || s.status === 'retrying'),
      [],
      'no step is left running',
    );

    await restartAndFinish(requestId, cardId, {
      killedAt: stopped,
      counters: await effectCounters(),
    });
  });
});
