// Revoke as a separate process, started the way it is deployed (`node dist/src/index.js` with its
// settings in the environment), so a test can SIGKILL or SIGTERM it mid-run and start it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './entra-standin';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class BotProcess {
  /** Everything the process wrote, line by line (its log is JSON lines on stdout). */
  readonly output: string[] = [];
  readonly exited: Promise<Exit>;
  /** Resolves once the process has exited and its output has all been read. */
  readonly closed: Promise<void>;
  private exit: Exit | undefined;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
    this.closed = new Promise((resolve) => child.once('close', () => resolve()));
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (text: string) => {
        const lines = (rest + text).split('\n');
        rest = lines.pop() ?? '';
        this.output.push(...lines);
      });
    }
  }

  /** Starts the bot and resolves once it listens on `port`; rejects if it exits first. */
  static async start(env: Record<string, string>, port: number, timeoutMs = 15_000) {
    const bot = BotProcess.spawn(env, port);
    try {
      await bot.waitForLog(/Revoke is listening/, timeoutMs);
    } catch (error) {
      await bot.kill('SIGKILL');
      throw error;
    }
    return bot;
  }

  /**
   * Starts the bot expecting it to refuse to start: resolves with how it exited and everything it
   * wrote; throws (after killing it) if it starts listening instead.
   */
  static async refusal(
    env: Record<string, string>,
    port: number,
    timeoutMs = 15_000,
  ): Promise<{ exit: Exit; output: string }> {
    const bot = BotProcess.spawn(env, port);
    const started = await bot.waitForLog(/Revoke is listening/, timeoutMs).then(
      () => true,
      () => false,
    );
    if (started || bot.running) {
      await bot.kill('SIGKILL');
      throw new Error(`the bot did not refuse to start:\n${bot.tail()}`);
    }
    await bot.closed;
    return { exit: await bot.exited, output: bot.output.join('\n') };
  }

  private static spawn(env: Record<string, string>, port: number): BotProcess {
    // The entry point built next to this file (dist/test/support → dist/src), whatever outDir.
    const entry = join(__dirname, '..', '..', 'src', 'index.js');
    const child = spawn(process.execPath, [entry], {
      cwd: repoRoot(),
      // NODE_EXTRA_CA_CERTS (the stand-in's CA) comes from the test process's environment.
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new BotProcess(child);
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  async waitForLog(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.output.find((l) => pattern.test(l));
      if (line) return line;
      if (!this.running)
        throw new Error(`the bot exited before logging ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for the bot to log ${pattern}:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends `signal` and waits for the process to be gone (SIGKILL after `timeoutMs`). */
  async kill(signal: NodeJS.Signals, timeoutMs = 15_000): Promise<Exit> {
    if (!this.running) return this.exit as Exit;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  tail(lines = 30): string {
    return this.output.slice(-lines).join('\n');
  }
}
