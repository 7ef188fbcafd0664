// Paging on-call, read from the environment once at start: PagerDuty's Events API v2
// (PAGERDUTY_ROUTING_KEY, PAGERDUTY_EVENTS_HOST) and a signed webhook for any other pager
// (ALERT_WEBHOOK_URL, ALERT_WEBHOOK_SECRET). Each bad variable is one problem on the EnvReader, so
// start-up names them all; no message repeats a secret. src/config.ts calls readPagingConfig.
import type { Pager } from '../core/paging/pager';
import type { EnvReader } from '../env-reader';
import { parseWebhookSecret, RoutingKey, type WebhookSecret } from './paging-secrets';
import { PagerDutyPager } from './pagerduty-pager';
import { AlertWebhookPager } from './webhook-pager';

/** Every variable paging reads: each reaches a real on-call rota, so the sandbox refuses them. */
export const PAGING_VARIABLES = [
  'PAGERDUTY_ROUTING_KEY',
  'PAGERDUTY_EVENTS_HOST',
  'ALERT_WEBHOOK_URL',
  'ALERT_WEBHOOK_SECRET',
] as const;

/** PagerDuty's US service region; the EU region is events.eu.pagerduty.com. */
export const DEFAULT_EVENTS_HOST = 'events.pagerduty.com';

export interface PagerDutySettings {
  routingKey: RoutingKey;
  /** Host (and port) of the Events API; pdjs always speaks https:// to it. */
  eventsHost: string;
}

export interface AlertWebhookSettings {
  url: string;
  secret: WebhookSecret;
}

/** Each pager that is configured; neither when no paging variable is set. */
export interface PagingConfig {
  pagerDuty?: PagerDutySettings;
  webhook?: AlertWebhookSettings;
}

/** A host name or IPv4 address, with an optional port: no scheme, no path. */
const HOST_AND_PORT =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::\d{1,5})?$/i;

export function readPagingConfig(read: EnvReader): PagingConfig {
  return { pagerDuty: readPagerDuty(read), webhook: readWebhook(read) };
}

function readPagerDuty(read: EnvReader): PagerDutySettings | undefined {
  const host = read.optional('PAGERDUTY_EVENTS_HOST');
  const key = read.optional('PAGERDUTY_ROUTING_KEY');
  if (key === undefined && host === undefined) return undefined;
  if (key === undefined) {
    read.problem(
      'PAGERDUTY_ROUTING_KEY is required since PAGERDUTY_EVENTS_HOST is set: the Integration Key of an Events API v2 integration on the PagerDuty service that pages on-call.',
    );
  } else if (!/^[A-Za-z0-9]{32}$/.test(key)) {
    // The length and nothing else: the value is a secret.
    read.problem(
      `PAGERDUTY_ROUTING_KEY must be the 32-character Integration Key of an Events API v2 integration (letters and digits; the value set has ${key.length} characters). A REST API key or an integration URL will not do.`,
    );
  }
  const eventsHost = (host ?? DEFAULT_EVENTS_HOST).toLowerCase();
  if (!HOST_AND_PORT.test(eventsHost)) {
    read.problem(
      `PAGERDUTY_EVENTS_HOST must be a host name like ${DEFAULT_EVENTS_HOST} or events.eu.pagerduty.com, without https:// or a path (got "${eventsHost.slice(0, 80)}").`,
    );
  }
  return { routingKey: new RoutingKey(key ?? ''), eventsHost };
}

function readWebhook(read: EnvReader): AlertWebhookSettings | undefined {
  const url = read.optional('ALERT_WEBHOOK_URL');
  const secretText = read.optional('ALERT_WEBHOOK_SECRET');
  if (url === undefined && secretText === undefined) return undefined;
  const urlProblem =
    url === undefined
      ? 'is required since ALERT_WEBHOOK_SECRET is set: the https:// address the page events are posted to.'
      : webhookUrlProblem(url);
  if (urlProblem) read.problem(`ALERT_WEBHOOK_URL ${urlProblem}`);
  let secret: WebhookSecret | undefined;
  if (secretText === undefined) {
    read.problem(
      'ALERT_WEBHOOK_SECRET is required since ALERT_WEBHOOK_URL is set: every delivery is signed with it (HMAC-SHA-256) so the receiver can tell it came from Revoke; create one with `openssl rand -base64 32`.',
    );
  } else {
    const parsed = parseWebhookSecret('ALERT_WEBHOOK_SECRET', secretText);
    if ('problem' in parsed) read.problem(parsed.problem);
    else secret = parsed;
  }
  if (url === undefined || urlProblem || secret === undefined) return undefined;
  return { url, secret };
}

/**
 * Why the URL cannot be used, or undefined. Messages name the scheme and host only: a query
 * string may hold the receiver's own token.
 */
function webhookUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an https:// URL (the value set is not a URL).';
  }
  if (url.username !== '' || url.password !== '') {
    return `must not hold credentials (user:password@${url.host}): the signature (ALERT_WEBHOOK_SECRET) is what authenticates Revoke to the receiver.`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  if (url.protocol === 'http:') {
    return `must be an https:// URL (got http:// to ${url.host}): plain http is allowed only to this machine (127.0.0.1, ::1, localhost).`;
  }
  return `must be an https:// URL (got ${url.protocol}//).`;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The pagers a configuration turns on: none, PagerDuty, the webhook, or both. */
export function pagersFrom(config: PagingConfig, options: { timeoutMs?: number } = {}): Pager[] {
  const pagers: Pager[] = [];
  if (config.pagerDuty) pagers.push(new PagerDutyPager({ ...config.pagerDuty, ...options }));
  if (config.webhook) pagers.push(new AlertWebhookPager({ ...config.webhook, ...options }));
  return pagers;
}

/** What is safe to log about paging at start: where pages go, never a key or secret. */
export function describePaging(config: PagingConfig): Record<string, string> {
  return {
    pagerDuty: config.pagerDuty ? config.pagerDuty.eventsHost : 'off',
    alertWebhook: config.webhook ? new URL(config.webhook.url).origin : 'off',
  };
}
