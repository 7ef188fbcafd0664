// What the pieces of RevokeService share: its dependencies, with the defaults filled in, and the
// helpers every use case calls (directory look-ups, audit, best-effort notices, starting a run).
import { auditRecorder, requiredAuditRecorder, type RecordAudit } from './audit-recorder';
import { isApprover } from './access-checks';
import { bestEffort } from './best-effort';
import { retryingLookup, type RetryingLookup } from './retrying-lookup';
import { NO_AUDIT } from './audit-event';
import { NOOP_METRICS } from './noop-metrics';
import type { Metrics } from './ports';
import { RequestUpdater } from './request-updater';
import { newRequestId } from './request-id';
import type { ServiceDependencies } from './service-settings';

export interface ServiceContext {
  readonly deps: ServiceDependencies;
  readonly updater: RequestUpdater;
  readonly newId: () => string;
  readonly metrics: Metrics;
  /** Runs a directory look-up, retried with a short deadline because a person waits. */
  readonly retrying: RetryingLookup;
  /**
   * For what happens anyway (refusals, expiry, notices): a record the store cannot take is held
   * and written late, never thrown.
   */
  readonly record: RecordAudit;
  /** For what counts only once recorded (requests, approvals, rejections, retries, restores). */
  readonly recordOrRefuse: RecordAudit;
  /** Card updates and thread messages are best effort: a failure is logged, never thrown. */
  safely(operation: () => Promise<unknown>, what: string): Promise<void>;
  isApprover(personId: string): Promise<boolean>;
  /** Starts the engine on a request without waiting for the run. */
  startRun(requestId: string): void;
}

export function serviceContext(deps: ServiceDependencies): ServiceContext {
  const metrics = deps.metrics ?? NOOP_METRICS;
  const retrying = retryingLookup(deps.clock, deps.retryPolicy, metrics);
  return {
    deps,
    updater: new RequestUpdater(deps.store),
    newId: deps.newId ?? newRequestId,
    metrics,
    retrying,
    record: auditRecorder(deps.audit ?? NO_AUDIT, deps.clock, deps.logger),
    recordOrRefuse: requiredAuditRecorder(deps.audit ?? NO_AUDIT, deps.clock, deps.logger),
    async safely(operation, what) {
      const done = await bestEffort(deps.logger, what, operation);
      if (!done && what === 'card update') metrics.cardUpdateFailed();
    },
    isApprover: (personId) =>
      isApprover(deps.directory, retrying, deps.settings.approverGroupId, personId),
    startRun(requestId) {
      deps.engine.run(requestId).catch((error: unknown) => {
        deps.logger.error('run stopped by an unexpected error; it resumes at the next start', {
          requestId,
          error: error instanceof Error ? error.message : String(error),
        });
      });
    },
  };
}
