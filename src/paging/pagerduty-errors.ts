// PagerDuty's answers as DirectoryErrors. The Events API documents 202 (taken), 400 (invalid
// event: retrying will not help), 429 and 5xx (retry later) and network errors (retry later).
// A 400's `errors` list names the fields PagerDuty refused; it is summarised into the message
// with any copy of the routing key blanked out, since the message reaches logs and cards.
import { DirectoryError } from '../core/errors';

const MAX_ERRORS = 5;
const MAX_ERROR_LENGTH = 200;

export interface PagerDutyAnswer {
  status: number;
  /** The JSON body pdjs parsed. */
  body: unknown;
  action: string;
  key: string;
  host: string;
  /** Only to blank it out of PagerDuty's words. */
  routingKey: string;
  retryAfterMs?: number;
}

const KEY_ADVICE =
  'Set PAGERDUTY_ROUTING_KEY to the Integration Key of an Events API v2 integration on the service that should page (Service → Integrations), and check the integration is enabled.';

/** A status other than 202. */
export function pagerDutyAnswerError(answer: PagerDutyAnswer): DirectoryError {
  const what = `PagerDuty (${answer.host}) refused the ${answer.action} event for ${answer.key}`;
  const { status } = answer;
  if (status === 429) {
    return new DirectoryError(
      'throttled',
      `PagerDuty rate-limited the ${answer.action} event for ${answer.key} (HTTP 429).`,
      {
        code: 'TooManyRequests',
        retryAfterMs: answer.retryAfterMs ?? 30_000,
      },
    );
  }
  if (status >= 500 || status === 408) {
    return new DirectoryError('transient', `${what} with HTTP ${status}; it will be sent again.`, {
      code: `HTTP${status}`,
      retryAfterMs: answer.retryAfterMs,
    });
  }
  if (status === 400) {
    const { message, errors } = invalidEvent(answer.body, answer.routingKey);
    const mentionsKey = errors.some((e) => /routing.?key|service.?key|integration.?key/i.test(e));
    return new DirectoryError(
      'rejected',
      `${what}: ${message}${errors.length > 0 ? ` (${errors.join('; ')})` : ''}.`,
      { code: 'invalid event', ...(mentionsKey ? { advice: KEY_ADVICE } : {}) },
    );
  }
  if (status === 401 || status === 403) {
    return new DirectoryError('permission', `${what} with HTTP ${status}.`, {
      code: `HTTP${status}`,
      advice: KEY_ADVICE,
    });
  }
  if (status === 404 || status === 405) {
    return new DirectoryError(
      'misconfigured',
      `${what} with HTTP ${status}: no Events API there.`,
      {
        code: `HTTP${status}`,
        advice:
          'PAGERDUTY_EVENTS_HOST must be the Events API host: events.pagerduty.com, or events.eu.pagerduty.com for the EU service region.',
      },
    );
  }
  return new DirectoryError('rejected', `${what} with HTTP ${status}, not 202.`, {
    code: `HTTP${status}`,
  });
}

/** pdjs threw: no HTTP answer, a redirect, or an answer that was not JSON. */
export function eventError(
  error: unknown,
  host: string,
  action: string,
  unanswered: (error: unknown) => DirectoryError,
): DirectoryError {
  const type = (error as { type?: unknown } | undefined)?.type;
  if (type === 'no-redirect') {
    return new DirectoryError(
      'misconfigured',
      `PagerDuty (${host}) answered the ${action} event with a redirect, which is not followed.`,
      {
        code: 'Redirect',
        cause: error,
        advice:
          'PAGERDUTY_EVENTS_HOST must be the Events API host itself: events.pagerduty.com, or events.eu.pagerduty.com for the EU service region.',
      },
    );
  }
  if (type === 'invalid-json') {
    // PagerDuty answers JSON; anything else comes from a proxy or load balancer in between,
    // typically an error page during an outage.
    return new DirectoryError(
      'transient',
      `PagerDuty (${host}) answered the ${action} event with something other than JSON (a proxy's error page?).`,
      { code: 'NotJson', cause: error },
    );
  }
  return unanswered(error);
}

/** PagerDuty's message and its list of errors, cut short, with the routing key blanked. */
function invalidEvent(body: unknown, routingKey: string): { message: string; errors: string[] } {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const clean = (text: string): string =>
    (routingKey === '' ? text : text.split(routingKey).join('[routing key]')).slice(
      0,
      MAX_ERROR_LENGTH,
    );
  const message = typeof record.message === 'string' ? clean(record.message) : 'invalid event';
  const list = Array.isArray(record.errors) ? record.errors : [];
  const errors = list
    .filter((entry): entry is string => typeof entry === 'string')
    .slice(0, MAX_ERRORS)
    .map(clean);
  if (list.length > MAX_ERRORS) errors.push(`and ${list.length - MAX_ERRORS} more`);
  return { message, errors };
}
