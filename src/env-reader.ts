// Reading environment variables, collecting every problem instead of stopping at the first, so a
// bad start-up names all of them at once. config.ts and each connector's set-up read through it.
import { isIP } from 'node:net';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Revoke cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Reads variables, collecting every problem instead of stopping at the first. */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  problem(message: string): void {
    this.problems.push(message);
  }

  throwIfProblems(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  required(name: string, what: string): string {
    const value = this.optional(name);
    if (!value) this.problem(`${name} is required: ${what}.`);
    return value ?? '';
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problem(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
      return fallback;
    }
    return value;
  }

  /** A number of minutes that may have a fraction ("0.5"): a test or a drill may want seconds. */
  minutes(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+(\.\d{1,2})?$/.test(raw) || value < min || value > max) {
      this.problem(`${name} must be a number of minutes from ${min} to ${max} (got "${raw}").`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1' || raw === 'yes') return true;
    if (raw === 'false' || raw === '0' || raw === 'no') return false;
    this.problem(`${name} must be true or false (got "${raw}").`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const match = allowed.find((value) => value.toLowerCase() === raw.toLowerCase());
    if (!match) this.problem(`${name} must be one of ${allowed.join(', ')} (got "${raw}").`);
    return match ?? fallback;
  }

  list(name: string): string[] {
    return (this.optional(name) ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
  }

  /** An address to listen on: an IP address or a host name. */
  host(name: string): string | undefined {
    const raw = this.optional(name);
    if (
      raw !== undefined &&
      !isIP(raw) &&
      !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(raw)
    ) {
      this.problem(`${name} must be an IP address or a host name (got "${raw}").`);
    }
    return raw;
  }

  guid(name: string): string | undefined {
    const raw = this.optional(name);
    if (raw !== undefined && !GUID.test(raw)) {
      this.problem(
        `${name} must be an object id (a GUID like 00000000-0000-0000-0000-000000000000).`,
      );
    }
    return raw;
  }

  httpsUrl(name: string, fallback: string): string {
    const raw = this.optional(name) ?? fallback;
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:') {
      this.problem(`${name} must be an https:// URL (got "${raw}").`);
      return fallback;
    }
    return raw.replace(/\/+$/, '');
  }
}
