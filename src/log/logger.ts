// The Logger port as JSON lines, written by pino. Redaction is the logger's configuration, not
// caller discipline: secret-named keys are censored and credential-shaped strings masked in every
// entry, by pino's hook and formatters, before pino serialises anything.
// Logging must never break a revocation, so nothing here throws: unserialisable values are
// replaced and a failing sink is ignored.
import { pino, type Logger as Pino } from 'pino';
import type { Logger } from '../core/ports';
import { maskString, sanitise } from './redact';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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

/** pino's numeric level at and above which entries carry error stacks. */
const PINO_ERROR = 50;

export function createLogger(options: LoggerOptions): Logger {
  const sink = options.sink ?? stdoutSink;
  const now = options.now ?? (() => new Date());
  const debugEnabled = options.level === 'debug';
  const destination = {
    write(chunk: string): void {
      try {
        sink(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk);
      } catch {
        // Nowhere left to report it; the revocation matters more than the log line.
      }
    },
  };
  // Every protection lives in this configuration, so no call site has to remember any of it.
  const root = pino(
    {
      level: options.level,
      messageKey: 'msg',
      base: envelopeSafe(sanitise(options.base ?? {}, { stacks: false })),
      timestamp: () => `,"time":${JSON.stringify(isoTime(now))}`,
      // No pino `redact` paths: the key rule in sanitise() (below, on every entry's fields,
      // bindings and base) censors every name those paths listed, at any depth, and they cost
      // ~130 µs per entry (a clone and a walk of 165 wildcard paths), most of a command's log time.
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => envelopeSafe(sanitise(bindings, { stacks: false })),
        log: (entry) => envelopeSafe(entry),
      },
      hooks: {
        // The one place that knows the level: stacks are for diagnosing the unexpected (errors,
        // or a logger turned up to debug). Fields and message are masked here, before pino
        // serialises anything.
        logMethod(args, method, level) {
          const [fields, message] = args as unknown as [unknown, unknown];
          const stacks = level >= PINO_ERROR || debugEnabled;
          const clean = sanitise(fields ?? {}, { stacks });
          const safeFields =
            clean !== null && typeof clean === 'object' && !Array.isArray(clean)
              ? (clean as Record<string, unknown>)
              : { value: clean };
          method.apply(this, [safeFields, maskString(String(message ?? ''))]);
        },
      },
    },
    destination,
  );
  return new PinoLogger(root, {});
}

/** A logger that drops everything: for tests and tools that must stay quiet. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

function isoTime(now: () => Date): string {
  try {
    const time = now();
    if (!Number.isNaN(time.getTime())) return time.toISOString();
  } catch {
    // A broken clock must not cost the entry.
  }
  return new Date().toISOString();
}

/** A field may not impersonate the envelope; it is kept under another name instead. */
function envelopeSafe(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[RESERVED.has(key) ? `field.${key}` : key] = item;
  }
  return out;
}

// Child fields are merged per entry rather than through pino.child, so a field set again by a
// child or a call replaces the earlier value instead of appearing twice in the JSON line.
class PinoLogger implements Logger {
  constructor(
    private readonly pino: Pino,
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
    return new PinoLogger(this.pino, { ...this.fields, ...fields });
  }

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    try {
      this.pino[level]({ ...this.fields, ...fields }, message);
    } catch {
      // Logging must never break a revocation.
    }
  }
}
