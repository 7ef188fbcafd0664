// The audit events and metrics that follow an action on a request's card or checklist.
import type { Outcome } from './approval/policy';
import type { Approval, LapsedApproval, Person, Rejection, RevocationRequest } from './model';
import { proofDetails } from './step-up/proof-binding';
import type { CardAction } from './action-result';
import type { RecordAudit } from './audit-recorder';
import type { AuditValue } from './audit-event';
import type { SaveHooks } from './request-updater';
import type { SaveHooks as DocumentSaveHooks, Versioned } from './versioned-updater';
import type { ServiceContext } from './service-context';

/**
 * The audit records of an accepted click, written before its new state is saved: an approval,
 * rejection or retry whose record cannot be written throws AuditUnavailable and is not saved.
 * A record already written for a click that then did not count (a second record failed, or the
 * save lost to a concurrent click) is followed by an `action.refused` that says so.
 */
export function recordBeforeSaving(
  ctx: ServiceContext,
  action: CardAction,
  person: Person,
  outcomeOf: () => Outcome | undefined,
  lapsesOf: () => readonly LapsedApproval[] = () => [],
): SaveHooks {
  return auditBeforeSaving<RevocationRequest>(
    async (next) => {
      const outcome = outcomeOf();
      if (outcome === undefined) return;
      await recordLapses(ctx.recordOrRefuse, next.id, lapsesOf(), person);
      await recordOutcome(ctx, outcome, next, person);
    },
    (next, code) => recordRefusal(ctx, action, next.id, person, code),
  );
}

/**
 * The save hooks of a click on a request or a batch: `records` writes what the click must leave in
 * the trail before it is saved; when that fails, or the save loses to another writer, `refuse`
 * records why the click did not count ('audit_unavailable' then rethrows, so nothing is saved).
 */
export function auditBeforeSaving<T extends Versioned>(
  records: (next: T) => Promise<void>,
  refuse: (next: T, code: 'audit_unavailable' | 'concurrent_change') => Promise<void>,
): DocumentSaveHooks<T> {
  return {
    async beforeSave(next) {
      try {
        await records(next);
      } catch (error) {
        await refuse(next, 'audit_unavailable');
        throw error;
      }
    },
    notSaved: (next) => refuse(next, 'concurrent_change'),
  };
}

/**
 * Records the approvals the final approval's re-check no longer counts (removed from the group, a
 * manager who no longer is), for a request or a batch, through the recorder that must succeed.
 */
export async function recordLapses(
  record: RecordAudit,
  requestId: string,
  lapsed: readonly LapsedApproval[],
  person: Person,
  extra: { batch?: true } = {},
): Promise<void> {
  for (const lapse of lapsed) {
    await record({
      type: 'approval.lapsed',
      requestId,
      actorId: person.id,
      details: {
        ...extra,
        approverId: lapse.approver.id,
        as: lapse.as ?? 'approver',
        approvedAt: lapse.at,
        reason: lapse.reason,
      },
    });
  }
}

async function recordOutcome(
  ctx: ServiceContext,
  outcome: Outcome,
  request: RevocationRequest,
  person: Person,
): Promise<void> {
  const base = { requestId: request.id, actorId: person.id };
  switch (outcome) {
    case 'approval_recorded':
    case 'approved':
    case 'rejected':
      await recordDecision(ctx.recordOrRefuse, outcome, request, person);
      return;
    case 'retry_started':
      await ctx.recordOrRefuse({
        ...base,
        type: 'run.retry',
        details: {
          steps: request.steps.filter((s) => s.status === 'pending').map((s) => s.id),
        },
      });
      return;
    case 'expired':
      return;
  }
}

/**
 * The records of an accepted approval or rejection, of a request or (with `batch`) of a batch,
 * written through the recorder that must succeed: one `approval.recorded` per approval, and one
 * `request.approved` for the approval that completes it.
 */
export async function recordDecision(
  record: RecordAudit,
  outcome: 'approval_recorded' | 'approved' | 'rejected',
  decided: {
    id: string;
    approvals: readonly Approval[];
    requiredApprovals: number;
    rejection?: Rejection;
  },
  person: Person,
  batch?: { children: string[] },
): Promise<void> {
  const base = { requestId: decided.id, actorId: person.id };
  const extra: Record<string, AuditValue> = batch ? { batch: true } : {};
  if (outcome === 'rejected') {
    const stepUp = proofDetails(decided.rejection?.stepUp);
    await record({ ...base, type: 'request.rejected', details: { ...extra, ...stepUp } });
    return;
  }
  const mine = decided.approvals.find((a) => a.approver.id === person.id);
  await record({
    ...base,
    type: 'approval.recorded',
    details: {
      ...extra,
      ...proofDetails(mine?.stepUp),
      as: mine?.as ?? 'approver',
      approvals: decided.approvals.length,
      requiredApprovals: decided.requiredApprovals,
    },
  });
  if (outcome === 'approved') {
    await record({
      ...base,
      type: 'request.approved',
      details: {
        ...extra,
        approvers: decided.approvals.map((a) => a.approver.id),
        ...(batch ? { children: batch.children } : {}),
      },
    });
  }
}

export function recordRefusal(
  ctx: ServiceContext,
  action: CardAction | 'taskDone',
  requestId: string,
  person: Person,
  code: string,
): Promise<void> {
  return recordActionRefused(ctx.record, action, requestId, person, code);
}

/** The `action.refused` record of a click on a request or (with `{ batch: true }`) a batch. */
export function recordActionRefused(
  record: RecordAudit,
  action: string,
  requestId: string,
  person: Person,
  code: string,
  extra: { batch?: true } = {},
): Promise<void> {
  return record({
    type: 'action.refused',
    requestId,
    actorId: person.id,
    details: { ...extra, action, code },
  });
}

export function countOutcome(
  ctx: ServiceContext,
  outcome: Outcome,
  request: RevocationRequest,
): void {
  const first = request.approvals[0];
  const firstEver = request.approvals.length === 1 && (request.lapsedApprovals ?? []).length === 0;
  if ((outcome === 'approval_recorded' || outcome === 'approved') && first && firstEver) {
    ctx.metrics.firstApprovalTime(Date.parse(first.at) - Date.parse(request.createdAt));
  }
  if (outcome === 'approved') {
    ctx.metrics.requestTransition('running');
    const approvedAt = request.runStartedAt ?? ctx.deps.clock.now().toISOString();
    ctx.metrics.approvalTime(Date.parse(approvedAt) - Date.parse(request.createdAt));
  } else if (outcome === 'retry_started') {
    ctx.metrics.requestTransition('running');
  } else if (outcome === 'rejected') {
    ctx.metrics.requestTransition('rejected');
  }
}
