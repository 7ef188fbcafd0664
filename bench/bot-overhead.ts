// (c) The bot's own overhead: from a command posted to /api/messages to its request card reaching
// the connector, with the sandbox directory answering at once and a SQLite file store: 200
// commands, 50 in flight at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { projectRoot } from '../src/project-root';
import { channelMessage } from '../test/support/activities';
import { cardOf, ConnectorStandin, type ConnectorCall } from '../test/support/connector-standin';
import { quietLogger } from './graph-fixture';

export interface BotOverheadResult {
  commands: number;
  concurrency: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  totalMs: number;
}

const TARGETS = [
  'alice.johnson@contoso.com',
  'bob.smith@contoso.com',
  'carol.nguyen@contoso.com',
  'dana.obrien@contoso.com',
];

export async function benchBotOverhead(
  commands = 200,
  concurrency = 50,
): Promise<BotOverheadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'revoke-bench-'));
  const connector = new ConnectorStandin();
  const serviceUrl = await connector.start();
  // The card's arrival time, keyed by the command it answers.
  const arrived = new Map<string, number>();
  const record = connector.calls.push.bind(connector.calls);
  connector.calls.push = (...calls: ConnectorCall[]) => {
    const now = performance.now();
    for (const call of calls) {
      if (call.method !== 'POST' || !cardOf(call.activity)) continue;
      const thread = /messageid=([^;]+)/.exec(call.conversationId)?.[1] ?? call.activityId;
      if (thread) arrived.set(thread, now);
    }
    return record(...calls);
  };
  const config = loadConfig(
    {
      DATABASE_URL: `sqlite:${join(dir, 'revoke.db')}`,
      SANDBOX_LATENCY_MS: '0',
      COMMANDS_PER_MINUTE: '600',
      STARTUP_CHECKS: 'false',
    },
    projectRoot(),
  );
  const app = await buildApp(config, { logger: quietLogger });
  const baseUrl = await app.start(0, '127.0.0.1');
  const sam = app.sandbox?.people.find((p) => p.upn === 'sam.rivera@contoso.com');
  if (!sam) throw new Error('sandbox has no requester');
  const durations: number[] = [];
  try {
    // Warm-up (card templates, JIT, the database file) outside the measurement.
    for (let i = 0; i < 5; i++) {
      const message = channelMessage(sam, `user ${TARGETS[0]} warm-up`, { serviceUrl });
      await fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      }).then((r) => r.text());
      await waitFor(() => arrived.get(String(message.id)));
    }
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < commands) {
        const i = next++;
        const message = channelMessage(sam, `user ${TARGETS[i % TARGETS.length]} bench ${i}`, {
          serviceUrl,
        });
        const id = String(message.id);
        const sent = performance.now();
        const response = await fetch(`${baseUrl}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(message),
        });
        await response.text();
        const at = await waitFor(() => arrived.get(id));
        durations.push(at - sent);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const totalMs = performance.now() - started;
    durations.sort((a, b) => a - b);
    const pick = (q: number) =>
      Math.round(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!);
    return {
      commands,
      concurrency,
      p50Ms: pick(0.5),
      p99Ms: pick(0.99),
      maxMs: Math.round(durations.at(-1) ?? 0),
      totalMs: Math.round(totalMs),
    };
  } finally {
    await app.stop();
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor(probe: () => number | undefined, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('no card arrived for a command');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
