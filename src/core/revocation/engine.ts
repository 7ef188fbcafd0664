// Runs the steps of an approved request. Each step's state is saved before and after its call,
// so a run interrupted at any point (crash, SIGKILL, redeploy) resumes where it stopped; steps
// are idempotent, so repeating the one that was in flight is safe.
import type { Clock } from '../clock';
import { describeError, DirectoryError } from '../errors';
import type { RevocationRequest, Step, StepError } from '../model';
import type { Directory, Logger, Notifier, OnPremDirectory } from '../ports';
import { withRetry, type RetryPolicy } from '../retry';
import { readySteps } from './plan';
import { STEP_ACTIONS } from './step-actions';
import { RequestUpdater } from '../request-updater';
import { finishedMessage, stepFailedMessage } from './milestones';

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
}

export class RevocationEngine {
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(private readonly deps: EngineDependencies) {}

  /** Starts (or joins) the run of a request; resolves when the run has finished or stopped. */
  run(requestId: string): Promise<void> {
    const existing = this.inFlight.get(requestId);
    if (existing) return existing;
    const running = this.execute(requestId).finally(() => this.inFlight.delete(requestId));
    this.inFlight.set(requestId, running);
    return running;
  }

  /** Stops starting new steps and waits for those in flight to save their result. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  get activeRuns(): number {
    return this.inFlight.size;
  }

  private async execute(requestId: string): Promise<void> {
    const log = this.deps.logger.child({ requestId });
    // Steps left running by an interrupted run are run again: they are idempotent.
    let request = await this.deps.updater.update(requestId, (current) =>
      current.status === 'running' && current.steps.some(isInterrupted)
        ? {
            ...current,
            steps: current.steps.map((s) => (isInterrupted(s) ? { ...s, status: 'pending' } : s)),
          }
        : undefined,
    );
    if (!request || request.status !== 'running') return;
    log.info('run started', { steps: request.steps.length });

    const active = new Map<string, Promise<void>>();
    for (;;) {
      if (this.stopping) break;
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
    await Promise.allSettled(active.values());
    if (this.stopping) {
      log.info('run paused for shutdown; it resumes at the next start');
      return;
    }
    await this.finish(requestId, log);
  }

  private async runStep(requestId: string, stepId: string, log: Logger): Promise<void> {
    const startedAt = this.deps.clock.now();
    const started = await this.saveStep(requestId, stepId, (step) => ({
      ...step,
      status: 'running',
      attempts: step.attempts + 1,
      startedAt: startedAt.toISOString(),
      finishedAt: undefined,
      error: undefined,
    }));
    const step = started?.steps.find((s) => s.id === stepId);
    if (!started || !step) return;
    const stepLog = log.child({ step: stepId });
    stepLog.info('step started', { kind: step.kind, attempt: step.attempts });
    try {
      const outcome = await STEP_ACTIONS[step.kind]({
        target: started.target,
        step,
        directory: this.deps.directory,
        onPrem: this.deps.onPrem,
        call: (operation) =>
          withRetry(operation, {
            clock: this.deps.clock,
            policy: this.deps.retryPolicy,
            onRetry: async ({ attempt, delayMs, error }) => {
              stepLog.warn('step retrying', { attempt, delayMs, error: errorFields(error) });
              await this.saveStep(requestId, stepId, (s) => ({
                ...s,
                status: 'retrying',
                attempts: s.attempts + 1,
                error: toStepError(error),
              }));
            },
          }),
      });
      await this.saveStep(requestId, stepId, (s) => ({
        ...s,
        status: 'succeeded',
        finishedAt: this.deps.clock.now().toISOString(),
        error: undefined,
        outcome,
      }));
      stepLog.info('step succeeded', { outcome });
    } catch (error) {
      stepLog.error('step failed', { error: errorFields(error) });
      const failed = await this.saveStep(requestId, stepId, (s) => ({
        ...s,
        status: 'failed',
        finishedAt: this.deps.clock.now().toISOString(),
        error: toStepError(error),
      }));
      const failedStep = failed?.steps.find((s) => s.id === stepId);
      if (failed && failedStep)
        await this.milestone(failed, stepFailedMessage(failedStep), stepLog);
    }
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
      return {
        ...current,
        status: failed ? 'completed_with_failures' : 'completed',
        finishedAt: now,
      };
    });
    if (
      !finished ||
      (finished.status !== 'completed' && finished.status !== 'completed_with_failures')
    )
      return;
    log.info('run finished', { status: finished.status });
    await this.refreshCard(finished, log);
    await this.milestone(finished, finishedMessage(finished), log);
  }

  private async saveStep(
    requestId: string,
    stepId: string,
    change: (step: Step) => Step,
  ): Promise<RevocationRequest | undefined> {
    const saved = await this.deps.updater.update(requestId, (current) =>
      current.status === 'running'
        ? { ...current, steps: current.steps.map((s) => (s.id === stepId ? change(s) : s)) }
        : undefined,
    );
    if (saved) await this.refreshCard(saved, this.deps.logger.child({ requestId }));
    return saved;
  }

  // A card or thread update that fails must never fail the revocation itself.
  private async refreshCard(request: RevocationRequest, log: Logger): Promise<void> {
    try {
      await this.deps.notifier.updateCard(request);
    } catch (error) {
      log.warn('card update failed', { error: errorFields(error) });
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
