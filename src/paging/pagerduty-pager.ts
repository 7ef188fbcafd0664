// Pages on-call through PagerDuty's Events API v2 (POST https://<host>/v2/enqueue), with the
// maintained client @pagerduty/pdjs. A trigger opens an alert keyed by the request's dedup_key, or
// joins the one already open; a resolve with the same key closes it. PagerDuty answers 202 when
// it has taken the event, 400 {status:'invalid event', message, errors[]} when it refuses it, 429
// when the integration sends too fast, 5xx on its own faults
// (developer.pagerduty.com, "Events API v2 Overview" and "Send an Alert Event").
import { Agent } from 'node:https';
import type { event } from '@pagerduty/pdjs';
import { DirectoryError } from '../core/errors';
import type { PageAlert, Pager, PageResolution } from '../core/paging/pager';
import { retryAfterMs, unansweredError } from './paging-errors';
import type { RoutingKey } from './paging-secrets';
import { eventError, pagerDutyAnswerError } from './pagerduty-errors';

type EventParameters = Parameters<typeof event>[0];
type EventPayload = EventParameters['data'];

/** PagerDuty keeps at most this many characters of a summary. */
export const MAX_SUMMARY = 1_024;
/** And of a dedup_key. */
const MAX_DEDUP_KEY = 255;

export interface PagerDutyPagerOptions {
  routingKey: RoutingKey;
  /** Host (and port) of the Events API, e.g. events.pagerduty.com or events.eu.pagerduty.com. */
  eventsHost: string;
  /** How long one event may take before it counts as a transient failure; 10 s by default. */
  timeoutMs?: number;
}

export class PagerDutyPager implements Pager {
  readonly name = 'PagerDuty';
  readonly #routingKey: RoutingKey;
  readonly #host: string;
  readonly #timeoutMs: number;

  constructor(options: PagerDutyPagerOptions) {
    this.#routingKey = options.routingKey;
    this.#host = options.eventsHost;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async trigger(alert: PageAlert): Promise<void> {
    const data: EventPayload & { client: string } = {
      routing_key: this.#routingKey.reveal(),
      event_action: 'trigger',
      dedup_key: checkedKey(alert.key),
      payload: {
        summary: truncate(alert.summary, MAX_SUMMARY),
        source: 'revoke',
        severity: 'critical',
        timestamp: alert.createdAt,
        component: 'approval',
        group: 'revoke',
        class: 'emergency revocation awaiting approval',
        // What a responder needs to find the request; nothing secret.
        custom_details: {
          request_id: alert.requestId,
          target_upn: alert.targetUpn,
          target_name: alert.targetName,
          requester: alert.requesterName,
          reason: alert.reason,
          requested_at: alert.createdAt,
        },
      },
      links: alert.link ? [{ href: alert.link.href, text: alert.link.text }] : [],
      client: 'Revoke',
    };
    await this.send(data);
  }

  /**
   * Closes the alert. The Events API takes no reason with a resolve, so `why` is not sent; a
   * resolve for an alert that is closed or unknown is accepted and dropped, hence idempotent.
   */
  async resolve(key: string, _why: PageResolution): Promise<void> {
    await this.send({
      routing_key: this.#routingKey.reveal(),
      event_action: 'resolve',
      dedup_key: checkedKey(key),
    } as EventPayload);
  }

  private async send(data: EventPayload): Promise<void> {
    // An agent per event: the gate below sees only this event's requests, and destroying the
    // agent afterwards closes the connection of a 429 whose body pdjs never reads. Pages are
    // rare; a TLS handshake each is cheap.
    const agent = new Agent({ keepAlive: false });
    const gate = oneRequestOnly(agent);
    const parameters: EventParameters & { agent: () => Agent } = {
      server: this.#host,
      data,
      // node-fetch's own timeout: pdjs's `requestTimeout` only starts a timer that does nothing
      // (common.js applyTimeout) and keeps the process alive, so it is turned off.
      timeout: this.#timeoutMs,
      requestTimeout: 0,
      // pdjs retries a 429 three times, 20 s apart, and ignores `retryCount` (common.js
      // fetch_retry). The gate refuses the retry at once; no wait before it is refused.
      retryTimeout: 0,
      agent: gate.agent,
      // /v2/enqueue never redirects; following one would send the routing key elsewhere.
      redirect: 'error',
    };
    let answer: Awaited<ReturnType<typeof event>>;
    try {
      const pdjs = await loadPdjs();
      answer = await pdjs.event(parameters);
    } catch (error) {
      if (error instanceof RetryRefused) {
        // PagerDuty sends no Retry-After on the Events API; its rate-limit page suggests
        // retrying "30 seconds apart", so that is what the retry layer is told to wait.
        throw new DirectoryError(
          'throttled',
          `PagerDuty rate-limited the ${data.event_action} event for ${data.dedup_key ?? 'the page'} (HTTP 429).`,
          { code: 'TooManyRequests', retryAfterMs: THROTTLE_WAIT_MS },
        );
      }
      throw eventError(error, this.#host, data.event_action, (e) =>
        unansweredError('PagerDuty', this.#host, e, isTimeout(e), TLS_ADVICE),
      );
    } finally {
      agent.destroy();
    }
    if (answer.status === 202) return;
    throw pagerDutyAnswerError({
      status: answer.status,
      body: answer.data as unknown,
      action: data.event_action,
      key: data.dedup_key ?? '',
      host: this.#host,
      routingKey: this.#routingKey.reveal(),
      retryAfterMs: retryAfterMs(answer.headers.get('retry-after')),
    });
  }
}

const THROTTLE_WAIT_MS = 30_000;

let pdjsModule: Promise<typeof import('@pagerduty/pdjs')> | undefined;

/**
 * pdjs (with cross-fetch and node-fetch) takes about 0.1 s to load: loaded on the first page, not
 * by every process that reads the configuration (`revoke audit`, `revoke doctor`).
 */
function loadPdjs(): Promise<typeof import('@pagerduty/pdjs')> {
  pdjsModule ??= import('@pagerduty/pdjs');
  return pdjsModule;
}

const TLS_ADVICE =
  'Check PAGERDUTY_EVENTS_HOST (events.pagerduty.com, or events.eu.pagerduty.com for the EU service region) and any TLS-inspecting proxy between Revoke and PagerDuty.';

/** The retry pdjs attempts after a 429, refused by the gate. */
class RetryRefused extends Error {
  constructor() {
    super('pdjs retried a 429; Revoke retries in one place (src/core/retry.ts)');
    this.name = 'RetryRefused';
  }
}

/**
 * node-fetch asks for an agent before every request it sends. Within one event() call a second
 * request can only be pdjs's own retry of a 429 (redirects are refused), so the gate throws
 * instead of answering: the call rejects with RetryRefused and nothing more is sent.
 */
function oneRequestOnly(agent: Agent): { agent: () => Agent } {
  let requests = 0;
  return {
    agent: () => {
      requests += 1;
      if (requests > 1) throw new RetryRefused();
      return agent;
    },
  };
}

function isTimeout(error: unknown): boolean {
  const type = (error as { type?: unknown } | undefined)?.type;
  return type === 'request-timeout' || type === 'body-timeout';
}

/** A dedup_key PagerDuty will take; a bad one is the caller's bug, refused before sending. */
function checkedKey(key: string): string {
  if (key.trim() === '' || key.length > MAX_DEDUP_KEY) {
    throw new DirectoryError(
      'rejected',
      `A page's key must be 1 to ${MAX_DEDUP_KEY} characters (PagerDuty's dedup_key limit).`,
      { code: 'InvalidKey' },
    );
  }
  return key;
}

/** At most `max` characters (code points, so no emoji is cut in half), ending with "…" if cut. */
export function truncate(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  return `${characters.slice(0, max - 1).join('')}…`;
}
