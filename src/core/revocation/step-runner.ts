// Runs one step of a run: claims it (only from pending), calls its action with retries and
// re-checks of lagging read-backs, and saves the result. Every write after the claim is fenced,
// so a stale run that lost the step to another one neither repeats nor overwrites it.
import { appendAudit } from '../audit-recorder';
import { DirectoryError } from '../errors';
import type { Clock } from '../clock';
import type { RevocationRequest, Step } from '../model';
import type { AuditLog, EntraDirectory, Logger, Metrics, OnPremDirectory } from '../ports';
import type { ContainmentDirectory, OnPremRestore } from '../containment-ports';
import type { AppProvisioning, ScimApps } from '../app-ports';
import type { AuditEvent, AuditValue } from '../audit-event';
import { withRetry, type RetryEvent, type RetryPolicy } from '../retry';
import type { RequestUpdater } from '../request-updater';
import { STEP_ACTIONS, stepActions } from '../paths/registry';
import type { RegisteredPath } from '../paths/access-path';
import type { Connectors } from '../paths/connectors';
import type { StepAction, StepContext } from './step-context';
import type { StepResult } from './step-result';
import { isVerificationFailure } from './step-helpers';
import { holdsClaim, StepSaveFailed, StepSuperseded, type StepClaim } from './step-fence';
import { stepFailedMessage } from './milestones';
import { auditErrorFields, errorFields, toStepError } from './error-fields';
import type { RunNotices } from './run-notices';

export interface StepRunnerDependencies {
  updater: RequestUpdater;
  directory: EntraDirectory;
  onPrem: OnPremDirectory | undefined;
  containment?: ContainmentDirectory;
  onPremRestore?: OnPremRestore;
  provisioning?: AppProvisioning;
  scim?: ScimApps;
  connectors?: Connectors;
  /** Whose step kinds run here; all the registry's unless a test adds a path. */
  paths?: readonly RegisteredPath[];
  clock: Clock;
  logger: Logger;
  retryPolicy?: Partial<RetryPolicy>;
  audit: AuditLog;
  metrics: Metrics;
  notices: RunNotices;
  /** Whether shutdown has started: a step about to wait for a retry stops instead. */
  stopping: () => boolean;
  /** Resolves when shutdown starts; a retry wait (Retry-After can be tens of seconds) races it. */
  stopped: Promise<void>;
  /** Told of every step state saved: the run's watchdog counts that as progress. */
  progressed?: (requestId: string) => void;
}

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

export class StepRunner {
  private readonly actions: ReadonlyMap<string, StepAction>;

  constructor(private readonly deps: StepRunnerDependencies) {
    this.actions = deps.paths ? stepActions(deps.paths) : STEP_ACTIONS;
  }

  /** Never rejects: a task that threw would end the run while other steps' calls still run. */
  async run(requestId: string, stepId: string, log: Logger): Promise<void> {
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
            verification: undefined,
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
      if (this.deps.stopping()) throw new StoppedForShutdown();
      const retrying = await save((s) => ({
        ...s,
        status: 'retrying',
        attempts: s.attempts + 1,
        error: toStepError(error),
      }));
      if (!retrying) throw new StepSuperseded();
      claim.attempts = retrying.step.attempts;
      stepLog.warn('step retrying', { attempt, delayMs, error: errorFields(error) });
      this.deps.metrics.retried(step.kind, error.kind === 'throttled' ? 'throttled' : 'transient');
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
      request,
      directory: this.deps.directory,
      onPrem: this.deps.onPrem,
      containment: this.deps.containment,
      onPremRestore: this.deps.onPremRestore,
      provisioning: this.deps.provisioning,
      scim: this.deps.scim,
      connectors: this.deps.connectors,
      // Keys already saved win: a repeated step must not overwrite the true prior state.
      remember: async (facts) => {
        if (!(await save((s) => ({ ...s, facts: { ...facts, ...s.facts } })))) {
          throw new StepSuperseded();
        }
      },
      retrying: (operation) =>
        withRetry(operation, {
          clock: this.interruptibleClock,
          policy: this.deps.retryPolicy,
          onRetry,
        }),
    };

    let result: StepResult;
    try {
      // Read-backs may lag the write they check (Graph, Intune and Identity Protection apply some
      // asynchronously): the whole idempotent step is repeated. Only verification failures here;
      // other faults were already retried call by call.
      const action = actionFor(this.actions, step.kind);
      result = await withRetry(() => action(context), {
        clock: this.interruptibleClock,
        policy: { ...this.deps.retryPolicy, ...VERIFICATION_RETRY },
        retryIf: isVerificationFailure,
        onRetry,
      });
    } catch (error) {
      await this.stepEndedWithoutResult(requestId, step, error, save, startedAt, stepLog);
      return;
    }
    const { outcome, verification } = result;
    const succeeded = await save((s) => ({
      ...s,
      status: 'succeeded',
      finishedAt: this.deps.clock.now().toISOString(),
      error: undefined,
      outcome,
      verification,
    }));
    if (!succeeded) {
      stepLog.warn('step result dropped: another run took the step over', { outcome });
      return;
    }
    stepLog.info('step succeeded', { outcome, verification: verification.state });
    this.deps.metrics.stepFinished(step.kind, 'succeeded', this.msSince(startedAt));
    // The audit record says how far the outcome was checked, not only that the step ended.
    await this.record(
      requestId,
      'step.succeeded',
      step,
      {
        outcome,
        verification: verification.state,
        ...(verification.state === 'verified' ? {} : { notVerifiedBecause: verification.why }),
      },
      stepLog,
    );
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
      verification: undefined,
    }));
    if (!failed) {
      stepLog.warn('step failure dropped: another run took the step over', {
        error: errorFields(error),
      });
      return;
    }
    stepLog.error('step failed', { error: errorFields(error) });
    this.deps.metrics.stepFinished(step.kind, 'failed', this.msSince(startedAt));
    await this.record(requestId, 'step.failed', step, auditErrorFields(error), stepLog);
    await this.deps.notices.milestone(failed.request, stepFailedMessage(failed.step), stepLog);
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
        this.deps.stopped.then(() => {
          throw new StoppedForShutdown();
        }),
      ]),
  };

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
    this.deps.progressed?.(requestId);
    await this.deps.notices.refreshCard(saved, this.deps.logger.child({ requestId }));
    return { request: saved, step: applied };
  }

  private record(
    requestId: string,
    type: AuditEvent['type'],
    step: Step,
    details: Record<string, AuditValue>,
    log: Logger,
  ): Promise<void> {
    return appendAudit(
      this.deps.audit,
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
}

/** A kind no access path owns (a request saved by another version) fails its step, saying so. */
function actionFor(actions: ReadonlyMap<string, StepAction>, kind: string): StepAction {
  const action = actions.get(kind);
  if (action) return action;
  return () =>
    Promise.reject(
      new DirectoryError(
        'misconfigured',
        `No access path of this version runs steps of kind ${kind}: the request was made by another version of Revoke.`,
      ),
    );
}
