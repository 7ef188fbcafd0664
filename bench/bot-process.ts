// The bot of the `bot` benchmark, in a process of its own (forked by bot-overhead.ts), so that
// process.cpuUsage() here counts the bot's CPU only: the connector stand-in and the client that
// posts the commands and clicks live in the parent. The bot is the real app in sandbox mode (its
// directory answers at once, in this process), a SQLite file, the production logger at `info` and
// the audit sink on stdout, both of which the parent sends to /dev/null.
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import type { Person } from '../src/core/model';
import { projectRoot } from '../src/project-root';

/** What the parent asks for over IPC. */
export type BotProcessAsk = { type: 'cpu' } | { type: 'stop' };

/** What the bot process answers. */
export type BotProcessAnswer =
  | { type: 'ready'; baseUrl: string; people: Person[] }
  | { type: 'cpu'; userMicros: number; systemMicros: number }
  | { type: 'stopped' };

async function main(): Promise<void> {
  const database = process.env['BENCH_DATABASE'];
  const serviceUrl = process.env['BENCH_SERVICE_URL'];
  if (!database || !serviceUrl) throw new Error('BENCH_DATABASE and BENCH_SERVICE_URL are needed');
  const config = loadConfig(
    {
      DATABASE_URL: `sqlite:${database}`,
      SANDBOX_LATENCY_MS: '0',
      COMMANDS_PER_MINUTE: '600',
      STARTUP_CHECKS: 'false',
    },
    projectRoot(),
  );
  const app = await buildApp(config);
  const baseUrl = await app.start(0, '127.0.0.1');
  const send = (answer: BotProcessAnswer) => process.send?.(answer);
  process.on('message', (ask: BotProcessAsk) => {
    if (ask.type === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', userMicros: usage.user, systemMicros: usage.system });
    } else {
      void app.stop().then(() => {
        send({ type: 'stopped' });
        process.disconnect();
      });
    }
  });
  send({
    type: 'ready',
    baseUrl,
    people: [...(app.sandbox?.people ?? [])],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
