// The receiver's verification that docs/paging.md gives, run exactly as written against real
// deliveries: it accepts Revoke's, and refuses a tampered body, a stale timestamp and another
// secret. A change to the signature that the document does not follow fails here.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { WebhookSecret } from '../../src/paging/paging-secrets';
import { AlertWebhookPager } from '../../src/paging/webhook-pager';
import { projectRoot } from '../../src/project-root';
import { AlertWebhookReceiver } from '../support/alert-webhook-receiver';
import { pageAlert } from './page-fixtures';

type Verify = (
  headers: Record<string, unknown>,
  rawBody: string,
  secret: Buffer,
  nowMs?: number,
) => boolean;

/** The ```js block of docs/paging.md that defines verifyRevokeDelivery, evaluated. */
function documentedVerify(): Verify {
  const text = readFileSync(join(projectRoot(), 'docs', 'paging.md'), 'utf8');
  const block = [...text.matchAll(/```js\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? '')
    .find((code) => code.includes('function verifyRevokeDelivery'));
  assert.ok(block, 'docs/paging.md no longer shows verifyRevokeDelivery');
  const context: Record<string, unknown> = { require, Buffer };
  runInNewContext(`${block}\nthis.verify = verifyRevokeDelivery;`, context);
  return context.verify as Verify;
}

describe('docs/paging.md: verifying a webhook delivery', () => {
  const secret = randomBytes(32);
  const sentAt = new Date('2026-12-04T02:41:09.000Z');
  let receiver: AlertWebhookReceiver;

  beforeEach(async () => {
    receiver = new AlertWebhookReceiver({ secret, now: () => sentAt.getTime() });
    await receiver.start();
  });

  afterEach(async () => {
    await receiver.stop();
  });

  it('accepts a delivery from Revoke and refuses a tampered, stale or foreign one', async () => {
    const pager = new AlertWebhookPager({
      url: receiver.url,
      secret: new WebhookSecret(secret),
      now: () => sentAt,
    });
    await pager.trigger(pageAlert());
    const delivery = receiver.events[0];
    assert.ok(delivery);
    const verify = documentedVerify();
    const at = sentAt.getTime();
    assert.equal(verify(delivery.headers, delivery.raw, secret, at + 60_000), true);
    assert.equal(
      verify(delivery.headers, delivery.raw.replace('adele', 'megan'), secret, at),
      false,
    );
    assert.equal(verify(delivery.headers, delivery.raw, secret, at + 301_000), false);
    assert.equal(verify(delivery.headers, delivery.raw, randomBytes(32), at), false);
    assert.equal(
      verify({ ...delivery.headers, 'x-revoke-timestamp': undefined }, delivery.raw, secret, at),
      false,
    );
  });
});
