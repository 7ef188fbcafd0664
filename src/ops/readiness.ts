// /readyz: can this instance do its job right now? The store is checked on every probe (it is a
// local read); the directories are remote, so their result is kept for a while, or a probe every
// few seconds from each replica would become a steady load on Entra ID and the domain controllers.
import { DirectoryError } from '../core/errors';

export type ReadinessPartName = 'store' | 'entra' | 'ldap';

export interface ReadinessPart {
  name: ReadinessPartName;
  /** Resolves when the part works; throws why not. */
  check(): Promise<void>;
  /** Keep a result this long (ms); 0 checks on every probe. */
  cacheMs: number;
}

export interface PartStatus {
  name: ReadinessPartName;
  ok: boolean;
  /** A short code (the DirectoryError kind/code), never a message that could carry details. */
  reason?: string;
}

export interface ReadinessReport {
  ready: boolean;
  parts: PartStatus[];
}

export interface ReadinessProbe {
  check(): Promise<ReadinessReport>;
}

export const DIRECTORY_CACHE_MS = 30_000;
/** A probe that hangs is a failed probe: orchestrators time out at a few seconds. */
const PART_TIMEOUT_MS = 5_000;

export class Readiness implements ReadinessProbe {
  private readonly cache = new Map<ReadinessPartName, { at: number; status: PartStatus }>();

  constructor(
    private readonly parts: readonly ReadinessPart[],
    private readonly now: () => number = Date.now,
  ) {}

  async check(): Promise<ReadinessReport> {
    const parts = await Promise.all(this.parts.map((part) => this.checkPart(part)));
    return { ready: parts.every((p) => p.ok), parts };
  }

  private async checkPart(part: ReadinessPart): Promise<PartStatus> {
    const cached = this.cache.get(part.name);
    if (cached && this.now() - cached.at < part.cacheMs) return cached.status;
    const status = await withTimeout(part.check(), PART_TIMEOUT_MS).then(
      (): PartStatus => ({ name: part.name, ok: true }),
      (error: unknown): PartStatus => ({ name: part.name, ok: false, reason: reasonOf(error) }),
    );
    this.cache.set(part.name, { at: this.now(), status });
    return status;
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof DirectoryError)
    return error.code ? `${error.kind}:${error.code}` : error.kind;
  if (error instanceof ProbeTimeout) return 'timeout';
  return 'unavailable';
}

class ProbeTimeout extends Error {
  constructor() {
    super('readiness check timed out');
    this.name = 'ProbeTimeout';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout()), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
