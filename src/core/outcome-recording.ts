// The audit events and metrics that follow an action on a request's card or checklist.
import type { Outcome } from './approval/policy';
import type { Person, RevocationRequest } from './model';
import type { CardAction } from './action-result';
import type { ServiceContext } from './service-context';

export async function recordOutcome(
  ctx: ServiceContext,
  outcome: Outcome,
  request: RevocationRequest,
  person: Person,
): Promise<void> {
  const base = { requestId: request.id, actorId: person.id };
  switch (outcome) {
    case 'approval_recorded':
    case 'approved': {
      const mine = request.approvals.find((a) => a.approver.id === person.id);
      await ctx.record({
        ...base,
        type: 'approval.recorded',
        details: {
          as: mine?.as ?? 'approver',
          approvals: request.approvals.length,
          requiredApprovals: request.requiredApprovals,
        },
      });
      if (outcome === 'approved') {
        await ctx.record({
          ...base,
          type: 'request.approved',
          details: { approvers: request.approvals.map((a) => a.approver.id) },
        });
      }
      return;
    }
    case 'rejected':
      await ctx.record({ ...base, type: 'request.rejected', details: {} });
      return;
    case 'retry_started':
      await ctx.record({
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

export function recordRefusal(
  ctx: ServiceContext,
  action: CardAction | 'taskDone',
  requestId: string,
  person: Person,
  code: string,
): Promise<void> {
  return ctx.record({
    type: 'action.refused',
    requestId,
    actorId: person.id,
    details: { action, code },
  });
}

export function countOutcome(
  ctx: ServiceContext,
  outcome: Outcome,
  request: RevocationRequest,
): void {
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
