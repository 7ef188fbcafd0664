// Revoke pointed at a "real" hybrid tenant by environment variables alone: graph mode against the
// HTTPS Entra ID/Graph stand-in (real TLS, real tokens, least-privilege app roles) and LDAPS to a
// real Samba AD DC (bound as an Account Operator). The flow is driven over HTTP as Teams drives
// it, through throttling, and every effect is read back from the directories themselves.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotProcess, freePort } from '../support/bot-process';
import { ACCOUNTDISABLE, bindAs, readAccountState } from '../support/samba-users';
import { HybridTenant, SEEDED_SESSIONS_VALID_FROM } from './hybrid-tenant';
import {
  cardText,
  lastCardText,
  readRequest,
  requestAndApprove,
  stepOf,
  waitUntil,
} from './revocation-driver';

async function assertBindRefused(
  bind: Promise<void>,
  subCode: '533' | '52e',
  what: string,
): Promise<void> {
  await assert.rejects(bind, (error: unknown) => {
    const { code, message } = error as { code?: number; message?: string };
    assert.equal(code, 49, `${what}: LDAP code`);
    assert.ok(message?.includes(`data ${subCode}`), `${what}: expected data ${subCode}`);
    return true;
  });
}

describe('graph mode end to end: Entra stand-in + Samba AD, configured by environment only', function () {
  this.timeout(60_000);
  const tenant = new HybridTenant();
  let dir: string;
  let bot: BotProcess | undefined;

  before(async () => {
    await tenant.start();
    dir = mkdtempSync(join(tmpdir(), 'revoke-e2e-'));
  });

  afterEach(async () => {
    await bot?.kill('SIGKILL');
    bot = undefined;
    tenant.gate.release();
    tenant.gate.delayMs = 0;
    tenant.standin.faults.clear();
  });

  after(async () => {
    await tenant.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('revokes everything through throttling: AD disabled and reset twice, Entra disabled, sessions and devices revoked', async () => {
    const target = await tenant.addTarget(3);
    const { standin, dc, connector } = tenant;
    await bindAs(dc, target.ad.dn, target.ad.password); // the account works before

    // Throttling and an outage through the whole stack: Graph → adapter → withRetry → card.
    standin.faults.add({
      method: 'PATCH',
      path: new RegExp(`^/v1\\.0/users/${target.entra.id}$`),
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
    standin.faults.add({
      method: 'POST',
      path: /\/revokeSignInSessions$/,
      status: 503,
      times: 2,
    });
    // Slow AD traffic a little, so the test can catch the moment between disable and reset.
    tenant.gate.delayMs = 100;

    const db = join(dir, 'e2e.db');
    const port = await freePort();
    const started = Date.now();
    bot = await BotProcess.start(tenant.env(db), port);
    const { requestId, cardId } = await requestAndApprove({
      baseUrl: `http://127.0.0.1:${port}`,
      connector,
      serviceUrl: tenant.serviceUrl,
      requester: tenant.requester,
      approvers: tenant.approvers,
      upn: target.entra.userPrincipalName,
    });

    // Disabled but not yet reset: the user's own password is refused because the account is
    // disabled (533). After the resets that password is simply wrong (52e), so this is the
    // moment to see it.
    await waitUntil(
      () => stepOf(readRequest(db, requestId), 'ad-disable').status === 'succeeded',
      'the AD account is disabled',
    );
    tenant.gate.hold();
    const disabled = await readAccountState(dc, target.ad.dn);
    assert.equal(disabled.pwdLastSet, target.adBefore.pwdLastSet, 'caught before the resets');
    await assertBindRefused(
      bindAs(dc, target.ad.dn, target.ad.password),
      '533',
      'bind as the disabled user',
    );
    tenant.gate.release();
    tenant.gate.delayMs = 0;

    await waitUntil(
      () => readRequest(db, requestId).status !== 'running',
      'the run finishes',
      30_000,
    );
    const took = Date.now() - started;
    const done = readRequest(db, requestId);
    assert.equal(done.status, 'completed', JSON.stringify(done.steps, null, 1));
    assert.deepEqual(
      done.steps.filter((s) => s.status !== 'succeeded').map((s) => s.id),
      [],
      'every step succeeded',
    );
    assert.equal(done.steps.length, 2 + 2 + 3, 'AD ×2, Entra ×2, one per device');

    // Entra ID, as the stand-in holds it.
    assert.equal(target.entra.accountEnabled, false, 'accountEnabled=false');
    assert.ok(
      target.entra.signInSessionsValidFromDateTime > SEEDED_SESSIONS_VALID_FROM,
      'signInSessionsValidFromDateTime moved',
    );
    for (const device of target.devices) {
      assert.equal(device.accountEnabled, false, `${device.displayName} disabled`);
      assert.equal(standin.log.countFor('PATCH /devices/{id}', device.id), 1, device.displayName);
    }
    assert.equal(standin.log.countFor('PATCH /users/{id}', target.entra.id), 2, '429, then 204');
    assert.equal(
      standin.log.countFor('POST /users/{id}/revokeSignInSessions', target.entra.id),
      3,
      '503, 503, then 200',
    );

    // Active Directory, as Samba holds it.
    const after = await readAccountState(dc, target.ad.dn);
    assert.equal(
      after.userAccountControl,
      target.adBefore.userAccountControl | ACCOUNTDISABLE,
      'disabled, every other bit kept',
    );
    assert.equal(after.keyVersion, target.adBefore.keyVersion + 2, 'password set twice');
    assert.ok(BigInt(after.pwdLastSet) > BigInt(target.adBefore.pwdLastSet), 'pwdLastSet moved');
    await assertBindRefused(
      bindAs(dc, target.ad.dn, target.ad.password),
      '52e',
      'the original password is gone',
    );

    // What people saw: the retry on the card, the finished card, the milestone.
    const versions = connector.cardVersions(cardId).map(cardText);
    assert.ok(
      versions.some((v) => v.includes('retrying')),
      'a card version shows the step retrying',
    );
    // The bot saves the run's end before the card update reaches the connector: wait for it.
    const completed = () => {
      const text = lastCardText(connector, cardId);
      return text.includes('Completed') ? text : undefined;
    };
    const final = await connector.waitFor(completed).catch(() => lastCardText(connector, cardId));
    assert.ok(final.includes('Completed'), final);
    assert.ok(!/running|retrying|waiting/.test(final), final);
    await connector.waitFor(() => connector.texts().find((t) => t.includes('Done: all 7 steps')));

    const output = bot.output.join('\n');
    for (const secret of tenant.secrets()) assert.ok(!output.includes(secret), 'no secret logged');
    console.log(`      (approved to completed in ${took} ms)`);
  });
});
