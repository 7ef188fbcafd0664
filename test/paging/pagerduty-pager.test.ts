// The PagerDuty pager, with the real @pagerduty/pdjs client against the HTTPS Events API v2
// stand-in: the documented event on trigger and resolve, deduplication by dedup_key, PagerDuty's
// 400/429/5xx answers as DirectoryErrors, one request per call (pdjs's own 429 retries refused),
// and the routing key in no error.
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { DirectoryError } from '../../src/core/errors';
import { RoutingKey } from '../../src/paging/paging-secrets';
import { PagerDutyPager } from '../../src/paging/pagerduty-pager';
import { PagerDutyStandin } from '../support/pagerduty-standin';
import { pageAlert, ROUTING_KEY } from './page-fixtures';

async function failure(call: Promise<void>): Promise<DirectoryError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof DirectoryError, `not a DirectoryError: ${inspect(error)}`);
    // Wherever the error goes (log, card, audit), the routing key does not go with it.
    assert.ok(!inspect(error, { depth: Infinity }).includes(ROUTING_KEY), 'the routing key leaked');
    assert.ok(!(error.advice ?? '').includes(ROUTING_KEY));
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('the PagerDuty pager (Events API v2 through pdjs)', () => {
  let pagerDuty: PagerDutyStandin;
  let pager: PagerDutyPager;

  beforeEach(async () => {
    pagerDuty = new PagerDutyStandin();
    const host = await pagerDuty.start();
    pager = new PagerDutyPager({ routingKey: new RoutingKey(ROUTING_KEY), eventsHost: host });
  });

  afterEach(async () => {
    await pagerDuty.stop();
  });

  it('triggers an alert with the documented event, then resolves it with the same dedup_key', async () => {
    await pager.trigger(pageAlert());
    const [alert] = pagerDuty.alertsFor('revoke-r-0001');
    assert.equal(alert?.status, 'triggered');
    assert.deepEqual(pagerDuty.received[0]?.body, {
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'revoke-r-0001',
      payload: {
        summary: 'Revoke: approve the emergency revocation of Adele Vance (adele@contoso.com)',
        source: 'revoke',
        severity: 'critical',
        timestamp: '2026-12-04T02:41:07.000Z',
        component: 'approval',
        group: 'revoke',
        class: 'emergency revocation awaiting approval',
        custom_details: {
          request_id: 'r-0001',
          target_upn: 'adele@contoso.com',
          target_name: 'Adele Vance',
          requester: 'Megan Bowen',
          reason: 'phished; MFA fatigue prompts at 02:40',
          requested_at: '2026-12-04T02:41:07.000Z',
        },
      },
      links: [
        {
          href: 'https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1',
          text: 'Open the card',
        },
      ],
      client: 'Revoke',
    });
    assert.match(String(pagerDuty.received[0]?.headers['content-type']), /^application\/json/);

    await pager.resolve('revoke-r-0001', 'approved');
    assert.deepEqual(pagerDuty.received[1]?.body, {
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'revoke-r-0001',
    });
    assert.equal(pagerDuty.alertsFor('revoke-r-0001')[0]?.status, 'resolved');
  });

  it('deduplicates: two triggers make one alert, and a second resolve is harmless', async () => {
    await pager.trigger(pageAlert());
    await pager.trigger(pageAlert());
    assert.equal(pagerDuty.alerts.length, 1);
    assert.equal(pagerDuty.alerts[0]?.triggers.length, 2);

    await pager.resolve('revoke-r-0001', 'expired');
    await pager.resolve('revoke-r-0001', 'expired');
    assert.equal(pagerDuty.alerts.length, 1);
    assert.equal(pagerDuty.alerts[0]?.status, 'resolved');
    assert.equal(pagerDuty.dropped.length, 1);

    // As PagerDuty documents: once resolved, a trigger with the same key opens a new alert.
    await pager.trigger(pageAlert());
    assert.equal(pagerDuty.alerts.length, 2);
  });

  it('sends no link when none is known', async () => {
    await pager.trigger(pageAlert({ link: undefined }));
    assert.deepEqual((pagerDuty.received[0]?.body as { links: unknown }).links, []);
  });

  it('cuts a summary to PagerDuty’s 1,024 characters, so the event is still taken', async () => {
    await pager.trigger(pageAlert({ summary: `${'x'.repeat(1_020)} 😀😀😀😀😀 end` }));
    const summary = (pagerDuty.received[0]?.body as { payload: { summary: string } }).payload
      .summary;
    assert.equal(pagerDuty.received[0]?.status, 202);
    assert.equal(Array.from(summary).length, 1_024);
    assert.equal(summary, `${'x'.repeat(1_020)} 😀😀…`);
  });

  it('turns a 400 into a rejected error that names the fields PagerDuty listed', async () => {
    const error = await failure(pager.trigger(pageAlert({ summary: '  ' })));
    assert.equal(error.kind, 'rejected');
    assert.equal(error.code, 'invalid event');
    assert.match(
      error.message,
      /Event object is invalid \('payload\.summary' is missing or blank\)/,
    );
    assert.equal(error.retryable, false);
  });

  it('says to fix PAGERDUTY_ROUTING_KEY when PagerDuty refuses the key, never repeating it', async () => {
    const wrong = `${ROUTING_KEY}0`;
    const bad = new PagerDutyPager({
      routingKey: new RoutingKey(wrong),
      eventsHost: pagerDuty.host,
    });
    const error = await failure(bad.trigger(pageAlert()));
    assert.equal(error.kind, 'rejected');
    assert.match(error.message, /'routing_key' is the wrong length/);
    assert.match(error.advice ?? '', /PAGERDUTY_ROUTING_KEY/);
    assert.ok(!inspect(error, { depth: Infinity }).includes(wrong));
  });

  it('blanks the routing key out of PagerDuty’s own words', async () => {
    pagerDuty.canned.push({
      status: 400,
      body: {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: [`Invalid routing key ${ROUTING_KEY}`],
      },
    });
    const error = await failure(pager.trigger(pageAlert()));
    assert.match(error.message, /Invalid routing key \[routing key\]/);
  });

  it('turns a 429 into throttled with PagerDuty’s suggested 30 s, after one request only', async () => {
    pagerDuty.canned.push({
      status: 429,
      body: { status: 'throttle event', message: 'Request Limit Exceeded' },
    });
    const error = await failure(pager.trigger(pageAlert()));
    assert.equal(error.kind, 'throttled');
    assert.equal(error.retryAfterMs, 30_000);
    // pdjs on its own would have sent it three more times; Revoke's retry layer decides instead.
    assert.equal(pagerDuty.received.length, 1);
    assert.equal(pagerDuty.alerts.length, 0);

    await pager.trigger(pageAlert());
    assert.equal(pagerDuty.alerts.length, 1);
  });

  it('turns a 5xx into a transient error, JSON or a proxy’s HTML page', async () => {
    pagerDuty.canned.push({ status: 500, body: { status: 'error', message: 'Internal error' } });
    const json = await failure(pager.resolve('revoke-r-0001', 'rejected'));
    assert.equal(json.kind, 'transient');
    assert.equal(json.code, 'HTTP500');

    pagerDuty.canned.push({ status: 502, html: '<html><body>Bad gateway</body></html>' });
    const html = await failure(pager.resolve('revoke-r-0001', 'rejected'));
    assert.equal(html.kind, 'transient');
    assert.equal(html.code, 'NotJson');
    assert.equal(pagerDuty.received.length, 2);
  });

  it('turns a missing Events API (404) into misconfigured, naming PAGERDUTY_EVENTS_HOST', async () => {
    pagerDuty.canned.push({ status: 404, body: { status: 'error', message: 'Not found' } });
    const error = await failure(pager.trigger(pageAlert()));
    assert.equal(error.kind, 'misconfigured');
    assert.match(error.advice ?? '', /PAGERDUTY_EVENTS_HOST/);
  });

  it('turns other answers into the error an operator can act on', async () => {
    const cases: Array<[number, DirectoryError['kind'], string]> = [
      [401, 'permission', 'HTTP401'],
      [403, 'permission', 'HTTP403'],
      [405, 'misconfigured', 'HTTP405'],
      [408, 'transient', 'HTTP408'],
      [503, 'transient', 'HTTP503'],
      [413, 'rejected', 'HTTP413'],
    ];
    for (const [status, kind, code] of cases) {
      pagerDuty.canned.push({ status, body: { status: 'error', message: 'no' } });
      const error = await failure(pager.trigger(pageAlert()));
      assert.deepEqual([status, error.kind, error.code], [status, kind, code]);
      if (kind === 'permission') assert.match(error.advice ?? '', /PAGERDUTY_ROUTING_KEY/);
      if (kind === 'misconfigured') assert.match(error.advice ?? '', /PAGERDUTY_EVENTS_HOST/);
    }
  });

  it('does not follow a redirect (it would carry the routing key elsewhere)', async () => {
    pagerDuty.canned.push({ status: 307, location: `https://${pagerDuty.host}/v2/enqueue` });
    const error = await failure(pager.trigger(pageAlert()));
    assert.equal(error.kind, 'misconfigured');
    assert.match(error.advice ?? '', /PAGERDUTY_EVENTS_HOST/);
    assert.equal(pagerDuty.received.length, 1);
  });

  it('lists at most five of PagerDuty’s errors', async () => {
    const errors = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((field) => `'${field}' is wrong`);
    pagerDuty.canned.push({
      status: 400,
      body: { status: 'invalid event', message: 'Event object is invalid', errors },
    });
    const error = await failure(pager.trigger(pageAlert()));
    assert.match(error.message, /'e' is wrong; and 2 more\)\.$/);
    assert.ok(!error.message.includes("'f'"));
  });

  it('turns an unanswered request into a transient error after its timeout', async () => {
    const impatient = new PagerDutyPager({
      routingKey: new RoutingKey(ROUTING_KEY),
      eventsHost: pagerDuty.host,
      timeoutMs: 200,
    });
    pagerDuty.hold = true;
    const error = await failure(impatient.trigger(pageAlert()));
    assert.equal(error.kind, 'transient');
    assert.equal(error.code, 'Timeout');
    assert.equal(pagerDuty.received.length, 1);
  });

  it('turns a refused connection into a transient error, the cause kept', async () => {
    const host = pagerDuty.host;
    await pagerDuty.stop();
    const gone = new PagerDutyPager({ routingKey: new RoutingKey(ROUTING_KEY), eventsHost: host });
    const error = await failure(gone.trigger(pageAlert()));
    assert.equal(error.kind, 'transient');
    assert.equal(error.code, 'ECONNREFUSED');
    assert.ok(error.cause !== undefined);
  });

  it('refuses a key PagerDuty could not take, without sending anything', async () => {
    const error = await failure(pager.trigger(pageAlert({ key: 'k'.repeat(256) })));
    assert.equal(error.kind, 'rejected');
    assert.equal(pagerDuty.received.length, 0);
  });

  it('does not show the routing key when the pager itself is printed', () => {
    assert.ok(!inspect(pager, { depth: Infinity }).includes(ROUTING_KEY));
    assert.ok(!JSON.stringify(pager).includes(ROUTING_KEY));
  });
});
