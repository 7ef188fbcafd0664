// Runs the steps of an approved request. Each step's state is saved before and after its call,
// so a run interrupted at any point (crash, SIGKILL, redeploy) resumes where it stopped; steps
// are idempotent, so repeating the one that was in flight is safe.
import { appendAudit } from '../audit-recorder';
import type { Clock } from '../clock';
import { describeError, DirectoryError } from '../errors';
import type { RevocationRequest, Step, StepError } from '../model';
import type {
  AuditLog,
  Directory,
  Logger,
  Metrics,
  Notifier,
  OnPremDirectory,
  RunLeases,
} from '../ports';
import type { ContainmentDirectory, OnPremRestore } from '../containment-ports';
import type { AppProvisioning, ScimApps } from '../app-ports';
import { NOOP_METRICS } from '../noop-metrics';
import { NO_AUDIT, type AuditEvent, type AuditValue } from '../audit-event';
import { withRetry, type RetryEvent, type RetryPolicy } from '../retry';
import { readySteps } from './plan';
import { STEP_ACTIONS, type StepContext } from './step-actions';
import { isVerificationFailure } from './step-helpers';
import { holdsClaim, StepSaveFailed, StepSuperseded, type StepClaim } from './step-fence';
import { RequestUpdater } from '../request-updater';
import { finishedMessage, stepFailedMessage } from './milestones';
import { driftCheckFor } from './drift-schedule';

export interface EngineDependencies {
  updater: RequestUpdater;
  directory: Directory;
  onPrem: OnPremDirectory | undefined;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  /** How many steps may call the directories at once. */
  concurrency: number;
  retryPolicy?: Partial<RetryPolicy>;
  /** Containment, device and restore steps; without it those steps fail as misconfigured. */
  containment?: ContainmentDirectory;
  onPremRestore?: OnPremRestore;
  /** App deprovisioning steps; without them those steps fail as misconfigured. */
  provisioning?: AppProvisioning;
  scim?: ScimApps;
  /** Where step starts and results are recorded for the audit trail. */
  audit?: AuditLog;
  /** Step timings, retries and card failures for operators. */
  metrics?: Metrics;
  /** How long shutdown waits for directory calls in flight before it gives up on them. */
  shutdownGraceMs?: number;
  /**
   * With several instances on one store: a run is executed only by the holder of its lease, which
   * is renewed while the run goes on. Absent, this process runs whatever it is asked to.
   */
  leases?: LeaseSettings;
  /** Minutes after a revocation finishes that its accounts are read again; absent or 0: never. */
  driftCheckMinutes?: number;
}

export interface LeaseSettings {
  store: RunLeases;
  /** This instance's name in the lease table; unique among the instances alive at once. */
  owner: string;
  ttlMs: number;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/**
 * Repeats of a whole step whose read-back did not show its write yet. Replication lag is seconds,
 * so the first wait is longer than a call's; the step's deadline still bounds the total.
 */
const VERIFICATION_RETRY: Partial<RetryPolicy> = { maxAttempts: 4, baseDelayMs: 2_000 };

interface SavedStep {
  request: RevocationRequest;
  step: Step;
}

/** Thrown into a step that was waiting to retry when the process was told to stop. */
class StoppedForShutdown extends Error {
  constructor() {
    super('stopped for shutdown');
    this.name = 'StoppedForShutdown';
  }
}

export class RevocationEngine {
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopping = false;
  private announceStop: () => void = () => undefined;
  // Resolves when shutdown starts; a retry wait (Retry-After can be tens of seconds) races it.
  private readonly stopped = new Promise<void>((resolve) => (this.announceStop = resolve));

  constructor(private readonly deps: EngineDependencies) {}

  private get metrics(): Metrics {
    return this.deps.metrics ?? NOOP_METRICS;
  }

  /** Starts (or joins) the run of a request; resolves when the run has finished or stopped. */
  run(requestId: string): Promise<void> {
    const existing = this.inFlight.get(requestId);
    if (existing) return existing;
    const running = this.execute(requestId).finally(() => this.inFlight.delete(requestId));
    this.inFlight.set(requestId, running);
    return running;
  }

  /**
   * Stops starting new steps, cuts retry waits short, and waits (up to the grace period) for
   * calls in flight to save their result. A step still in flight after that is put back to
   * pending, so the database never shows a step `running` that no process is running; the next
   * start repeats it, which is safe because steps are idempotent.
   */
  async shutdown(): Promise<void> {
    this.stopping = true;
    this.announceStop();
    const runs = [...this.inFlight.entries()];
    let timer: NodeJS.Timeout | undefined;
    const finishedInTime = await Promise.race([
      Promise.allSettled(runs.map(([, run]) => run)).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(
          () => resolve(false),
          this.deps.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
        );
      }),
    ]);
    clearTimeout(timer);
    if (finishedInTime) return;
    for (const [requestId] of runs) {
      const log = this.deps.logger.child({ requestId });
      try {
        await this.releaseInterrupted(requestId);
        await this.releaseLease(requestId, log);
        log.warn('step still in flight at shutdown; it runs again at the next start');
      } catch (error) {
        log.error('could not release in-flight steps at shutdown', { error: errorFields(error) });
      }
    }
  }

  get activeRuns(): number {
    return this.inFlight.size;
  }

  /** Whether this process is executing the request's run right now. */
  isRunning(requestId: string): boolean {
    return this.inFlight.has(requestId);
  }

  /** Puts the steps an interrupted run left running back to pending. */
  private releaseInterrupted(requestId: string): Promise<RevocationRequest | undefined> {
    return this.deps.updater.update(requestId, (current) =>
      current.status === 'running' && current.steps.some(isInterrupted)
        ? {
            ...current,
            steps: current.steps.map((s) => (isInterrupted(s) ? { ...s, status: 'pending' } : s)),
          }
        : undefined,
    );
  }

  private async execute(requestId: string): Promise<void> {
    const log = this.deps.logger.child({ requestId });
    const leases = this.deps.leases;
    if (leases && !(await leases.store.acquireRunLease(requestId, leases.owner, leases.ttlMs))) {
      log.debug('run owned by another instance');
      return;
    }
    const lease = this.keepLease(requestId, log);
    try {
      await this.executeHoldingLease(requestId, log, lease);
    } finally {
      lease.stop();
      // Also when paused for shutdown: another instance may resume it at once.
      if (!lease.lost) await this.releaseLease(requestId, log);
    }
  }

  /**
   * Renews the lease every third of its lifetime. Losing it (this process stalled past the expiry
   * and another instance took over) stops new steps here; steps in flight still save their
   * result, which is safe because the new owner's repeat of them is idempotent.
   */
  private keepLease(requestId: string, log: Logger): { lost: boolean; stop(): void } {
    const leases = this.deps.leases;
    const state = { lost: false, stop: () => undefined as void };
    if (!leases) return state;
    let renewing = false;
    const timer = setInterval(
      () => {
        if (renewing || state.lost) return;
        renewing = true;
        leases.store
          .renewRunLease(requestId, leases.owner, leases.ttlMs)
          .then((kept) => {
            if (!kept) {
              state.lost = true;
              log.warn('run lease lost to another instance; it continues the run');
            }
          })
          .catch((error: unknown) =>
            log.warn('run lease renewal failed', { error: errorFields(error) }),
          )
          .finally(() => (renewing = false));
      },
      Math.max(50, Math.floor(leases.ttlMs / 3)),
    );
    timer.unref();
    state.stop = () => clearInterval(timer);
    return state;
  }

  private async releaseLease(requestId: string, log: Logger): Promise<void> {
    const leases = this.deps.leases;
    if (!leases) return;
    try {
      await leases.store.releaseRunLease(requestId, leases.owner);
    } catch (error) {
      // It expires on its own; another instance waits that long at most.
      log.warn('run lease release failed', { error: errorFields(error) });
    }
  }

  private async executeHoldingLease(
    requestId: string,
    log: Logger,
    lease: { lost: boolean },
  ): Promise<void> {
    // Steps left running by an interrupted run are run again: they are idempotent.
    let request = await this.releaseInterrupted(requestId);
    if (!request || request.status !== 'running') return;
    log.info('run started', { steps: request.steps.length, owner: this.deps.leases?.owner });

    const active = new Map<string, Promise<void>>();
    try {
      for (;;) {
        if (this.stopping || lease.lost) break;
        const startable = readySteps(request.steps).filter((s) => !active.has(s.id));
        for (const step of startable.slice(0, this.deps.concurrency - active.size)) {
          const task = this.runStep(requestId, step.id, log).finally(() => active.delete(step.id));
          active.set(step.id, task);
        }
        if (active.size === 0) break;
        await Promise.race(active.values());
        const latest = await this.deps.updater.get(requestId);
        if (!latest || latest.status !== 'running') break;
        request = latest;
      }
    } finally {
      // Also when reading the request failed: the lease is released only after this returns, and
      // must not be while directory calls are still in flight.
      await Promise.allSettled(active.values());
    }
    if (this.stopping) {
      log.info('run paused for shutdown; it resumes at the next start');
      return;
    }
    if (lease.lost) return;
    await this.finish(requestId, log);
  }

  /** Never rejects: a task that threw would end the run while other steps' calls still run. */
  private async runStep(requestId: string, stepId: string, log: Logger): Promise<void> {
    const stepLog = log.child({ step: stepId });
    try {
      await this.runClaimedStep(requestId, stepId, stepLog);
    } catch (error) {
      stepLog.error('step state could not be saved; the step resumes at the next run', {
        error: errorFields(error instanceof StepSaveFailed ? error.cause : error),
      });
    }
  }

  private async runClaimedStep(requestId: string, stepId: string, stepLog: Logger): Promise<void> {
    const startedAt = this.deps.clock.now();
    // Only from pending: a stale run that read the step before another took it must not repeat it.
    const started = await this.saveStep(requestId, stepId, (step) =>
      step.status === 'pending'
        ? {
            ...step,
            status: 'running',
            attempts: step.attempts + 1,
            startedAt: startedAt.toISOString(),
            finishedAt: undefined,
            error: undefined,
          }
        : undefined,
    );
    if (!started) {
      stepLog.info('step not started: it is no longer pending (another run has it)');
      return;
    }
    const { request, step } = started;
    const claim: StepClaim = { attempts: step.attempts };
    const save = async (change: (s: Step) => Step): Promise<SavedStep | undefined> => {
      try {
        return await this.saveStep(requestId, stepId, (s) =>
          holdsClaim(s, claim) ? change(s) : undefined,
        );
      } catch (error) {
        throw new StepSaveFailed(error);
      }
    };
    stepLog.info('step started', { kind: step.kind, attempt: step.attempts });
    await this.record(requestId, 'step.started', step, { attempt: step.attempts }, stepLog);

    const onRetry = async ({ attempt, delayMs, error }: RetryEvent): Promise<void> => {
      if (this.stopping) throw new StoppedForShutdown();
      const retrying = await save((s) => ({
        ...s,
        status: 'retrying',
        attempts: s.attempts + 1,
        error: toStepError(error),
      }));
      if (!retrying) throw new StepSuperseded();
      claim.attempts = retrying.step.attempts;
      stepLog.warn('step retrying', { attempt, delayMs, error: errorFields(error) });
      this.metrics.retried(step.kind, error.kind === 'throttled' ? 'throttled' : 'transient');
      await this.record(
        requestId,
        'step.retrying',
        step,
        { attempt, delayMs, ...auditErrorFields(error) },
        stepLog,
      );
    };
    const context: StepContext = {
      target: request.target,
      step,
      directory: this.deps.directory,
      onPrem: this.deps.onPrem,
      containment: this.deps.containment,
      onPremRestore: this.deps.onPremRestore,
      provisioning: this.deps.provisioning,
      scim: this.deps.scim,
      // Keys already saved win: a repeated step must not overwrite the true prior state.
      remember: async (facts) => {
        if (!(await save((s) => ({ ...s, facts: { ...facts, ...s.facts } })))) {
          throw new StepSuperseded();
        }
      },
      call: (operation) =>
        withRetry(operation, {
          clock: this.interruptibleClock,
          policy: this.deps.retryPolicy,
          onRetry,
        }),
    };

    let outcome: string;
    try {
      // Read-backs may lag the write they check (Graph, Intune and Identity Protection apply some
      // asynchronously): the whole idempotent step is repeated. Only verification failures here;
      // other faults were already retried call by call.
      outcome = await withRetry(() => STEP_ACTIONS[step.kind](context), {
        clock: this.interruptibleClock,
        policy: { ...this.deps.retryPolicy, ...VERIFICATION_RETRY },
        retryIf: isVerificationFailure,
        onRetry,
      });
    } catch (error) {
      await this.stepEndedWithoutResult(requestId, step, error, save, startedAt, stepLog);
      return;
    }
    const succeeded = await save((s) => ({
      ...s,
      status: 'succeeded',
      finishedAt: this.deps.clock.now().toISOString(),
      error: undefined,
      outcome,
    }));
    if (!succeeded) {
      stepLog.warn('step result dropped: another run took the step over', { outcome });
      return;
    }
    stepLog.info('step succeeded', { outcome });
    this.metrics.stepFinished(step.kind, 'succeeded', this.msSince(startedAt));
    await this.record(requestId, 'step.succeeded', step, { outcome }, stepLog);
  }

  /** A step action that threw: paused for shutdown, taken over, or failed. */
  private async stepEndedWithoutResult(
    requestId: string,
    step: Step,
    error: unknown,
    save: (change: (s: Step) => Step) => Promise<SavedStep | undefined>,
    startedAt: Date,
    stepLog: Logger,
  ): Promise<void> {
    if (error instanceof StepSaveFailed) throw error;
    if (error instanceof StepSuperseded) {
      stepLog.warn('step taken over by another run; this run stopped it without acting further');
      return;
    }
    if (error instanceof StoppedForShutdown) {
      // Not a failure: the step was waiting to try again. The next start runs it.
      await save((s) => ({ ...s, status: 'pending' }));
      stepLog.info('step paused for shutdown');
      return;
    }
    const failed = await save((s) => ({
      ...s,
      status: 'failed',
      finishedAt: this.deps.clock.now().toISOString(),
      error: toStepError(error),
    }));
    if (!failed) {
      stepLog.warn('step failure dropped: another run took the step over', {
        error: errorFields(error),
      });
      return;
    }
    stepLog.error('step failed', { error: errorFields(error) });
    this.metrics.stepFinished(step.kind, 'failed', this.msSince(startedAt));
    await this.record(requestId, 'step.failed', step, auditErrorFields(error), stepLog);
    await this.milestone(failed.request, stepFailedMessage(failed.step), stepLog);
  }

  private msSince(start: Date): number {
    return this.deps.clock.now().getTime() - start.getTime();
  }

  /** The engine's clock, but a retry wait ends early (by throwing) when shutdown starts. */
  private readonly interruptibleClock: Clock = {
    now: () => this.deps.clock.now(),
    sleep: (ms) =>
      Promise.race([
        this.deps.clock.sleep(ms),
        this.stopped.then(() => {
          throw new StoppedForShutdown();
        }),
      ]),
  };

  private async finish(requestId: string, log: Logger): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const finished = await this.deps.updater.update(requestId, (current) => {
      if (
        current.status !== 'running' ||
        current.steps.some((s) => s.status !== 'succeeded' && s.status !== 'failed')
      ) {
        return undefined;
      }
      const failed = current.steps.some((s) => s.status === 'failed');
      // Scheduled in the same write that finishes the run: a crash cannot lose it.
      const driftCheck = driftCheckFor(current, new Date(now), this.deps.driftCheckMinutes);
      return {
        ...current,
        status: failed ? 'completed_with_failures' : 'completed',
        finishedAt: now,
        ...(driftCheck ? { driftCheck } : {}),
      };
    });
    if (
      !finished ||
      (finished.status !== 'completed' && finished.status !== 'completed_with_failures')
    )
      return;
    log.info('run finished', { status: finished.status });
    this.metrics.requestTransition(finished.status);
    if (finished.runStartedAt) {
      this.metrics.runFinished(
        finished.status,
        Date.parse(now) - Date.parse(finished.runStartedAt),
      );
    }
    await this.appendAudit(
      {
        type: 'run.finished',
        at: now,
        requestId,
        details: {
          status: finished.status,
          failedSteps: finished.steps.filter((s) => s.status === 'failed').map((s) => s.id),
        },
      },
      log,
    );
    await this.refreshCard(finished, log);
    await this.milestone(finished, finishedMessage(finished), log);
  }

  /** Applies `change` to the step; undefined when it declined or the run is not running. */
  private async saveStep(
    requestId: string,
    stepId: string,
    change: (step: Step) => Step | undefined,
  ): Promise<SavedStep | undefined> {
    let applied: Step | undefined;
    const saved = await this.deps.updater.update(requestId, (current) => {
      const step = current.steps.find((s) => s.id === stepId);
      applied = current.status === 'running' && step ? change(step) : undefined;
      const next = applied;
      return next
        ? { ...current, steps: current.steps.map((s) => (s.id === stepId ? next : s)) }
        : undefined;
    });
    if (!saved || !applied) return undefined;
    await this.refreshCard(saved, this.deps.logger.child({ requestId }));
    return { request: saved, step: applied };
  }

  private record(
    requestId: string,
    type: AuditEvent['type'],
    step: Step,
    details: Record<string, AuditValue>,
    log: Logger,
  ): Promise<void> {
    return this.appendAudit(
      {
        type,
        at: this.deps.clock.now().toISOString(),
        requestId,
        details: {
          stepId: step.id,
          kind: step.kind,
          subjectId: step.subject?.id ?? null,
          ...details,
        },
      },
      log,
    );
  }

  private appendAudit(event: AuditEvent, log: Logger): Promise<void> {
    return appendAudit(this.deps.audit ?? NO_AUDIT, event, log);
  }

  // A card or thread update that fails must never fail the revocation itself.
  private async refreshCard(request: RevocationRequest, log: Logger): Promise<void> {
    try {
      await this.deps.notifier.updateCard(request);
    } catch (error) {
      log.warn('card update failed', { error: errorFields(error) });
      this.metrics.cardUpdateFailed();
    }
  }

  private async milestone(request: RevocationRequest, text: string, log: Logger): Promise<void> {
    try {
      await this.deps.notifier.postMilestone(request, text);
    } catch (error) {
      log.warn('thread message failed', { error: errorFields(error) });
    }
  }
}

function isInterrupted(step: Step): boolean {
  return step.status === 'running' || step.status === 'retrying';
}

export function toStepError(error: unknown): StepError {
  if (error instanceof DirectoryError) {
    const message = error.advice ? `${error.message} ${error.advice}` : error.message;
    return { code: error.code ?? error.kind, message };
  }
  return { code: 'internal', message: describeError(error) };
}

/** Only codes and the directory's request id: an error message may quote what the caller sent. */
function auditErrorFields(error: unknown): Record<string, AuditValue> {
  if (error instanceof DirectoryError) {
    return {
      errorKind: error.kind,
      errorCode: error.code ?? null,
      directoryRequestId: error.requestId ?? null,
    };
  }
  return { errorKind: 'internal', errorCode: null, directoryRequestId: null };
}

function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof DirectoryError) {
    return {
      kind: error.kind,
      code: error.code,
      message: error.message,
      requestId: error.requestId,
    };
  }
  return { message: describeError(error) };
}
