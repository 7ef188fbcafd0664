// Paging's variables: read through the EnvReader with one clear message per bad value, never
// echoing the routing key, the webhook secret or a URL's query; the pagers they turn on; and
// nothing secret when the configuration is printed.
import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { EnvReader } from '../../src/env-reader';
import {
  describePaging,
  PAGING_VARIABLES,
  pagersFrom,
  readPagingConfig,
  type PagingConfig,
} from '../../src/paging/paging-config';
import { ROUTING_KEY } from './page-fixtures';

/** 32 random-looking bytes, base64 as `openssl rand -base64 32` prints them. */
const SECRET = 'q6Jm0b3nXJ0lS8o7x0Cq9rWm2vT4yZ1aB5cD6eF7gH8=';

function read(env: NodeJS.ProcessEnv): { config: PagingConfig; problems: string[] } {
  const reader = new EnvReader(env);
  const config = readPagingConfig(reader);
  try {
    reader.throwIfProblems();
    return { config, problems: [] };
  } catch (error) {
    return { config, problems: (error as { problems: string[] }).problems };
  }
}

describe('paging configuration', () => {
  it('lists every variable it reads, for the sandbox to refuse', () => {
    assert.deepEqual(
      [...PAGING_VARIABLES],
      [
        'PAGERDUTY_ROUTING_KEY',
        'PAGERDUTY_EVENTS_HOST',
        'ALERT_WEBHOOK_URL',
        'ALERT_WEBHOOK_SECRET',
      ],
    );
  });

  it('turns on no pager when none is configured', () => {
    const { config, problems } = read({});
    assert.deepEqual(problems, []);
    assert.deepEqual(pagersFrom(config), []);
    assert.deepEqual(describePaging(config), { pagerDuty: 'off', alertWebhook: 'off' });
  });

  it('pages through PagerDuty’s US host by default, or the EU one when set', () => {
    const us = read({ PAGERDUTY_ROUTING_KEY: ROUTING_KEY });
    assert.deepEqual(us.problems, []);
    assert.equal(us.config.pagerDuty?.eventsHost, 'events.pagerduty.com');
    assert.equal(us.config.pagerDuty?.routingKey.reveal(), ROUTING_KEY);
    assert.deepEqual(
      pagersFrom(us.config).map((p) => p.name),
      ['PagerDuty'],
    );
    const eu = read({
      PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
      PAGERDUTY_EVENTS_HOST: 'events.eu.pagerduty.com',
    });
    assert.equal(eu.config.pagerDuty?.eventsHost, 'events.eu.pagerduty.com');
  });

  it('turns on both pagers when both are configured', () => {
    const { config, problems } = read({
      PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
      ALERT_WEBHOOK_URL: 'https://pager.example/hooks/revoke?token=abc',
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      pagersFrom(config).map((p) => p.name),
      ['PagerDuty', 'alert webhook'],
    );
    assert.deepEqual(describePaging(config), {
      pagerDuty: 'events.pagerduty.com',
      alertWebhook: 'https://pager.example',
    });
  });

  it('takes a hex secret and plain http to this machine only', () => {
    const { problems, config } = read({
      ALERT_WEBHOOK_URL: 'http://127.0.0.1:8080/hook',
      ALERT_WEBHOOK_SECRET: Buffer.from(SECRET, 'base64').toString('hex'),
    });
    assert.deepEqual(problems, []);
    assert.equal(config.webhook?.url, 'http://127.0.0.1:8080/hook');
  });

  it('names each bad PagerDuty variable, and never the routing key', () => {
    const wrong = 'u+ABCDEFGHIJKLMNOPQRS';
    assert.deepEqual(read({ PAGERDUTY_ROUTING_KEY: wrong }).problems, [
      'PAGERDUTY_ROUTING_KEY must be the 32-character Integration Key of an Events API v2 integration (letters and digits; the value set has 21 characters). A REST API key or an integration URL will not do.',
    ]);
    assert.deepEqual(
      read({
        PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
        PAGERDUTY_EVENTS_HOST: 'https://events.eu.pagerduty.com/v2',
      }).problems,
      [
        'PAGERDUTY_EVENTS_HOST must be a host name like events.pagerduty.com or events.eu.pagerduty.com, without https:// or a path (got "https://events.eu.pagerduty.com/v2").',
      ],
    );
    assert.deepEqual(read({ PAGERDUTY_EVENTS_HOST: 'events.eu.pagerduty.com' }).problems, [
      'PAGERDUTY_ROUTING_KEY is required since PAGERDUTY_EVENTS_HOST is set: the Integration Key of an Events API v2 integration on the PagerDuty service that pages on-call.',
    ]);
  });

  it('names each bad webhook variable, and never the secret or the URL’s query', () => {
    assert.deepEqual(read({ ALERT_WEBHOOK_URL: 'https://pager.example/hook' }).problems, [
      'ALERT_WEBHOOK_SECRET is required since ALERT_WEBHOOK_URL is set: every delivery is signed with it (HMAC-SHA-256) so the receiver can tell it came from Revoke; create one with `openssl rand -base64 32`.',
    ]);
    assert.deepEqual(read({ ALERT_WEBHOOK_SECRET: SECRET }).problems, [
      'ALERT_WEBHOOK_URL is required since ALERT_WEBHOOK_SECRET is set: the https:// address the page events are posted to.',
    ]);
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [
        { ALERT_WEBHOOK_URL: 'http://pager.example/hook?token=hush', ALERT_WEBHOOK_SECRET: SECRET },
        'ALERT_WEBHOOK_URL must be an https:// URL (got http:// to pager.example): plain http is allowed only to this machine (127.0.0.1, ::1, localhost).',
      ],
      [
        { ALERT_WEBHOOK_URL: 'https://bot:hush@pager.example/hook', ALERT_WEBHOOK_SECRET: SECRET },
        'ALERT_WEBHOOK_URL must not hold credentials (user:password@pager.example): the signature (ALERT_WEBHOOK_SECRET) is what authenticates Revoke to the receiver.',
      ],
      [
        { ALERT_WEBHOOK_URL: 'pager.example/hush', ALERT_WEBHOOK_SECRET: SECRET },
        'ALERT_WEBHOOK_URL must be an https:// URL (the value set is not a URL).',
      ],
      [
        { ALERT_WEBHOOK_URL: 'ftp://pager.example/hook', ALERT_WEBHOOK_SECRET: SECRET },
        'ALERT_WEBHOOK_URL must be an https:// URL (got ftp://).',
      ],
      [
        { ALERT_WEBHOOK_URL: 'https://pager.example/hook', ALERT_WEBHOOK_SECRET: 'hush hush!' },
        'ALERT_WEBHOOK_SECRET must be base64 or hex; create one with `openssl rand -base64 32` and give the receiver the same value.',
      ],
      [
        { ALERT_WEBHOOK_URL: 'https://pager.example/hook', ALERT_WEBHOOK_SECRET: 'aHVzaGh1c2g=' },
        'ALERT_WEBHOOK_SECRET must hold at least 32 random bytes (it holds 8); create one with `openssl rand -base64 32` and give the receiver the same value.',
      ],
      [
        { ALERT_WEBHOOK_URL: 'https://pager.example/hook', ALERT_WEBHOOK_SECRET: '00'.repeat(32) },
        'ALERT_WEBHOOK_SECRET is not random (too few distinct bytes); create one with `openssl rand -base64 32` and give the receiver the same value.',
      ],
    ];
    for (const [env, message] of cases) {
      const { problems, config } = read(env);
      assert.deepEqual(problems, [message]);
      assert.ok(!message.includes('hush'), message);
      assert.equal(config.webhook, undefined);
    }
  });

  it('collects every problem at once', () => {
    const { problems } = read({
      PAGERDUTY_ROUTING_KEY: 'short',
      ALERT_WEBHOOK_URL: 'http://pager.example/hook',
    });
    assert.equal(problems.length, 3);
  });

  it('prints no secret when the configuration is logged or dumped', () => {
    const { config } = read({
      PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
      ALERT_WEBHOOK_URL: 'https://pager.example/hook',
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    const secretHex = Buffer.from(SECRET, 'base64').toString('hex');
    for (const shown of [
      inspect(config, { depth: Infinity }),
      JSON.stringify(config),
      JSON.stringify(describePaging(config)),
      inspect(pagersFrom(config), { depth: Infinity }),
    ]) {
      assert.ok(!shown.includes(ROUTING_KEY), shown);
      assert.ok(!shown.includes(SECRET) && !shown.includes(secretHex), shown);
    }
  });
});
