// Pages on-call through any pager that takes a webhook: each event is one POST of JSON to
// ALERT_WEBHOOK_URL, signed with HMAC-SHA-256 under ALERT_WEBHOOK_SECRET over "<timestamp>.<body>"
// so the receiver can tell it came from Revoke and is fresh. One attempt per call: Revoke's retry
// layer repeats 429, 5xx and network faults. The receiver's verification is in docs/paging.md.
import { createHash } from 'node:crypto';
import { DirectoryError } from '../core/errors';
import type { PageAlert, Pager, PageResolution } from '../core/paging/pager';
import { retryAfterMs, unansweredError } from './paging-errors';
import type { WebhookSecret } from './paging-secrets';

export type WebhookEventType = 'revoke.page.triggered' | 'revoke.page.resolved';

/** The JSON body of each delivery. */
export interface WebhookEvent {
  type: WebhookEventType;
  /** The page's key (e.g. revoke-<requestId>): the same for its trigger and its resolve. */
  key: string;
  /** ISO 8601: when this delivery was sent. */
  at: string;
  alert?: PageAlert;
  resolution?: PageResolution;
}

export interface AlertWebhookOptions {
  url: string;
  secret: WebhookSecret;
  /** How long one delivery may take before it counts as a transient failure; 10 s by default. */
  timeoutMs?: number;
  /** Tests only: the time deliveries are stamped with. */
  now?: () => Date;
}

export const SIGNATURE_HEADER = 'X-Revoke-Signature';
export const TIMESTAMP_HEADER = 'X-Revoke-Timestamp';
export const EVENT_ID_HEADER = 'X-Revoke-Event-Id';

export class AlertWebhookPager implements Pager {
  readonly name = 'alert webhook';
  readonly #url: string;
  readonly #host: string;
  readonly #secret: WebhookSecret;
  readonly #timeoutMs: number;
  readonly #now: () => Date;

  constructor(options: AlertWebhookOptions) {
    this.#url = options.url;
    this.#host = new URL(options.url).host;
    this.#secret = options.secret;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#now = options.now ?? (() => new Date());
  }

  async trigger(alert: PageAlert): Promise<void> {
    await this.deliver({ type: 'revoke.page.triggered', key: alert.key, alert });
  }

  async resolve(key: string, why: PageResolution): Promise<void> {
    await this.deliver({ type: 'revoke.page.resolved', key, resolution: why });
  }

  private async deliver(event: Omit<WebhookEvent, 'at'>): Promise<void> {
    const now = this.#now();
    const body = JSON.stringify({ ...event, at: now.toISOString() } satisfies WebhookEvent);
    const timestamp = String(Math.floor(now.getTime() / 1_000));
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Revoke',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: `v1=${this.#secret.sign(`${timestamp}.${body}`)}`,
          [EVENT_ID_HEADER]: eventId(event.type, event.key),
        },
        body,
        // A redirect is a wrong URL, and following it would hand the page to another host.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw unansweredError(
        'The alert webhook',
        this.#host,
        error,
        (error as { name?: unknown }).name === 'TimeoutError',
        'Check ALERT_WEBHOOK_URL and that its certificate is issued by a CA this host trusts (NODE_EXTRA_CA_CERTS adds a private one).',
      );
    }
    // Read the answer to the end, so the connection is free again; its words are not used.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return;
    throw answerError(response, event.type, this.#host);
  }
}

/**
 * Stable for a key and an event type, so a delivery retried after a lost answer carries the same
 * id and the receiver can drop the copy. A hash keeps the header short and plain whatever the key.
 */
export function eventId(type: WebhookEventType, key: string): string {
  return createHash('sha256').update(`${type}\n${key}`).digest('hex').slice(0, 32);
}

function answerError(response: Response, type: WebhookEventType, host: string): DirectoryError {
  const { status } = response;
  const what = `The alert webhook (${host}) answered ${type} with HTTP ${status}`;
  const wait = retryAfterMs(response.headers.get('retry-after'));
  if (status === 429) {
    return new DirectoryError('throttled', `${what}.`, {
      code: 'TooManyRequests',
      retryAfterMs: wait,
    });
  }
  if (status >= 500 || status === 408) {
    return new DirectoryError('transient', `${what}.`, {
      code: `HTTP${status}`,
      retryAfterMs: wait,
    });
  }
  if (status === 401 || status === 403) {
    return new DirectoryError('permission', `${what}: it did not accept the signature.`, {
      code: `HTTP${status}`,
      advice:
        "Give the receiver the same ALERT_WEBHOOK_SECRET, and check both clocks: a delivery whose X-Revoke-Timestamp is outside the receiver's window (5 minutes) is refused.",
    });
  }
  if (status >= 300 && status < 400) {
    return new DirectoryError('misconfigured', `${what}: redirects are not followed.`, {
      code: `HTTP${status}`,
      advice: 'Set ALERT_WEBHOOK_URL to the final address the receiver takes events at.',
    });
  }
  if (status === 404 || status === 405 || status === 410) {
    return new DirectoryError('misconfigured', `${what}: nothing takes events there.`, {
      code: `HTTP${status}`,
      advice: 'Check ALERT_WEBHOOK_URL.',
    });
  }
  return new DirectoryError('rejected', `${what}.`, { code: `HTTP${status}` });
}
