// Runs the steps of an approved request. Each step's state is saved before and after its call,
// so a run interrupted at any point (crash, SIGKILL, redeploy) resumes where it stopped; steps
// are idempotent, so repeating the one that was in flight is safe.
import { appendAudit } from '../audit-recorder';
import { auditTrailOf, type AuditTrail } from '../audit-trail';
import type { Clock } from '../clock';
import type { RevocationRequest, Step } from '../model';
import type {
  AuditLog,
  EntraDirectory,
  Logger,
  Metrics,
  Notifier,
  OnPremDirectory,
  RunLeases,
} from '../ports';
import type { ContainmentDirectory, OnPremRestore } from '../containment-ports';
import type { Connectors } from '../paths/connectors';
import type { RegisteredPath } from '../paths/access-path';
import type { AppProvisioning, ScimApps } from '../app-ports';
import { NOOP_METRICS } from '../noop-metrics';
import { NO_AUDIT } from '../audit-event';
import type { RetryPolicy } from '../retry';
import type { Timers } from '../batch/update-coalescer';
import { readySteps } from './plan';
import { RequestUpdater } from '../request-updater';
import { finishedMessage } from './milestones';
import { driftCheckFor } from './drift-schedule';
import { errorFields } from './error-fields';
import { RunNotices } from './run-notices';
import { StepRunner } from './step-runner';
import { DEFAULT_RUN_STALL_MS, isStallable, StallWatchdog, stalledError } from './run-watchdog';
import { SYSTEM_TIMERS } from '../batch/update-coalescer';

export { toStepError } from './error-fields';

export interface EngineDependencies {
  updater: RequestUpdater;
  directory: EntraDirectory;
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
  /** The connectors beyond Microsoft the access paths act on. */
  connectors?: Connectors;
  /** The access paths whose step kinds the engine runs; all of them unless a test adds one. */
  paths?: readonly RegisteredPath[];
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
  /**
   * At most one card update per request per this many ms (newest state shown, last state sent at
   * once); absent or 0: every step save updates the card.
   */
  cardUpdateIntervalMs?: number;
  /** The timers of that pacing and of the run watchdog; tests pass their own. */
  timers?: Timers;
  /**
   * A run whose steps make no progress (no step changes state) for this long stops waiting: the
   * steps in flight fail with "no progress for N s" and the run ends. Default 300 s; keep it
   * longer than the step deadline.
   */
  runStallMs?: number;
}

export interface LeaseSettings {
  store: RunLeases;
  /** This instance's name in the lease table; unique among the instances alive at once. */
  owner: string;
  ttlMs: number;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export class RevocationEngine {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Runs asked for again while in flight: executed once more when they end. */
  private readonly again = new Set<string>();
  private stopping = false;
  private announceStop: () => void = () => undefined;
  // Resolves when shutdown starts; a retry wait (Retry-After can be tens of seconds) races it.
  private readonly stopped = new Promise<void>((resolve) => (this.announceStop = resolve));

  private readonly notices: RunNotices;
  private readonly steps: StepRunner;
  // Containment first: step records the store cannot take are held and written late.
  private readonly audit: AuditTrail;
  /** The watchdog of each run this process executes, told of every step state saved. */
  private readonly watchdogs = new Map<string, StallWatchdog>();

  constructor(private readonly deps: EngineDependencies) {
    this.audit = auditTrailOf(deps.audit ?? NO_AUDIT, deps.clock, deps.logger);
    this.notices = new RunNotices(deps.notifier, this.metrics, {
      intervalMs: deps.cardUpdateIntervalMs ?? 0,
      now: () => deps.clock.now().getTime(),
      timers: deps.timers,
    });
    this.steps = new StepRunner({
      updater: deps.updater,
      directory: deps.directory,
      onPrem: deps.onPrem,
      containment: deps.containment,
      onPremRestore: deps.onPremRestore,
      provisioning: deps.provisioning,
      scim: deps.scim,
      connectors: deps.connectors,
      paths: deps.paths,
      clock: deps.clock,
      logger: deps.logger,
      retryPolicy: deps.retryPolicy,
      audit: this.audit,
      metrics: this.metrics,
      notices: this.notices,
      stopping: () => this.stopping,
      stopped: this.stopped,
      progressed: (requestId) => this.watchdogs.get(requestId)?.progress(),
    });
  }

  private get metrics(): Metrics {
    return this.deps.metrics ?? NOOP_METRICS;
  }

  /** Starts (or joins) the run of a request; resolves when the run has finished or stopped. */
  run(requestId: string): Promise<void> {
    const existing = this.inFlight.get(requestId);
    if (existing) {
      // The run in flight may be past its last read of the request (saving its end, posting the
      // final card): a caller that has just made the request need work again (a retry of failed
      // steps) would otherwise wait for the next adoption sweep. It is run once more at its end.
      this.again.add(requestId);
      return existing;
    }
    const running = this.executeWhileAsked(requestId).finally(() => {
      this.inFlight.delete(requestId);
      this.again.delete(requestId);
    });
    this.inFlight.set(requestId, running);
    return running;
  }

  /**
   * Executes the run, then again while run() was called during it. A pass on a request with
   * nothing to do (not `running`) saves, audits and posts nothing: a join that changed nothing
   * costs one read of the request (and, with leases, taking and giving back the lease).
   */
  private async executeWhileAsked(requestId: string): Promise<void> {
    do {
      this.again.delete(requestId);
      await this.execute(requestId);
    } while (this.again.has(requestId) && !this.stopping);
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
      // Finished, paused for shutdown, lease lost or failed: a state still waiting for the card's
      // interval is shown now (before another instance may take the run over).
      await this.notices.finalCard(requestId, undefined, log);
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
    const watchdog = new StallWatchdog(
      this.deps.timers ?? SYSTEM_TIMERS,
      this.deps.runStallMs ?? DEFAULT_RUN_STALL_MS,
    );
    this.watchdogs.set(requestId, watchdog);
    try {
      for (;;) {
        // A stall noticed while the request was being read starts nothing new.
        if (this.stopping || lease.lost || watchdog.hasFired) break;
        const startable = readySteps(request.steps).filter((s) => !active.has(s.id));
        for (const step of startable.slice(0, this.deps.concurrency - active.size)) {
          const task = this.steps
            .run(requestId, step.id, log)
            .finally(() => active.delete(step.id));
          active.set(step.id, task);
        }
        if (active.size === 0) {
          // A step can finish while the request is being read (below): the copy read then shows it
          // still running, so the steps waiting for it look blocked. Read again before ending the
          // run, or they would stay pending with nobody to start them.
          const fresh = await this.deps.updater.get(requestId);
          if (fresh?.status !== 'running' || readySteps(fresh.steps).length === 0) break;
          request = fresh;
          continue;
        }
        await Promise.race([...active.values(), watchdog.stalled]);
        if (watchdog.hasFired) break;
        const latest = await this.deps.updater.get(requestId);
        if (!latest || latest.status !== 'running') break;
        request = latest;
      }
    } finally {
      // Also when reading the request failed: the lease is released only after this returns, and
      // must not be while directory calls are still in flight. The watchdog bounds this wait too:
      // a call that never settles must not hold the run (and its lease) for ever.
      await Promise.race([Promise.allSettled(active.values()), watchdog.stalled]);
      watchdog.stop();
      this.watchdogs.delete(requestId);
    }
    if (this.stopping) {
      log.info('run paused for shutdown; it resumes at the next start');
      return;
    }
    if (lease.lost) return;
    if (watchdog.hasFired && active.size > 0) {
      await this.failStalled(requestId, new Set(active.keys()), watchdog.stallMs, log);
      return;
    }
    await this.finish(requestId, log);
  }

  /**
   * Ends a run the watchdog gave up on: the steps still in flight fail with "no progress for N s"
   * and the run finishes with failures, so the card stops showing "Running" and an approver can
   * retry. Steps not started stay "not run"; a retry runs them too. A stalled call that answers
   * later finds its step no longer claimed and changes nothing (step-fence.ts).
   */
  private async failStalled(
    requestId: string,
    inFlight: ReadonlySet<string>,
    stallMs: number,
    log: Logger,
  ): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const error = stalledError(stallMs);
    const stalledIds: string[] = [];
    const finished = await this.deps.updater.update(requestId, (current) => {
      if (current.status !== 'running') return undefined;
      stalledIds.length = 0;
      const steps = current.steps.map((s) => {
        if (!isStallable(s, inFlight)) return s;
        stalledIds.push(s.id);
        return { ...s, status: 'failed' as const, finishedAt: now, error, verification: undefined };
      });
      const driftCheck = driftCheckFor(current, new Date(now), this.deps.driftCheckMinutes);
      return {
        ...current,
        steps,
        status: 'completed_with_failures',
        finishedAt: now,
        ...(driftCheck ? { driftCheck } : {}),
      };
    });
    if (finished?.status !== 'completed_with_failures') return;
    log.error('run stalled: no step made progress; the steps in flight are failed', {
      stallMs,
      steps: stalledIds,
    });
    for (const step of finished.steps.filter((s) => stalledIds.includes(s.id))) {
      const startedAt = Date.parse(step.startedAt ?? now);
      this.metrics.stepFinished(step.kind, 'failed', Date.parse(now) - startedAt);
      await appendAudit(
        this.audit,
        {
          type: 'step.failed',
          at: now,
          requestId,
          details: {
            stepId: step.id,
            kind: step.kind,
            subjectId: step.subject?.id ?? null,
            code: error.code,
            message: error.message,
          },
        },
        log,
      );
    }
    await this.announceFinished({ ...finished, status: finished.status }, now, log, {
      stalledSteps: stalledIds,
    });
  }

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
    if (finished?.status !== 'completed' && finished?.status !== 'completed_with_failures') return;
    await this.announceFinished({ ...finished, status: finished.status }, now, log);
  }

  /** Metrics, the audit record, the final card and the thread message of a finished run. */
  private async announceFinished(
    finished: RevocationRequest & { status: 'completed' | 'completed_with_failures' },
    now: string,
    log: Logger,
    extra: { stalledSteps?: string[] } = {},
  ): Promise<void> {
    const requestId = finished.id;
    log.info('run finished', { status: finished.status });
    this.metrics.requestTransition(finished.status);
    if (finished.runStartedAt) {
      this.metrics.runFinished(
        finished.status,
        Date.parse(now) - Date.parse(finished.runStartedAt),
      );
    }
    const succeeded = finished.steps.filter((s) => s.status === 'succeeded');
    await appendAudit(
      this.audit,
      {
        type: 'run.finished',
        at: now,
        requestId,
        details: {
          status: finished.status,
          failedSteps: finished.steps.filter((s) => s.status === 'failed').map((s) => s.id),
          // What "succeeded" rests on: read back, or only accepted, or no account found.
          unverifiableSteps: succeeded
            .filter((s) => s.verification?.state === 'unverifiable')
            .map((s) => s.id),
          noAccountSteps: succeeded
            .filter((s) => s.verification?.state === 'no_account')
            .map((s) => s.id),
          ...(extra.stalledSteps ? { stalledSteps: extra.stalledSteps } : {}),
        },
      },
      log,
    );
    await this.notices.finalCard(requestId, finished, log);
    await this.notices.milestone(finished, finishedMessage(finished), log);
  }
}

function isInterrupted(step: Step): boolean {
  return step.status === 'running' || step.status === 'retrying';
}
