// The alert webhook pager against an HTTPS receiver that verifies deliveries as docs/paging.md
// tells receivers to: the body, the HMAC-SHA-256 signature over "<timestamp>.<body>", the 5-minute
// timestamp window, the stable event id, and each HTTP answer as the right DirectoryError.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { DirectoryError } from '../../src/core/errors';
import { EnvReader } from '../../src/env-reader';
import { pagersFrom, readPagingConfig } from '../../src/paging/paging-config';
import { WebhookSecret } from '../../src/paging/paging-secrets';
import { AlertWebhookPager, eventId } from '../../src/paging/webhook-pager';
import { AlertWebhookReceiver, type ReceivedWebhook } from '../support/alert-webhook-receiver';
import { pageAlert } from './page-fixtures';

const SECRET = randomBytes(32);
const NOW = new Date('2026-12-04T02:41:09.000Z');

async function failure(call: Promise<void>): Promise<DirectoryError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof DirectoryError, `not a DirectoryError: ${inspect(error)}`);
    const shown = inspect(error, { depth: Infinity });
    assert.ok(
      !shown.includes(SECRET.toString('hex')) && !shown.includes(SECRET.toString('base64')),
    );
    return error;
  }
  assert.fail('expected the call to fail');
}

/** Posts a delivery again as an attacker or a proxy might, with its headers and any body. */
async function replay(url: string, delivery: ReceivedWebhook, body: string): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of ['x-revoke-timestamp', 'x-revoke-signature', 'x-revoke-event-id']) {
    headers[name] = String(delivery.headers[name]);
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  return response.status;
}

describe('the alert webhook pager', () => {
  let receiver: AlertWebhookReceiver;
  let pager: AlertWebhookPager;

  beforeEach(async () => {
    receiver = new AlertWebhookReceiver({ secret: SECRET, now: () => NOW.getTime() + 1_000 });
    const url = await receiver.start();
    pager = new AlertWebhookPager({ url, secret: new WebhookSecret(SECRET), now: () => NOW });
  });

  afterEach(async () => {
    await receiver.stop();
  });

  it('posts a signed trigger with the alert, then a signed resolve with the resolution', async () => {
    await pager.trigger(pageAlert());
    await pager.resolve('revoke-r-0001', 'approved');
    assert.deepEqual(receiver.refused, []);
    const [trigger, resolve] = receiver.events;
    assert.deepEqual(trigger?.event, {
      type: 'revoke.page.triggered',
      key: 'revoke-r-0001',
      at: '2026-12-04T02:41:09.000Z',
      alert: pageAlert(),
    });
    assert.deepEqual(resolve?.event, {
      type: 'revoke.page.resolved',
      key: 'revoke-r-0001',
      at: '2026-12-04T02:41:09.000Z',
      resolution: 'approved',
    });
    assert.equal(trigger?.timestamp, NOW.getTime() / 1_000);
    assert.match(String(trigger?.headers['x-revoke-signature']), /^v1=[0-9a-f]{64}$/);
    assert.match(String(trigger?.headers['content-type']), /^application\/json/);
    assert.notEqual(trigger?.eventId, resolve?.eventId);
  });

  it('leaves the link out when none is known', async () => {
    await pager.trigger(pageAlert({ link: undefined }));
    const alert = receiver.events[0]?.event.alert as Record<string, unknown>;
    assert.equal(alert.requestId, 'r-0001');
    assert.ok(!('link' in alert));
  });

  it('gives a repeated trigger the same event id, so the receiver drops the copy', async () => {
    await pager.trigger(pageAlert());
    await pager.trigger(pageAlert());
    assert.equal(receiver.events.length, 1);
    assert.deepEqual(receiver.duplicates, [eventId('revoke.page.triggered', 'revoke-r-0001')]);
  });

  it('signs so that the delivery verifies and a tampered body does not', async () => {
    await pager.trigger(pageAlert());
    const delivery = receiver.events[0];
    assert.ok(delivery);
    const tampered = delivery.raw.replace('adele@contoso.com', 'megan@contoso.com');
    assert.notEqual(tampered, delivery.raw);
    assert.equal(await replay(receiver.url, delivery, tampered), 401);
    assert.deepEqual(receiver.refused, [{ status: 401, reason: 'the signature does not match' }]);
    // The untouched delivery still verifies (acknowledged as a copy of one already taken).
    assert.equal(await replay(receiver.url, delivery, delivery.raw), 200);
    assert.equal(receiver.duplicates.length, 1);
  });

  it('is refused by a receiver whose clock is more than 5 minutes away, as permission', async () => {
    const late = new AlertWebhookPager({
      url: receiver.url,
      secret: new WebhookSecret(SECRET),
      now: () => new Date(NOW.getTime() - 301_000),
    });
    const error = await failure(late.trigger(pageAlert()));
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /clocks/);
    assert.deepEqual(receiver.refused, [
      { status: 401, reason: 'the timestamp is outside the window' },
    ]);
  });

  it('is refused with a secret the receiver does not share, as permission naming the variable', async () => {
    const other = new AlertWebhookPager({
      url: receiver.url,
      secret: new WebhookSecret(randomBytes(32)),
      now: () => NOW,
    });
    const error = await failure(other.resolve('revoke-r-0001', 'cancelled'));
    assert.equal(error.kind, 'permission');
    assert.match(error.advice ?? '', /ALERT_WEBHOOK_SECRET/);
  });

  it('turns 429 into throttled with the Retry-After, and 5xx into transient', async () => {
    receiver.canned.push({ status: 429, retryAfter: '7' }, { status: 503 });
    const throttled = await failure(pager.trigger(pageAlert()));
    assert.equal(throttled.kind, 'throttled');
    assert.equal(throttled.retryAfterMs, 7_000);
    const transient = await failure(pager.trigger(pageAlert()));
    assert.equal(transient.kind, 'transient');
    assert.equal(transient.code, 'HTTP503');
    // One request per call: retrying is src/core/retry.ts's job.
    assert.equal(receiver.requests, 2);
  });

  it('turns other answers into the error an operator can act on', async () => {
    const cases: Array<[number, DirectoryError['kind']]> = [
      [400, 'rejected'],
      [403, 'permission'],
      [404, 'misconfigured'],
      [405, 'misconfigured'],
      [408, 'transient'],
      [410, 'misconfigured'],
      [422, 'rejected'],
      [500, 'transient'],
    ];
    for (const [status, kind] of cases) {
      receiver.canned.push({ status });
      const error = await failure(pager.trigger(pageAlert()));
      assert.deepEqual([status, error.kind, error.code], [status, kind, `HTTP${status}`]);
      if (kind === 'permission') assert.match(error.advice ?? '', /ALERT_WEBHOOK_SECRET/);
      if (kind === 'misconfigured') assert.match(error.advice ?? '', /ALERT_WEBHOOK_URL/);
    }
    // Any 2xx is taken as delivered.
    receiver.canned.push({ status: 202 }, { status: 204 });
    await pager.trigger(pageAlert());
    await pager.resolve('revoke-r-0001', 'expired');
  });

  it('does not follow a redirect, and calls it misconfigured', async () => {
    receiver.canned.push({ status: 307, location: receiver.url });
    const error = await failure(pager.trigger(pageAlert()));
    assert.equal(error.kind, 'misconfigured');
    assert.match(error.advice ?? '', /ALERT_WEBHOOK_URL/);
    assert.equal(receiver.requests, 1);
  });

  it('turns an unanswered delivery into a transient error after its timeout', async () => {
    const impatient = new AlertWebhookPager({
      url: receiver.url,
      secret: new WebhookSecret(SECRET),
      timeoutMs: 200,
    });
    receiver.hold = true;
    const error = await failure(impatient.trigger(pageAlert()));
    assert.equal(error.kind, 'transient');
    assert.equal(error.code, 'Timeout');
  });

  it('turns a refused connection into a transient error, naming the host only', async () => {
    const url = `${receiver.url}?token=receiver-own-token`;
    await receiver.stop();
    const gone = new AlertWebhookPager({ url, secret: new WebhookSecret(SECRET) });
    const error = await failure(gone.trigger(pageAlert()));
    assert.equal(error.kind, 'transient');
    assert.equal(error.code, 'ECONNREFUSED');
    assert.ok(!inspect(error, { depth: Infinity }).includes('receiver-own-token'));
  });

  it('does not show the secret when the pager is printed', () => {
    const shown = inspect(pager, { depth: Infinity }) + JSON.stringify(pager);
    assert.ok(!shown.includes(SECRET.toString('hex')));
    assert.ok(!shown.includes(SECRET.toString('base64')));
  });
});

describe('the alert webhook secret, as a receiver decodes it', () => {
  // docs/paging.md: the HMAC key is the secret's bytes: the hex decoded when the value is hex,
  // otherwise the base64 decoded.
  const bytes = randomBytes(32);
  for (const [form, text] of [
    ['hex', bytes.toString('hex')],
    ['base64', bytes.toString('base64')],
    ['base64url', bytes.toString('base64url')],
  ] as const) {
    it(`verifies with the bytes of a ${form} ALERT_WEBHOOK_SECRET`, async () => {
      const receiver = new AlertWebhookReceiver({ secret: bytes });
      const url = await receiver.start();
      try {
        const reader = new EnvReader({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: text });
        const config = readPagingConfig(reader);
        reader.throwIfProblems();
        const [pager] = pagersFrom(config);
        await pager?.trigger(pageAlert());
        assert.deepEqual(receiver.refused, []);
        assert.equal(receiver.events.length, 1);
      } finally {
        await receiver.stop();
      }
    });
  }
});
