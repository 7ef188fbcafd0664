// The two-person rule. Pure functions from (request, who clicked, what we know about them, now)
// to either the next state of the request or a refusal that says why. Nothing here does I/O:
// whether the clicker is an approver is looked up by the caller at click time and passed in.
import type { Approval, LapsedApproval, LapseReason, Person, RevocationRequest } from '../model';
import type { RefusalCode } from '../errors';
import { escalatedTo } from '../outreach/outreach-state';

export interface Actor {
  person: Person;
  /** A transitive member of the approver group, checked at click time. */
  isApprover: boolean;
  /**
   * The target's manager, checked at click time. The caller sets it only when manager approval is
   * enabled (ALLOW_MANAGER_APPROVAL), so the policy needs no setting of its own.
   */
  isManagerOfTarget?: boolean;
  /**
   * A transitive member of the escalation group the request was escalated to, checked at click
   * time. Counts only once the request has been escalated (APPROVAL_ESCALATION_MINUTES).
   */
  isEscalationMember?: boolean;
}

/**
 * What the caller found when it re-checked the approvals already counted, just before the one
 * that would complete the request: per approver id, why the approval no longer counts, or
 * undefined when it still does. An approver missing from it has not been re-checked.
 */
export type Rechecked = ReadonlyMap<string, LapseReason | undefined>;

export type Decision =
  | {
      ok: true;
      request: RevocationRequest;
      outcome: Outcome;
      /** Approvals this decision stopped counting (the final approval's re-check). */
      lapsed?: LapsedApproval[];
    }
  | { ok: false; code: RefusalCode; message: string };

/** Whether an approval by one more person would complete the request: the re-check is due. */
export function wouldComplete(request: RevocationRequest): boolean {
  return request.status === 'pending' && request.approvals.length + 1 >= request.requiredApprovals;
}

/** How the card and the clicker are told why an approval no longer counts. */
export function describeLapse(lapsed: LapsedApproval): string {
  const why: Record<LapseReason, string> = {
    not_approver: 'not in the approver group any more',
    not_manager: "no longer the target's manager",
    manager_approval_off: 'manager approval has been switched off',
    not_escalation: 'not in the escalation group any more',
  };
  return `${lapsed.approver.name}'s approval no longer counts: ${why[lapsed.reason]}`;
}

export type Outcome = 'approval_recorded' | 'approved' | 'rejected' | 'expired' | 'retry_started';

/**
 * Counts the actor's approval. The approval that would complete the request also re-judges the
 * ones already counted from `rechecked` (looked up by the caller just before): an approver who
 * left the group since, or a manager who is no longer the target's manager, no longer counts, and
 * the run starts only if enough approvals remain. Without a re-check of every counted approval,
 * the completing approval is refused with `recheck_needed`: the caller re-checks and decides again.
 */
export function decideApproval(
  request: RevocationRequest,
  actor: Actor,
  now: Date,
  rechecked: Rechecked = new Map(),
): Decision {
  const closed = refuseUnlessOpen(request, now);
  if (closed) return closed;
  const id = actor.person.id;
  if (id === request.requester.id) {
    return refuse(
      'self_approval',
      'You asked for this revocation, so you cannot approve it: two other people must.',
    );
  }
  if (id === request.target.id) {
    return refuse(
      'target_approval',
      'You are the person whose access this request revokes: you cannot approve it.',
    );
  }
  const asEscalation = !actor.isApprover && mayActAsEscalation(request, actor);
  const asManager = !actor.isApprover && !asEscalation && actor.isManagerOfTarget === true;
  if (!actor.isApprover && !asManager && !asEscalation) {
    return refuse('not_authorised', notAuthorised(request, 'approve'));
  }
  if (request.approvals.some((approval) => approval.approver.id === id)) {
    return refuse(
      'already_approved',
      `You have already approved this request; it still needs ${remaining(request)} more approver(s), each a different person.`,
    );
  }
  if (asManager) {
    const refusal = refuseManagerApproval(request);
    if (refusal) return refusal;
  }
  const approval: Approval = {
    approver: actor.person,
    at: now.toISOString(),
    as: asManager ? 'manager' : asEscalation ? 'escalation' : 'approver',
  };
  if (!wouldComplete(request)) {
    return accept({ ...request, approvals: [...request.approvals, approval] }, 'approval_recorded');
  }
  if (request.approvals.some((counted) => !rechecked.has(counted.approver.id))) {
    return refuse(
      'recheck_needed',
      'The approvals changed while they were being checked again. Nothing was changed; please click again.',
    );
  }
  const lapsed: LapsedApproval[] = [];
  const standing: Approval[] = [];
  for (const counted of request.approvals) {
    const reason = lapseOf(request, counted, rechecked.get(counted.approver.id));
    if (reason === undefined) standing.push(counted);
    else lapsed.push({ ...counted, lapsedAt: now.toISOString(), reason });
  }
  const approvals = [...standing, approval];
  const lapsedApprovals =
    lapsed.length > 0 ? { lapsedApprovals: [...(request.lapsedApprovals ?? []), ...lapsed] } : {};
  if (approvals.length < request.requiredApprovals) {
    return accept({ ...request, approvals, ...lapsedApprovals }, 'approval_recorded', lapsed);
  }
  return accept(
    {
      ...request,
      approvals,
      ...lapsedApprovals,
      status: 'running',
      runStartedAt: now.toISOString(),
    },
    'approved',
    lapsed,
  );
}

/**
 * Why a counted approval no longer counts: what the caller found, and the policy's own rule that
 * a manager's approval counts only for a termination (re-judged, so a stored approval that
 * somehow broke it is not trusted either).
 */
function lapseOf(
  request: RevocationRequest,
  counted: Approval,
  found: LapseReason | undefined,
): LapseReason | undefined {
  if (found !== undefined) return found;
  if (counted.as === 'manager' && !isTermination(request)) return 'not_manager';
  if (counted.as === 'escalation' && escalatedTo(request) === undefined) return 'not_escalation';
  return undefined;
}

/** Once a request is escalated, members of the escalation group may approve or reject it too. */
function mayActAsEscalation(request: RevocationRequest, actor: Actor): boolean {
  return actor.isEscalationMember === true && escalatedTo(request) !== undefined;
}

function notAuthorised(request: RevocationRequest, verb: 'approve' | 'reject'): string {
  const who =
    escalatedTo(request) === undefined
      ? 'members of the approver group'
      : 'members of the approver group or of the escalation group';
  return `Only ${who} can ${verb} revocations.`;
}

function isTermination(request: RevocationRequest): boolean {
  return (
    (request.kind ?? 'revocation') === 'revocation' &&
    (request.profile ?? 'termination') === 'termination' &&
    request.batchId === undefined
  );
}

export function decideRejection(request: RevocationRequest, actor: Actor, now: Date): Decision {
  const closed = refuseUnlessOpen(request, now);
  if (closed) return closed;
  // The target must never be able to stop their own revocation, approver or not.
  if (actor.person.id === request.target.id) {
    return refuse(
      'target_approval',
      'You are the person whose access this request revokes: you cannot reject it.',
    );
  }
  if (!actor.isApprover && !mayActAsEscalation(request, actor)) {
    return refuse('not_authorised', notAuthorised(request, 'reject'));
  }
  return accept(
    {
      ...request,
      status: 'rejected',
      rejection: { by: actor.person, at: now.toISOString() },
      finishedAt: now.toISOString(),
    },
    'rejected',
  );
}

/** Marks a pending request as expired once its time is up; undefined when nothing changes. */
export function decideExpiry(request: RevocationRequest, now: Date): RevocationRequest | undefined {
  if (request.status !== 'pending' || !hasExpired(request, now)) return undefined;
  return { ...request, status: 'expired', finishedAt: request.expiresAt };
}

/** Sends the failed steps of a finished run round again. */
export function decideRetry(request: RevocationRequest, actor: Actor, now: Date): Decision {
  if (actor.person.id === request.target.id) {
    return refuse('target_approval', 'You are the person whose access this request revokes.');
  }
  if (!actor.isApprover) {
    return refuse('not_authorised', 'Only members of the approver group can retry failed steps.');
  }
  if (request.status !== 'completed_with_failures') {
    return refuse(
      'nothing_to_retry',
      `There are no failed steps to retry: the request is ${describeStatus(request)}.`,
    );
  }
  const steps = request.steps.map((step) =>
    step.status === 'failed'
      ? {
          ...step,
          status: 'pending' as const,
          error: undefined,
          startedAt: undefined,
          finishedAt: undefined,
        }
      : step,
  );
  return accept(
    {
      ...request,
      steps,
      status: 'running',
      runStartedAt: now.toISOString(),
      finishedAt: undefined,
    },
    'retry_started',
  );
}

export function hasExpired(request: RevocationRequest, now: Date): boolean {
  return now.getTime() >= Date.parse(request.expiresAt);
}

export function remaining(request: RevocationRequest): number {
  return Math.max(0, request.requiredApprovals - request.approvals.length);
}

export function describeStatus(request: RevocationRequest): string {
  switch (request.status) {
    case 'pending':
      return 'waiting for approval';
    case 'running':
      return 'approved and running';
    case 'completed':
      return 'finished';
    case 'completed_with_failures':
      return 'finished with failures';
    case 'rejected':
      return `rejected by ${request.rejection?.by.name ?? 'an approver'}`;
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'cancelled';
  }
}

/**
 * A manager (who is not an approver) may fill one slot, never more, and never the last one while
 * no approver has approved: the approver group stays in every decision, and a manager who is
 * also the attacker's accomplice cannot be the majority.
 */
function refuseManagerApproval(request: RevocationRequest): Decision | undefined {
  // A manager vouches for a leaver, nothing more: not for a compromised account (the manager may
  // be part of the incident), a restore, an irreversible wipe, or a whole batch.
  if (!isTermination(request)) {
    return refuse(
      'not_authorised',
      "A manager's approval counts only for a termination; this request needs members of the approver group.",
    );
  }
  if (request.approvals.some((approval) => approval.as === 'manager')) {
    return refuse(
      'manager_already_counted',
      "A manager's approval has already been counted for this request; the others must come from the approver group.",
    );
  }
  const byApprovers = request.approvals.filter((approval) => approval.as !== 'manager').length;
  if (byApprovers === 0 && request.approvals.length + 1 >= request.requiredApprovals) {
    return refuse(
      'manager_cannot_complete',
      "As the target's manager your approval can add to an approver's, but cannot complete the request alone: a member of the approver group must approve too.",
    );
  }
  return undefined;
}

function refuseUnlessOpen(request: RevocationRequest, now: Date): Decision | undefined {
  if (request.status !== 'pending') {
    return refuse(
      'not_pending',
      `This request is already ${describeStatus(request)}: it accepts no more approvals or rejections.`,
    );
  }
  if (hasExpired(request, now)) {
    return refuse(
      'expired',
      'This request has expired. Ask again with a new `user` command if access still needs revoking.',
    );
  }
  return undefined;
}

function accept(
  request: RevocationRequest,
  outcome: Outcome,
  lapsed: LapsedApproval[] = [],
): Decision {
  return lapsed.length > 0
    ? { ok: true, request, outcome, lapsed }
    : { ok: true, request, outcome };
}

function refuse(code: RefusalCode, message: string): Decision {
  return { ok: false, code, message };
}
