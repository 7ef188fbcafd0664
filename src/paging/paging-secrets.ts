// The two paging secrets, held so that they cannot leak by accident: the value is private, and
// the object prints, inspects and serialises as a placeholder. A config dumped into a log or an
// error by mistake still shows neither the routing key nor the webhook secret.
import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';

/** PagerDuty's integration key: whoever holds it can open incidents on the service. */
export class RoutingKey {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** Only for the one place it is sent: the event's routing_key. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[routing key]';
  }

  toString(): string {
    return '[routing key]';
  }

  [inspect.custom](): string {
    return 'RoutingKey([hidden])';
  }
}

/** As many random bytes as the HMAC-SHA-256 output: a shorter secret weakens the signature. */
export const MIN_SECRET_BYTES = 32;

/** ALERT_WEBHOOK_SECRET: signs each webhook delivery with HMAC-SHA-256. */
export class WebhookSecret {
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new Error(`a webhook secret needs at least ${MIN_SECRET_BYTES} bytes`);
    }
    this.#bytes = Buffer.from(bytes);
  }

  /** HMAC-SHA-256 of `text` under the secret, as lower-case hex. */
  sign(text: string): string {
    return createHmac('sha256', this.#bytes).update(text, 'utf8').digest('hex');
  }

  toJSON(): string {
    return '[webhook secret]';
  }

  toString(): string {
    return '[webhook secret]';
  }

  [inspect.custom](): string {
    return 'WebhookSecret([hidden])';
  }
}

/**
 * Reads a secret written as hex or base64 (what `openssl rand -base64 32` prints), as AUDIT_KEY
 * is read. Answers the secret, or a reason naming the variable and never repeating its value.
 */
export function parseWebhookSecret(
  name: string,
  text: string,
): WebhookSecret | { problem: string } {
  const value = text.trim();
  let bytes: Buffer | undefined;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(value)) bytes = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && value.length % 4 !== 1) {
    bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  }
  const create = 'create one with `openssl rand -base64 32` and give the receiver the same value';
  if (bytes === undefined) return { problem: `${name} must be base64 or hex; ${create}.` };
  if (bytes.length < MIN_SECRET_BYTES) {
    return {
      problem: `${name} must hold at least ${MIN_SECRET_BYTES} random bytes (it holds ${bytes.length}); ${create}.`,
    };
  }
  // 32 random bytes have about 30 distinct values; a typed placeholder ("0000…") a handful.
  if (new Set(bytes).size < Math.min(16, bytes.length / 2)) {
    return { problem: `${name} is not random (too few distinct bytes); ${create}.` };
  }
  return new WebhookSecret(bytes);
}
