// The run's watchdog. Every directory call has a timeout and every step a deadline, but a call the
// timeout cannot reach (a hung driver, a promise nobody settles) would leave the run waiting for
// ever, its card "Running" and no approver able to retry. The watchdog bounds that: when no step
// of the run changes state for `stallMs`, the run stops waiting, and the engine fails the steps
// still in flight with a reason an approver can act on.
import type { Step } from '../model';
import type { Timers } from '../batch/update-coalescer';

/** The error code of a step failed by the watchdog. */
export const RUN_STALLED = 'RunStalled';

/** Used when the engine is given none: longer than the default step deadline (120 s) and a call. */
export const DEFAULT_RUN_STALL_MS = 300_000;

export class StallWatchdog {
  /** Resolves once, when `stallMs` passed without progress; never rejects. */
  readonly stalled: Promise<void>;
  private fire: () => void = () => undefined;
  private handle: unknown;
  private done = false;
  private fired = false;

  constructor(
    private readonly timers: Timers,
    readonly stallMs: number,
  ) {
    this.stalled = new Promise<void>((resolve) => (this.fire = resolve));
    this.arm();
  }

  get hasFired(): boolean {
    return this.fired;
  }

  /** A step of the run changed state: the quiet period starts again. */
  progress(): void {
    if (this.done) return;
    this.timers.clearTimeout(this.handle);
    this.arm();
  }

  stop(): void {
    this.done = true;
    this.timers.clearTimeout(this.handle);
  }

  private arm(): void {
    this.handle = this.timers.setTimeout(() => {
      this.done = true;
      this.fired = true;
      this.fire();
    }, this.stallMs);
  }
}

/** What a step the watchdog gave up on says on the card and in the audit trail. */
export function stalledError(stallMs: number): { code: string; message: string } {
  return {
    code: RUN_STALLED,
    message: `no progress for ${Math.round(stallMs / 1000)} s: the run stopped waiting for this step`,
  };
}

/** The steps a stalled run gives up on: those it started and that have not finished. */
export function isStallable(step: Step, inFlight: ReadonlySet<string>): boolean {
  return (
    inFlight.has(step.id) &&
    (step.status === 'pending' || step.status === 'running' || step.status === 'retrying')
  );
}
