// The Logger port as JSON lines. Logging must never break a revocation, so nothing here throws:
// unserialisable values are replaced and a failing sink is ignored.
import type { Logger } from '../core/ports';
import { maskString, sanitise } from './redact';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const RESERVED = new Set(['time', 'level', 'msg']);

export interface LoggerOptions {
  /** Entries below this level are dropped. */
  level: LogLevel;
  /** Receives one JSON document per entry, without the newline. Defaults to stdout. */
  sink?: (line: string) => void;
  /** Fields added to every entry (e.g. service, version). */
  base?: Record<string, unknown>;
  /** For tests. */
  now?: () => Date;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** Reads LOG_LEVEL-style configuration; undefined or empty means `fallback`. */
export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  if (value === undefined || value.trim() === '') return fallback;
  const level = value.trim().toLowerCase();
  if (!isLogLevel(level)) {
    throw new Error(`Unknown log level "${value}": expected one of ${LOG_LEVELS.join(', ')}`);
  }
  return level;
}

const stdoutSink = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function createLogger(options: LoggerOptions): Logger {
  const config: Config = {
    threshold: RANK[options.level],
    debugEnabled: options.level === 'debug',
    sink: options.sink ?? stdoutSink,
    now: options.now ?? (() => new Date()),
  };
  return new JsonLogger(config, options.base ?? {});
}

/** A logger that drops everything: for tests and tools that must stay quiet. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

interface Config {
  threshold: number;
  debugEnabled: boolean;
  sink: (line: string) => void;
  now: () => Date;
}

class JsonLogger implements Logger {
  constructor(
    private readonly config: Config,
    private readonly fields: Record<string, unknown>,
  ) {}

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger(this.config, { ...this.fields, ...fields });
  }

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < this.config.threshold) return;
    let line: string;
    try {
      line = this.format(level, message, fields);
    } catch {
      line = JSON.stringify({ time: this.time(), level, msg: '[unloggable entry]' });
    }
    try {
      this.config.sink(line);
    } catch {
      // Nowhere left to report it; the revocation matters more than the log line.
    }
  }

  private format(level: LogLevel, message: string, fields?: Record<string, unknown>): string {
    // Stacks are for diagnosing the unexpected: errors, or a logger turned up to debug.
    const stacks = level === 'error' || this.config.debugEnabled;
    const merged = sanitise({ ...this.fields, ...fields }, { stacks }) as Record<string, unknown>;
    const entry: Record<string, unknown> = {
      time: this.time(),
      level,
      msg: maskString(String(message)),
    };
    for (const [key, value] of Object.entries(merged)) {
      // A field may not impersonate the envelope; keep it under another name instead.
      entry[RESERVED.has(key) ? `field.${key}` : key] = value;
    }
    return JSON.stringify(entry);
  }

  private time(): string {
    const now = this.config.now();
    return Number.isNaN(now.getTime()) ? new Date().toISOString() : now.toISOString();
  }
}
