// Scale-out: two bot processes share one real PostgreSQL and the HTTPS Graph stand-in (the
// directory they both see, with its call counters) and one Samba AD. The two approvals land on
// different instances at the same moment; exactly one run starts. The instance that owns the run
// is SIGKILLed mid-run; once its lease expires the survivor takes the run over and finishes it,
// and no step recorded as succeeded before the kill is started or applied again.
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import type { RevocationRequest } from '../../src/core/model';
import { cardAction, channelMessage } from '../support/activities';
import { BotProcess, freePort } from '../support/bot-process';
import { cardOf } from '../support/connector-standin';
import { sharedPostgres } from '../support/postgres';
import { ACCOUNTDISABLE, readAccountState } from '../support/samba-users';
import { HybridTenant, SEEDED_SESSIONS_VALID_FROM, type Target } from './hybrid-tenant';
import { stepOf, waitUntil } from './revocation-driver';

const USER_PATCH = 'PATCH /users/{id}';
const REVOKE = 'POST /users/{id}/revokeSignInSessions';
const DEVICE_PATCH = 'PATCH /devices/{id}';
const LEASE_SECONDS = 2;

async function post(baseUrl: string, activity: unknown): Promise<{ type?: string }> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(15_000),
  });
  assert.equal(response.status, 200, `POST /api/messages answered ${response.status}`);
  const text = await response.text();
  return text ? (JSON.parse(text) as { type?: string }) : {};
}

describe('two instances on one PostgreSQL: a run survives the death of its owner', function () {
  this.timeout(90_000);
  const tenant = new HybridTenant();
  const bots: BotProcess[] = [];
  let databaseUrl: string;
  let db: Client;
  let target: Target;

  before(async () => {
    await tenant.start();
    databaseUrl = await (await sharedPostgres()).createDatabase();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    target = await tenant.addTarget(3);
  });

  after(async () => {
    await Promise.all(bots.splice(0).map((bot) => bot.kill('SIGKILL')));
    await db?.end();
    tenant.standin.faults.clear();
    await tenant.stop();
  });

  async function readRequest(id: string): Promise<RevocationRequest> {
    const result = await db.query<{ document: RevocationRequest }>(
      'SELECT document FROM requests WHERE id = $1',
      [id],
    );
    const row = result.rows[0];
    assert.ok(row, `request ${id} is in the database`);
    return row.document;
  }

  async function startBot(): Promise<{ bot: BotProcess; baseUrl: string }> {
    const port = await freePort();
    const env = {
      ...tenant.env('unused.db'),
      DATABASE_URL: databaseUrl,
      RUN_LEASE_SECONDS: String(LEASE_SECONDS),
      STARTUP_CHECKS: 'false',
    };
    const bot = await BotProcess.start(env, port);
    bots.push(bot);
    return { bot, baseUrl: `http://127.0.0.1:${port}` };
  }

  async function effectCounters(): Promise<Record<string, number>> {
    const log = tenant.standin.log;
    const counters: Record<string, number> = {
      'ad-reset-password': (await readAccountState(tenant.dc, target.ad.dn)).keyVersion,
      'entra-disable': log.countFor(USER_PATCH, target.entra.id),
      'entra-revoke-sessions': log.countFor(REVOKE, target.entra.id),
    };
    for (const d of target.devices) counters[`device-${d.id}`] = log.countFor(DEVICE_PATCH, d.id);
    return counters;
  }

  const ranOn = (bot: BotProcess, requestId: string): boolean =>
    bot.output.some((l) => l.includes('"run started"') && l.includes(requestId));

  it('approvals on different instances start one run; the survivor finishes it after a SIGKILL', async () => {
    const [a, b] = [await startBot(), await startBot()];
    const [first, second] = target.devices;
    assert.ok(first && second);
    // The second device's PATCH never answers: the run is caught mid-way, one device done.
    const stuck = tenant.standin.faults.add({
      method: 'PATCH',
      path: new RegExp(`/devices/${second.id}$`),
      status: 504,
      hang: true,
      times: 1,
    });

    const message = channelMessage(
      tenant.requester,
      `user ${target.entra.userPrincipalName} Credentials phished`,
      { serviceUrl: tenant.serviceUrl },
    );
    const cardsBefore = tenant.connector.posted().filter((x) => cardOf(x)).length;
    await post(a.baseUrl, message);
    const card = await tenant.connector.waitFor(
      () => tenant.connector.posted().filter((x) => cardOf(x))[cardsBefore],
      15_000,
    );
    const actions = (cardOf(card)?.actions ?? []) as { verb?: string; data?: unknown }[];
    const requestId = (actions.find((x) => x.verb === 'approve')?.data as { requestId?: string })
      ?.requestId;
    assert.ok(requestId);
    const ctx = {
      serviceUrl: tenant.serviceUrl,
      threadId: String(message.id),
      cardActivityId: String(card.id),
    };
    const [p, m] = tenant.approvers;
    const answers = await Promise.all([
      post(a.baseUrl, cardAction(p, 'approve', { requestId }, ctx)),
      post(b.baseUrl, cardAction(m, 'approve', { requestId }, ctx)),
    ]);
    for (const answer of answers)
      assert.equal(answer.type, 'application/vnd.microsoft.card.adaptive');

    // Kill when exactly one call is in flight (the stuck device): every other step has saved its
    // result, so "landed once" below is exact for them.
    await waitUntil(async () => {
      const request = await readRequest(requestId);
      return (
        stepOf(request, `device-${first.id}`).status === 'succeeded' &&
        stepOf(request, `device-${second.id}`).status === 'running' &&
        request.steps.every((s) => s.id === `device-${second.id}` || s.status === 'succeeded') &&
        stuck.hits === 1
      );
    }, 'every step is done but one device, which is in flight');
    const approved = await readRequest(requestId);
    assert.equal(approved.approvals.length, 2, 'both approvals counted, on two instances');
    const owners = [a, b].filter((x) => ranOn(x.bot, requestId));
    assert.equal(owners.length, 1, 'exactly one instance runs the request');
    const owner = owners[0]!;
    const survivor = owner === a ? b : a;

    const killedAt = Date.now();
    assert.equal((await owner.bot.kill('SIGKILL')).signal, 'SIGKILL');
    const before = await readRequest(requestId);
    const countersBefore = await effectCounters();

    await waitUntil(
      async () => (await readRequest(requestId)).status !== 'running',
      'the survivor finishes the run',
      30_000,
    );
    const tookOverAfterMs = Date.now() - killedAt;
    assert.ok(ranOn(survivor.bot, requestId), 'the survivor ran it');
    const done = await readRequest(requestId);
    assert.equal(done.status, 'completed', JSON.stringify(done.steps, null, 1));

    // A step recorded as succeeded before the kill was neither started again nor applied again.
    const after = await effectCounters();
    for (const step of before.steps.filter((s) => s.status === 'succeeded')) {
      const now = stepOf(done, step.id);
      assert.equal(now.attempts, step.attempts, `${step.id} was not started again`);
      assert.equal(now.startedAt, step.startedAt, `${step.id} was not started again`);
      if (step.id in after) assert.equal(after[step.id], countersBefore[step.id], step.id);
    }
    // Each Graph write landed exactly once, except the one in flight at the kill (idempotent).
    const counts = JSON.stringify({
      before: countersBefore,
      after,
      stepsAtKill: before.steps.map((s) => `${s.id}:${s.status}:${s.attempts}`),
    });
    assert.equal(after['entra-disable'], 1, counts);
    assert.equal(after['entra-revoke-sessions'], 1, counts);
    assert.deepEqual(
      target.devices.map((d) => after[`device-${d.id}`]),
      target.devices.map((d) => (d.id === second.id ? 2 : 1)),
    );
    assert.equal(target.entra.accountEnabled, false);
    assert.ok(target.entra.signInSessionsValidFromDateTime > SEEDED_SESSIONS_VALID_FROM);
    for (const device of target.devices) assert.equal(device.accountEnabled, false);
    const account = await readAccountState(tenant.dc, target.ad.dn);
    assert.equal(account.userAccountControl, target.adBefore.userAccountControl | ACCOUNTDISABLE);
    console.log(`      (taken over and finished ${tookOverAfterMs} ms after the SIGKILL)`);
  });
});
