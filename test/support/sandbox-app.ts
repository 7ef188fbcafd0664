// The whole bot as Teams sees it, for HTTP-level tests: the real app in sandbox mode (in-memory
// SQLite, no sandbox latency) on a free loopback port, talking to a stand-in connector.
import { strict as assert } from 'node:assert';
import { buildApp, type AppOverrides, type RevokeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/project-root';
import type { Person } from '../../src/core/model';
import { ConnectorStandin } from './connector-standin';
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
  stop(): Promise<void>;
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
    async stop() {
      await app.stop().catch(() => undefined);
      await connector.stop();
    },
  };
}
