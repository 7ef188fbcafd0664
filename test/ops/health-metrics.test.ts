// /readyz and /metrics on the real app (sandbox tenant, SQLite in memory), driven through
// /api/messages as Teams would.
import { strict as assert } from 'node:assert';
import type { RevokeApp } from '../../src/app';
import type { Person } from '../../src/core/model';
import { startMetricsServer } from '../../src/ops/metrics-server';
import { Readiness } from '../../src/ops/readiness';
import { cardAction, channelMessage } from '../support/activities';
import { captureLogger } from '../support/capture-logger';
import { cardOf, type ConnectorStandin } from '../support/connector-standin';
import { startSandboxApp, type SandboxApp } from '../support/sandbox-app';

/** The value of one series in Prometheus text, e.g. `revoke_requests{status="pending"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health and metrics', function () {
  this.timeout(20_000);
  let sandbox: SandboxApp;
  let connector: ConnectorStandin;
  let serviceUrl: string;
  let app: RevokeApp;
  let baseUrl: string;

  beforeEach(async () => {
    sandbox = await startSandboxApp();
    ({ app, connector, serviceUrl, baseUrl } = sandbox);
  });

  afterEach(() => sandbox.stop());

  const person = (upn: string): Person => sandbox.person(upn);

  it('/healthz is always 200; /readyz is 200, then 503 naming the store once it is closed', async () => {
    const ready = await fetch(`${baseUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {
      status: 'ready',
      parts: [{ name: 'store', ok: true }],
    });
    await app.store.close();
    const unready = await fetch(`${baseUrl}/readyz`);
    assert.equal(unready.status, 503);
    assert.deepEqual(await unready.json(), {
      status: 'unready',
      parts: [{ name: 'store', ok: false, reason: 'unavailable' }],
    });
    assert.equal((await fetch(`${baseUrl}/healthz`)).status, 200);
  });

  it('counts a sandbox revocation: transitions, time to approval, step durations, open requests', async () => {
    const sam = person('sam.rivera@contoso.com');
    const message = channelMessage(sam, 'user alice.johnson@contoso.com Phished', { serviceUrl });
    assert.equal((await sandbox.post(message)).status, 200);
    const posted = await connector.waitFor(() =>
      connector.calls.find((c) => c.method === 'POST' && cardOf(c.activity)),
    );
    const card = cardOf(posted.activity);
    const actions = (card?.actions ?? []) as { verb?: string; data?: { requestId?: string } }[];
    const requestId = actions.find((a) => a.verb === 'approve')?.data?.requestId ?? '';
    assert.ok(requestId);

    const pending = await app.metrics.render();
    assert.equal(sample(pending, 'revoke_requests{status="pending"}'), 1);

    const ctx = {
      serviceUrl,
      threadId: String(message.id),
      cardActivityId: String(posted.activity.id),
    };
    for (const upn of ['priya.patel@contoso.com', 'marcus.chen@contoso.com']) {
      assert.equal(
        (await sandbox.post(cardAction(person(upn), 'approve', { requestId }, ctx))).status,
        200,
      );
    }
    for (let waited = 0; (await app.store.get(requestId))?.status !== 'completed'; waited += 20) {
      assert.ok(waited < 10_000, 'the run finishes');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const text = await app.metrics.render();
    assert.equal(sample(text, 'revoke_request_transitions_total{status="pending"}'), 1);
    assert.equal(sample(text, 'revoke_request_transitions_total{status="running"}'), 1);
    assert.equal(sample(text, 'revoke_request_transitions_total{status="completed"}'), 1);
    assert.equal(sample(text, 'revoke_requests{status="pending"}'), 0);
    assert.equal(sample(text, 'revoke_requests{status="running"}'), 0);
    assert.equal(sample(text, 'revoke_time_to_approval_seconds_count'), 1);
    assert.equal(sample(text, 'revoke_time_to_first_approval_seconds_count'), 1);
    assert.equal(sample(text, 'revoke_run_duration_seconds_count{status="completed"}'), 1);
    assert.equal(
      sample(
        text,
        'revoke_step_duration_seconds_count{kind="entra.disableAccount",outcome="succeeded"}',
      ),
      1,
    );
    assert.equal(
      sample(
        text,
        'revoke_step_duration_seconds_count{kind="ad.resetPasswordTwice",outcome="succeeded"}',
      ),
      1,
    );
    assert.match(text, /# TYPE revoke_retries_total counter/);
    assert.match(text, /# TYPE revoke_card_update_failures_total counter/);

    // The same text on the metrics listener, which answers nothing else.
    const server = await startMetricsServer(app.metrics, 0, '127.0.0.1', captureLogger());
    try {
      const scraped = await fetch(server.url);
      assert.equal(scraped.status, 200);
      assert.match(scraped.headers.get('content-type') ?? '', /text\/plain/);
      assert.equal(
        sample(await scraped.text(), 'revoke_request_transitions_total{status="completed"}'),
        1,
      );
      assert.equal((await fetch(server.url.replace('/metrics', '/api/messages'))).status, 404);
    } finally {
      await server.close();
    }
  });

  it('keeps a directory result for 30 s but checks the store on every probe', async () => {
    let now = 0;
    let entraCalls = 0;
    let storeCalls = 0;
    let entraUp = false;
    const readiness = new Readiness(
      [
        { name: 'store', cacheMs: 0, check: async () => void storeCalls++ },
        {
          name: 'entra',
          cacheMs: 30_000,
          check: async () => {
            entraCalls++;
            if (!entraUp) throw new Error('down');
          },
        },
      ],
      () => now,
    );
    assert.equal((await readiness.check()).ready, false);
    entraUp = true;
    now = 29_000;
    assert.equal((await readiness.check()).ready, false, 'still the cached failure');
    now = 30_000;
    assert.equal((await readiness.check()).ready, true);
    assert.equal(entraCalls, 2);
    assert.equal(storeCalls, 3);
  });
});
