// (c) The bot's own overhead. The bot (the real app in sandbox mode, its directory answering at
// once, a SQLite file, the production logger and audit sink writing to /dev/null) runs in a child
// process (bot-process.ts); the connector stand-in and the client live here, so the child's
// process.cpuUsage() is the bot's CPU alone.
// - command → request card at the connector: 200 commands, 50 in flight, after 5 warm-up commands;
//   the bot's CPU over those 200 commands ÷ 200, less what the idle bot spends in the same time
//   (its timers), measured just before.
// - the invokes of 50 of those requests: each approved by a first approver (10 in flight), then by
//   the second, whose approval completes it and starts its run (10 in flight): the time from the
//   invoke's POST to its HTTP answer.
// BENCH_CPU_PROF=<dir> runs the bot under `node --cpu-prof` and leaves its profile in <dir>.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Person } from '../src/core/model';
import { cardAction, channelMessage } from '../test/support/activities';
import { cardActions } from '../test/support/card-text';
import { cardOf, ConnectorStandin, type ConnectorCall } from '../test/support/connector-standin';
import type { BotProcessAnswer, BotProcessAsk } from './bot-process';

export interface Percentiles {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface BotOverheadResult extends Percentiles {
  commands: number;
  concurrency: number;
  totalMs: number;
  /** The bot's CPU (user + system) per command, idle CPU removed. */
  cpuMsPerCommand: number;
  /** The system (kernel) share of it: sockets, fsync, the log's writes. */
  systemCpuMsPerCommand: number;
  /** What the idle bot spent over the same time, removed above. */
  idleCpuMs: number;
  approvals: {
    requests: number;
    concurrency: number;
    /** The first approval's invoke: POST → HTTP answer. */
    first: Percentiles;
    /** The completing approval's invoke: POST → HTTP answer. */
    final: Percentiles;
  };
}

const TARGETS = [
  'alice.johnson@contoso.com',
  'bob.smith@contoso.com',
  'carol.nguyen@contoso.com',
  'dana.obrien@contoso.com',
];

/** A posted request card: where a click on it comes from. */
interface PostedCard {
  at: number;
  cardActivityId: string;
  requestId: string;
}

export async function benchBotOverhead(
  commands = 200,
  concurrency = 50,
  // BENCH_BOT_APPROVALS=0 leaves the approvals out (a profile of the commands alone).
  approvalRequests = Number(process.env['BENCH_BOT_APPROVALS'] ?? 50),
  approvalConcurrency = 10,
): Promise<BotOverheadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'revoke-bench-'));
  const connector = new ConnectorStandin();
  const serviceUrl = await connector.start();
  // The card's arrival, keyed by the command (thread) it answers.
  const cards = new Map<string, PostedCard>();
  const record = connector.calls.push.bind(connector.calls);
  connector.calls.push = (...calls: ConnectorCall[]) => {
    const now = performance.now();
    for (const call of calls) {
      const card = call.method === 'POST' ? cardOf(call.activity) : undefined;
      if (!card) continue;
      const thread = /messageid=([^;]+)/.exec(call.conversationId)?.[1] ?? call.activityId;
      const approve = cardActions(card).find((a) => a.verb === 'approve');
      const requestId = (approve?.data as { requestId?: string } | undefined)?.requestId;
      if (thread && requestId)
        cards.set(thread, { at: now, cardActivityId: String(call.activity.id), requestId });
    }
    // Only what the benchmark reads is kept: the stand-in's list would grow with every update.
    return record(...calls.filter((c) => c.method === 'POST' && cardOf(c.activity)));
  };
  const bot = await BotProcess.start(serviceUrl, join(dir, 'revoke.db'));
  try {
    const post = async (activity: unknown): Promise<unknown> => {
      const response = await fetch(`${bot.baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`/api/messages answered ${response.status}`);
      return text ? (JSON.parse(text) as unknown) : undefined;
    };
    const sam = bot.person('sam.rivera@contoso.com');
    // Warm-up (card templates, JIT, the database file) outside the measurement.
    for (let i = 0; i < 5; i++) {
      const message = channelMessage(sam, `user ${TARGETS[0]} warm-up`, { serviceUrl });
      await post(message);
      await waitFor(() => cards.get(String(message.id))?.at);
    }
    // What the idle bot spends (its sweep and lease timers), to take out of the commands' CPU.
    const idleStart = await bot.cpuMicros();
    const idleFrom = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const idleMicrosPerMs = ((await bot.cpuMicros()) - idleStart) / (performance.now() - idleFrom);

    const durations: number[] = [];
    const threads: string[] = [];
    const cpuBefore = await bot.cpu();
    const started = performance.now();
    await inParallel(commands, concurrency, async (i) => {
      const message = channelMessage(sam, `user ${TARGETS[i % TARGETS.length]} bench ${i}`, {
        serviceUrl,
      });
      const id = String(message.id);
      const sent = performance.now();
      await post(message);
      const at = await waitFor(() => cards.get(id)?.at);
      durations.push(at - sent);
      threads.push(id);
    });
    const totalMs = performance.now() - started;
    const idleCpuMs = (idleMicrosPerMs * totalMs) / 1_000;
    const cpuAfter = await bot.cpu();
    const cpuMs = (cpuAfter.total - cpuBefore.total) / 1_000 - idleCpuMs;
    const systemMs = (cpuAfter.system - cpuBefore.system) / 1_000;

    // Two approvals for each of the first requests: the second completes it and starts its run.
    const approved = threads.slice(0, approvalRequests).map((thread) => {
      const card = cards.get(thread) as PostedCard;
      return {
        requestId: card.requestId,
        ctx: { serviceUrl, threadId: thread, cardActivityId: card.cardActivityId },
      };
    });
    const click = async (approver: Person, i: number): Promise<number> => {
      const { requestId, ctx } = approved[i] as (typeof approved)[number];
      const sent = performance.now();
      const answer = (await post(cardAction(approver, 'approve', { requestId }, ctx))) as {
        type?: string;
        value?: unknown;
      };
      const took = performance.now() - sent;
      if (answer.type !== 'application/vnd.microsoft.card.adaptive')
        throw new Error(`approval of ${requestId} not accepted: ${JSON.stringify(answer.value)}`);
      return took;
    };
    const firsts: number[] = [];
    await inParallel(approved.length, approvalConcurrency, async (i) => {
      firsts.push(await click(bot.person('priya.patel@contoso.com'), i));
    });
    const finals: number[] = [];
    await inParallel(approved.length, approvalConcurrency, async (i) => {
      finals.push(await click(bot.person('marcus.chen@contoso.com'), i));
    });
    return {
      commands,
      concurrency,
      ...percentiles(durations),
      totalMs: Math.round(totalMs),
      cpuMsPerCommand: Math.round((cpuMs / commands) * 100) / 100,
      systemCpuMsPerCommand: Math.round((systemMs / commands) * 100) / 100,
      idleCpuMs: Math.round(idleCpuMs),
      approvals: {
        requests: approved.length,
        concurrency: approvalConcurrency,
        first: percentiles(firsts),
        final: percentiles(finals),
      },
    };
  } finally {
    await bot.stop();
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bot in its child process, and the little the benchmark asks of it over IPC. */
class BotProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    private readonly people: Person[],
  ) {}

  static async start(serviceUrl: string, database: string): Promise<BotProcess> {
    const profileDir = process.env['BENCH_CPU_PROF'];
    const child = fork(join(__dirname, 'bot-process.js'), [], {
      env: { ...process.env, BENCH_SERVICE_URL: serviceUrl, BENCH_DATABASE: database },
      // The log and the audit sink go to /dev/null, as fast as a sink can be: their cost is the
      // bot's own formatting and writing, not a terminal's.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    const ready = await answerOf(child, 'ready');
    return new BotProcess(child, ready.baseUrl, ready.people);
  }

  person(upn: string): Person {
    const person = this.people.find((p) => p.upn === upn);
    if (!person) throw new Error(`the sandbox has no ${upn}`);
    return person;
  }

  async cpuMicros(): Promise<number> {
    return (await this.cpu()).total;
  }

  async cpu(): Promise<{ total: number; system: number }> {
    const answer = answerOf(this.child, 'cpu');
    this.ask({ type: 'cpu' });
    const usage = await answer;
    return { total: usage.userMicros + usage.systemMicros, system: usage.systemMicros };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.ask({ type: 'stop' });
    await exited;
  }

  private ask(ask: BotProcessAsk): void {
    this.child.send(ask);
  }
}

function answerOf<K extends BotProcessAnswer['type']>(
  child: ChildProcess,
  type: K,
): Promise<Extract<BotProcessAnswer, { type: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (answer: BotProcessAnswer) => {
      if (answer.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(answer as Extract<BotProcessAnswer, { type: K }>);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`the bot process exited (${code}) before answering ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Runs `task(0…count-1)`, `concurrency` at a time. */
async function inParallel(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50Ms: pick(0.5), p99Ms: pick(0.99), maxMs: Math.round(sorted.at(-1) ?? 0) };
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
