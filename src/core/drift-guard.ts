// The drift guard: a while after a revocation finished, reads the Entra ID and AD accounts again.
// A cloud-only block is undone by the next directory sync when someone re-enables the on-prem
// account, and an admin can re-enable either; nobody would notice until the user signs in.
// Driven by a periodic sweep over the saved requests, so it survives restarts; with several
// instances, whoever saves the result first (compare-and-swap on the request) tells the thread.
import { appendAudit } from './audit-recorder';
import { auditTrailOf } from './audit-trail';
import type { Clock } from './clock';
import { DirectoryError, describeError } from './errors';
import type { DriftCheck, RevocationRequest } from './model';
import type {
  AuditLog,
  EntraDirectory,
  Logger,
  Notifier,
  OnPremDirectory,
  RequestStore,
} from './ports';
import { NO_AUDIT } from './audit-event';
import { RequestUpdater } from './request-updater';
import { withRetry, type RetryPolicy } from './retry';
import { isDriftCheckDue } from './revocation/drift-schedule';
import type { DriftWatch, RegisteredPath } from './paths/access-path';
import type { Connectors } from './paths/connectors';
import { ACCESS_PATHS } from './paths/registry';

export interface DriftGuardDependencies {
  store: RequestStore;
  directory: EntraDirectory;
  onPrem: OnPremDirectory | undefined;
  /** The connectors beyond Microsoft, for a path that watches an account in an app. */
  connectors?: Connectors;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  audit?: AuditLog;
  retryPolicy?: Partial<RetryPolicy>;
  /** The access paths whose disables are read again; all of them unless a test narrows it. */
  paths?: readonly RegisteredPath[];
}

/** What one reading found; undefined when the directory did not answer (the next sweep tries). */
type Finding = Pick<DriftCheck, 'reEnabled' | 'skipped'> & { unreadable?: boolean };

export class DriftGuard {
  private readonly updater: RequestUpdater;
  private sweeping = false;

  /** What each access path watches, in the order the alert names the accounts. */
  private readonly watches: DriftWatch[];

  constructor(private readonly deps: DriftGuardDependencies) {
    this.updater = new RequestUpdater(deps.store);
    this.watches = (deps.paths ?? ACCESS_PATHS)
      .flatMap((path) => (path.drift ? [path.drift] : []))
      .sort((a, b) => a.order - b.order);
  }

  /** Runs every check that is due; returns how many this process completed. */
  async checkDue(): Promise<number> {
    // One sweep at a time per process: a slow directory must not stack sweeps up.
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const now = this.deps.clock.now();
      const due = (await this.deps.store.listDriftChecksDue(now.toISOString())).filter(
        (request) => request.status !== 'running' && isDriftCheckDue(request, now),
      );
      if (due.length === 0) return 0;
      // Restores are rare; they are read only when a check is about to run.
      const known = await this.deps.store.listByStatus([
        'running',
        'completed',
        'completed_with_failures',
      ]);
      let done = 0;
      for (const request of due) {
        if (await this.check(request, known)) done++;
      }
      return done;
    } finally {
      this.sweeping = false;
    }
  }

  private async check(
    request: RevocationRequest,
    known: readonly RevocationRequest[],
  ): Promise<boolean> {
    const log = this.deps.logger.child({ requestId: request.id });
    const restore = known.find(
      (r) => r.kind === 'restore' && r.followsUp === request.id && r.status !== 'pending',
    );
    const finding: Finding | undefined = restore
      ? { reEnabled: [], skipped: `restored on purpose by ${restore.id}` }
      : await this.read(request, log);
    if (!finding) return false;
    const checkedAt = this.deps.clock.now().toISOString();
    let won = false;
    const saved = await this.updater.update(request.id, (current) => {
      // Called again after a lost compare-and-swap: only the attempt that is saved counts.
      won = false;
      if (!current.driftCheck || current.driftCheck.checkedAt) return undefined;
      won = true;
      const result: DriftCheck = {
        ...current.driftCheck,
        checkedAt,
        reEnabled: finding.reEnabled ?? [],
      };
      if (finding.skipped) result.skipped = finding.skipped;
      return { ...current, driftCheck: result };
    });
    if (!won || !saved?.driftCheck) return false;
    const reEnabled = saved.driftCheck.reEnabled ?? [];
    log[reEnabled.length > 0 ? 'warn' : 'info']('drift check done', {
      reEnabled,
      skipped: finding.skipped,
    });
    await this.record(saved, reEnabled, finding.skipped ?? null);
    await this.safely(() => this.deps.notifier.updateCard(saved), 'card update', log);
    const message = alertText(saved, reEnabled, finding);
    if (message)
      await this.safely(() => this.deps.notifier.postMilestone(saved, message), 'alert', log);
    return true;
  }

  /** Reads back only what the run disabled: an account it did not touch is not its drift. */
  private async read(request: RevocationRequest, log: Logger): Promise<Finding | undefined> {
    const reEnabled: string[] = [];
    try {
      for (const watch of this.watches) {
        const disabled = request.steps.some(
          (s) => s.kind === watch.step && s.status === 'succeeded',
        );
        if (!disabled) continue;
        const account = await watch.reEnabled(request, this.deps, (operation) =>
          this.retrying(operation),
        );
        if (account !== undefined) reEnabled.push(account);
      }
      return { reEnabled };
    } catch (error) {
      if (error instanceof DirectoryError && error.retryable) {
        log.warn('drift check postponed: the directory did not answer', {
          message: error.message,
        });
        return undefined;
      }
      // Permanent (a missing permission, say): said once, rather than retried every sweep.
      return { reEnabled, skipped: `could not read: ${describeError(error)}`, unreadable: true };
    }
  }

  private retrying<T>(operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, {
      clock: this.deps.clock,
      policy: { deadlineMs: 30_000, maxAttempts: 4, ...this.deps.retryPolicy },
    });
  }

  private async record(
    request: RevocationRequest,
    reEnabled: string[],
    skipped: string | null,
  ): Promise<void> {
    await appendAudit(
      auditTrailOf(this.deps.audit ?? NO_AUDIT, this.deps.clock, this.deps.logger),
      {
        type: 'drift.checked',
        at: this.deps.clock.now().toISOString(),
        requestId: request.id,
        details: {
          targetId: request.target.id,
          reEnabled,
          stillDisabled: reEnabled.length === 0 && skipped === null,
          skipped,
        },
      },
      this.deps.logger,
    );
  }

  private async safely(operation: () => Promise<unknown>, what: string, log: Logger) {
    try {
      await operation();
    } catch (error) {
      log.warn(`drift check ${what} failed`, { error: describeError(error) });
    }
  }
}

function alertText(
  request: RevocationRequest,
  reEnabled: readonly string[],
  finding: Finding,
): string | undefined {
  const who = request.target.displayName;
  if (reEnabled.length > 0) {
    return `⚠ Drift check for ${request.id}: the ${reEnabled.join(' and the ')} of ${who} ${reEnabled.length === 1 ? 'is' : 'are'} enabled again after the revocation. Someone re-enabled it, or a directory sync from on-premises AD undid the block. Disable it again now and find out who re-enabled it; \`@Revoke user ${request.target.userPrincipalName}\` followed by a reason starts a new revocation.`;
  }
  if (finding.unreadable) {
    return `Drift check for ${request.id}: the accounts of ${who} could not be read again (${finding.skipped ?? 'unknown error'}). Check by hand that they are still disabled.`;
  }
  return undefined;
}
