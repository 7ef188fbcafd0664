// What makes the sandbox useful beyond the happy path: artificial latency so the demo's progress
// is visible, injected failures so engine tests can exercise retries and partial failures, and a
// log of calls so tests can assert what was attempted.
import type { AppProvisioning } from '../../core/app-ports';
import type { Clock } from '../../core/clock';
import { DirectoryError } from '../../core/errors';
import type { DirectoryFailureKind } from '../../core/errors';
import type { EntraDirectory, OnPremDirectory } from '../../core/ports';
import type { ContainmentDirectory, OnPremRestore } from '../../core/containment-ports';

export type SandboxOperation =
  | keyof EntraDirectory
  | keyof OnPremDirectory
  | keyof ContainmentDirectory
  | keyof OnPremRestore
  | keyof AppProvisioning
  /** A connector beyond Microsoft: `<connector>.<call>`, e.g. `okta.suspendUser`. */
  | `${string}.${string}`
  | SandboxSlackOperation;

/** The Slack stand-in's calls a test may slow down or fail (names no other directory uses). */
export type SandboxSlackOperation = 'countActiveSessions' | 'resetSessions' | 'setActive';

export interface FaultOptions {
  /** How many calls fail; default 1. */
  times?: number;
  /** Only calls about this user id, device id, DN or account ref value (case-insensitive). */
  subject?: string;
  /**
   * Apply the change, then fail: the call timed out after the directory did the work. This is
   * the case that proves the engine's retries are idempotent.
   */
  afterEffect?: boolean;
}

export interface SandboxCall {
  operation: SandboxOperation;
  subject: string | undefined;
  at: string;
}

interface Fault {
  operation: SandboxOperation;
  error: Error;
  remaining: number;
  subject: string | undefined;
  afterEffect: boolean;
}

export class SandboxBehaviour {
  private readonly faults: Fault[] = [];
  private readonly log: SandboxCall[] = [];

  constructor(
    private readonly clock: Clock,
    /** Added before every call; settable so the demo can speed up or slow down. */
    public latencyMs = 0,
  ) {}

  /**
   * Makes the next call(s) to `operation` fail with `error`. A failure kind is shorthand for a
   * DirectoryError of that kind.
   */
  failNext(
    operation: SandboxOperation,
    error: Error | DirectoryFailureKind,
    options: FaultOptions = {},
  ): void {
    this.faults.push({
      operation,
      error: typeof error === 'string' ? injected(operation, error) : error,
      remaining: options.times ?? 1,
      subject: options.subject?.toLowerCase(),
      afterEffect: options.afterEffect ?? false,
    });
  }

  /** Makes every call to `operation` fail until clearFaults(). */
  failAlways(
    operation: SandboxOperation,
    error: Error | DirectoryFailureKind,
    options: Omit<FaultOptions, 'times'> = {},
  ): void {
    this.failNext(operation, error, { ...options, times: Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Every call made so far, oldest first. */
  get calls(): readonly SandboxCall[] {
    return this.log;
  }

  callsTo(operation: SandboxOperation): SandboxCall[] {
    return this.log.filter((call) => call.operation === operation);
  }

  clearCalls(): void {
    this.log.length = 0;
  }

  async run<T>(
    operation: SandboxOperation,
    subjects: readonly (string | undefined)[],
    effect: () => T,
  ): Promise<T> {
    const known = subjects.filter((s): s is string => s !== undefined && s !== '');
    this.log.push({ operation, subject: known[0], at: this.clock.now().toISOString() });
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs);
    const fault = this.takeFault(operation, known);
    if (fault && !fault.afterEffect) throw fault.error;
    const result = effect();
    if (fault) throw fault.error;
    return result;
  }

  private takeFault(operation: SandboxOperation, subjects: string[]): Fault | undefined {
    const lower = subjects.map((s) => s.toLowerCase());
    const index = this.faults.findIndex(
      (f) =>
        f.operation === operation &&
        f.remaining > 0 &&
        (f.subject === undefined || lower.includes(f.subject)),
    );
    const fault = this.faults[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }
}

function injected(operation: SandboxOperation, kind: DirectoryFailureKind): DirectoryError {
  return new DirectoryError(kind, `Sandbox: injected ${kind} failure in ${operation}`, {
    code: 'SandboxInjectedFault',
    ...(kind === 'throttled' ? { retryAfterMs: 1_000 } : {}),
  });
}
