// The whole bot as Teams sees it, for HTTP-level tests: the real app in sandbox mode (in-memory
// SQLite, no sandbox latency) on a free loopback port, talking to a stand-in connector.
import { strict as assert } from 'node:assert';
import { buildApp, type AppOverrides, type RevokeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import type { Person } from '../../src/core/model';
import { cardOf, ConnectorStandin } from './connector-standin';
import { channelMessage } from './activities';
import { captureLogger } from './capture-logger';

export interface Posted {
  status: number;
  /** The parsed JSON answer; undefined for an empty body. */
  body: unknown;
}

export interface SandboxApp {
  app: RevokeApp;
  connector: ConnectorStandin;
  /** Where activities say replies go: the connector stand-in. */
  serviceUrl: string;
  baseUrl: string;
  /** A sandbox person by UPN, with the ids Teams would send. */
  person(upn: string): Person;
  /** POSTs an activity (or any JSON) to /api/messages. */
  post(activity: unknown): Promise<Posted>;
  /**
   * Sends `text` as `from` in a channel thread and waits for the request card it makes: the
   * pending request's id and what a click on that card carries.
   */
  askFor(from: Person, text: string, threadId?: string): Promise<AskedRequest>;
  stop(): Promise<void>;
}

export interface AskedRequest {
  requestId: string;
  ctx: { serviceUrl: string; threadId: string; cardActivityId: string };
}

export async function postActivity(baseUrl: string, activity: unknown): Promise<Posted> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

export async function startSandboxApp(
  env: Record<string, string> = {},
  overrides: AppOverrides = {},
): Promise<SandboxApp> {
  const connector = new ConnectorStandin();
  const serviceUrl = await connector.start();
  const config = loadConfig(
    // Every card state shown, so that tests can follow a run's progress step by step.
    {
      DATABASE_URL: 'sqlite::memory:',
      SANDBOX_LATENCY_MS: '0',
      CARD_UPDATE_INTERVAL_MS: '0',
      // The SIEM copy has tests of its own; here it would only fill the test output.
      AUDIT_SINK: 'off',
      ...env,
    },
    projectRoot(),
  );
  const app = await buildApp(config, { logger: captureLogger(), ...overrides });
  const baseUrl = await app.start(0, '127.0.0.1');
  return {
    app,
    connector,
    serviceUrl,
    baseUrl,
    person(upn) {
      const person = app.sandbox?.people.find((p) => p.upn === upn);
      assert.ok(person, `no sandbox person ${upn}`);
      return person;
    },
    post: (activity) => postActivity(baseUrl, activity),
    async askFor(from, text, threadId) {
      const message = channelMessage(from, text, { serviceUrl, ...(threadId ? { threadId } : {}) });
      const before = connector.calls.length;
      assert.equal((await postActivity(baseUrl, message)).status, 200);
      const posted = await connector.waitFor(() =>
        connector.calls.slice(before).find((c) => c.method === 'POST' && cardOf(c.activity)),
      );
      const cardActivityId = String(posted.activity.id);
      const [saved] = (await app.store.listByStatus(['pending'])).filter(
        (r) => r.card.cardActivityId === cardActivityId,
      );
      assert.ok(saved, `a pending request for the card ${cardActivityId}`);
      return {
        requestId: saved.id,
        ctx: { serviceUrl, threadId: String(message.id), cardActivityId },
      };
    },
    async stop() {
      await app.stop().catch(() => undefined);
      await connector.stop();
    },
  };
}
