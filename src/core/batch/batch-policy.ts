// The two-person rule on a batch is the single-request rule (decideApproval, decideRejection), run
// on a stand-in request that carries the batch's approvals, so the two cannot drift apart. What a
// batch adds: "the target" is every member, so none of them may approve, reject or retry it; and
// manager approval does not apply (a batch has no single manager).
import type { Approval, LapsedApproval, RevocationRequest } from '../model';
import type { RefusalCode } from '../errors';
import { decideApproval, decideRejection, type Actor, type Rechecked } from '../approval/policy';
import type { BatchRequest } from './batch-model';

export type BatchDecision =
  | {
      ok: true;
      batch: BatchRequest;
      outcome: 'approval_recorded' | 'approved' | 'rejected';
      lapsed?: LapsedApproval[];
    }
  | { ok: false; code: RefusalCode; message: string };

/** As decideApproval, with the same re-check of counted approvals before the completing one. */
export function decideBatchApproval(
  batch: BatchRequest,
  actor: Actor,
  now: Date,
  rechecked: Rechecked = new Map(),
): BatchDecision {
  const member = refuseMember(batch, actor, 'approve');
  if (member) return member;
  const decision = decideApproval(
    standIn(batch),
    { ...actor, isManagerOfTarget: false },
    now,
    rechecked,
  );
  if (!decision.ok)
    return { ok: false, code: decision.code, message: batchWording(decision.message) };
  if (decision.outcome !== 'approval_recorded' && decision.outcome !== 'approved') {
    return { ok: false, code: 'not_pending', message: 'This batch accepts no more approvals.' };
  }
  const lapsed = decision.lapsed ? { lapsed: decision.lapsed } : {};
  return {
    ok: true,
    batch: fromStandIn(batch, decision.request),
    outcome: decision.outcome,
    ...lapsed,
  };
}

/** Whether one more approval would complete the batch: the counted ones are re-checked first. */
export function batchWouldComplete(batch: BatchRequest): boolean {
  return batch.status === 'pending' && batch.approvals.length + 1 >= batch.requiredApprovals;
}

export function decideBatchRejection(batch: BatchRequest, actor: Actor, now: Date): BatchDecision {
  const member = refuseMember(batch, actor, 'reject');
  if (member) return member;
  const decision = decideRejection(standIn(batch), actor, now);
  if (!decision.ok)
    return { ok: false, code: decision.code, message: batchWording(decision.message) };
  return { ok: true, batch: fromStandIn(batch, decision.request), outcome: 'rejected' };
}

/** Who may retry a batch's failed children: the rule of decideRetry plus "no member". */
export function refuseBatchRetry(batch: BatchRequest, actor: Actor): BatchDecision | undefined {
  return refuseMember(batch, actor, 'retry');
}

export function decideBatchExpiry(batch: BatchRequest, now: Date): BatchRequest | undefined {
  if (batch.status !== 'pending' || now.getTime() < Date.parse(batch.expiresAt)) return undefined;
  return { ...batch, status: 'expired', finishedAt: batch.expiresAt };
}

export function remainingForBatch(batch: BatchRequest): number {
  return Math.max(0, batch.requiredApprovals - batch.approvals.length);
}

function refuseMember(
  batch: BatchRequest,
  actor: Actor,
  verb: 'approve' | 'reject' | 'retry',
): BatchDecision | undefined {
  const id = actor.person.id.toLowerCase();
  if (!batch.members.some((m) => m.targetId.toLowerCase() === id)) return undefined;
  return {
    ok: false,
    code: 'target_approval',
    message: `You are one of the people whose access this batch revokes: you cannot ${verb} it.`,
  };
}

/** Only the fields the policy reads matter; the target is nobody, members were checked above. */
function standIn(batch: BatchRequest): RevocationRequest {
  return {
    id: batch.id,
    version: batch.version,
    status: batch.status,
    target: {
      id: `batch:${batch.id}`,
      userPrincipalName: '',
      displayName: `${batch.members.length} users`,
      onPremisesSynced: false,
      deviceCount: 0,
    },
    reason: batch.reason,
    requester: batch.requester,
    createdAt: batch.createdAt,
    expiresAt: batch.expiresAt,
    requiredApprovals: batch.requiredApprovals,
    approvals: batch.approvals,
    ...(batch.lapsedApprovals ? { lapsedApprovals: batch.lapsedApprovals } : {}),
    rejection: batch.rejection,
    steps: [],
    planNotes: [],
    card: batch.card,
  };
}

function fromStandIn(batch: BatchRequest, decided: RevocationRequest): BatchRequest {
  const approvals: Approval[] = decided.approvals;
  return {
    ...batch,
    status: decided.status,
    approvals,
    ...(decided.lapsedApprovals ? { lapsedApprovals: decided.lapsedApprovals } : {}),
    rejection: decided.rejection,
    runStartedAt: decided.runStartedAt,
    finishedAt: decided.finishedAt,
  };
}

function batchWording(message: string): string {
  return message.replace(/this request/g, 'this batch').replace(/this revocation/g, 'this batch');
}
