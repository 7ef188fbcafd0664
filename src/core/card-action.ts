// A click on a request's card: approve, reject or retry. The click is bound to its own request and
// card, the request expired first if its time is up, and the approval policy decides the rest.
import {
  decideApproval,
  decideRejection,
  decideRetry,
  describeLapse,
  remaining,
  wouldComplete,
  type Actor,
  type Decision,
  type Outcome,
  type Rechecked,
} from './approval/policy';
import { decideWithRecheck, type RecheckLookups } from './approval-recheck';
import { RequestRefused } from './errors';
import { restoreOf } from './follow-ups';
import type { Person, RevocationRequest } from './model';
import { approvedMessage, rejectedMessage } from './revocation/milestones';
import {
  accepted,
  isForeignCard,
  refused,
  type ActionOrigin,
  type ActionResult,
  type CardAction,
} from './action-result';
import { countOutcome, recordBeforeSaving, recordRefusal } from './outcome-recording';
import { expireIfDue } from './request-expiry';
import { needsProof, PROOF_NEEDED_MESSAGE, withProof } from './step-up/proof-binding';
import type { ServiceContext } from './service-context';
import { escalatedTo } from './outreach/outreach-state';

export async function handleCardAction(
  ctx: ServiceContext,
  action: CardAction,
  requestId: string,
  person: Person,
  origin: ActionOrigin = {},
): Promise<ActionResult> {
  const log = ctx.deps.logger.child({ requestId, actorId: person.id, action });
  const existing = await ctx.deps.store.get(requestId);
  if (!existing) {
    log.warn('action refused: unknown request');
    await recordRefusal(ctx, action, requestId, person, 'unknown_request');
    throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
  }
  // A member of a batch is approved, rejected and retried only through its batch, where the
  // batch's own rules (no member may approve) apply.
  if (existing.batchId !== undefined) {
    log.warn('action refused: member of a batch', { batchId: existing.batchId });
    await recordRefusal(ctx, action, requestId, person, 'stale_card');
    return refused(
      existing,
      `${existing.id} is part of batch ${existing.batchId}: act on the batch's card.`,
    );
  }
  // Bound to the request's own cards: the thread's, and the manager's copy when there is one.
  if (isForeignCard(existing, origin)) {
    log.warn('action refused: card does not belong to the request', {
      cardActivityId: origin.cardActivityId,
    });
    await recordRefusal(ctx, action, requestId, person, 'stale_card');
    return refused(existing, 'This button does not belong to that request. Nothing was changed.');
  }
  const expired = await expireIfDue(ctx, existing);
  if (expired) {
    await recordRefusal(ctx, action, requestId, person, 'expired');
    return refused(
      expired,
      'This request has expired. Nothing was changed; ask again if access still needs revoking.',
    );
  }

  if (action === 'retry') {
    const restore = await restoreOf(existing, ctx.deps.store);
    if (restore) {
      await recordRefusal(ctx, action, requestId, person, 'nothing_to_retry');
      return refused(
        existing,
        `${existing.id} has been followed by restore ${restore.id}: its failed steps cannot be retried. Ask for a new revocation if access must be revoked again.`,
      );
    }
  }

  // Step-up (APPROVAL_STEP_UP): the Teams edge obtains and checks the proof; here a decision
  // without one never counts, whatever caller made it.
  const proof = origin.proof;
  const open = existing.status === 'pending';
  if (open && needsProof(ctx.deps.settings.approvalStepUp, action) && !proof) {
    log.warn('action refused: no step-up proof');
    await recordRefusal(ctx, action, requestId, person, 'step_up_required');
    return refused(existing, PROOF_NEEDED_MESSAGE);
  }

  const actor = await actorFor(ctx, action, person, existing);
  let decision: Decision | undefined;
  const hooks = recordBeforeSaving(
    ctx,
    action,
    person,
    () => (decision?.ok ? decision.outcome : undefined),
    () => (decision?.ok ? (decision.lapsed ?? []) : []),
  );
  const saved = await decideWithRecheck(ctx.updater, requestId, existing, {
    completes: (seen) => action === 'approve' && wouldComplete(seen),
    lookups: (seen) => recheckLookups(ctx, seen),
    decide: (current, rechecked) => {
      decision = decide(action, current, actor, ctx.deps.clock.now(), rechecked);
      if (proof && action !== 'retry') decision = withProof(decision, person, proof);
      return decision.ok ? decision.request : undefined;
    },
    again: () => decision?.ok === false && decision.code === 'recheck_needed',
    hooks,
  });
  if (!saved || !decision)
    throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
  if (!decision.ok) {
    log.info('action refused', { code: decision.code });
    await recordRefusal(ctx, action, requestId, person, decision.code);
    return refused(saved, decision.message);
  }
  log.info('action accepted', { outcome: decision.outcome });
  countOutcome(ctx, decision.outcome, saved);
  const lapses = (decision.lapsed ?? []).map((lapsed) => `${describeLapse(lapsed)}. `).join('');
  const outcome = decision.outcome;
  const result = outcomeResult(outcome, saved, lapses);
  const afterwards = () => followUp(ctx, outcome, saved);
  if (origin.answerFirst && result.accepted) return { ...result, afterwards };
  await afterwards();
  return result;
}

/** What the clicker is told; the request is saved and audited by now. */
function outcomeResult(outcome: Outcome, saved: RevocationRequest, lapses: string): ActionResult {
  switch (outcome) {
    case 'approval_recorded':
      return accepted(
        saved,
        `Approval recorded. ${lapses}${remaining(saved)} more approver(s) needed.`,
      );
    case 'approved':
      return accepted(
        saved,
        'Approved. The revocation is running now; the card shows its progress.',
      );
    case 'rejected':
      return accepted(saved, 'Rejected. Nothing will be changed.');
    case 'retry_started':
      return accepted(saved, 'Retrying the failed steps.');
    case 'expired':
      return refused(saved, 'This request has expired.');
  }
}

/**
 * What follows a saved decision (an expiry found at the click too), in order: the thread's card
 * shows it, the thread is told, then the run starts, so the run's own card updates come after
 * this one. Card and message are best effort (logged, never thrown) and the run is not awaited:
 * this never rejects.
 */
async function followUp(
  ctx: ServiceContext,
  outcome: Outcome,
  current: RevocationRequest,
): Promise<void> {
  const { notifier } = ctx.deps;
  await ctx.safely(() => notifier.updateCard(current), 'card update');
  if (outcome === 'approved')
    await ctx.safely(
      () => notifier.postMilestone(current, approvedMessage(current)),
      'thread message',
    );
  if (outcome === 'rejected')
    await ctx.safely(
      () => notifier.postMilestone(current, rejectedMessage(current)),
      'thread message',
    );
  if (outcome === 'approved' || outcome === 'retry_started') ctx.startRun(current.id);
}

/** The clicker as the policy sees them; the manager check only when it could matter. */
async function actorFor(
  ctx: ServiceContext,
  action: CardAction,
  person: Person,
  request: RevocationRequest,
): Promise<Actor> {
  const isApprover = await ctx.isApprover(person.id);
  const isEscalationMember =
    !isApprover && action !== 'retry' && (await isEscalationMemberOf(ctx, person.id, request));
  const isManagerOfTarget =
    !isApprover &&
    !isEscalationMember &&
    action === 'approve' &&
    ctx.deps.settings.allowManagerApproval === true &&
    (await isManagerOf(ctx, person.id, request.target.id));
  return { person, isApprover, isManagerOfTarget, isEscalationMember };
}

/**
 * A member of the escalation group, for a request escalated to it. The group is the one configured
 * now: a request escalated to a group the configuration no longer names gives it no say.
 */
export async function isEscalationMemberOf(
  ctx: ServiceContext,
  personId: string,
  request: RevocationRequest,
): Promise<boolean> {
  const groupId = ctx.deps.settings.outreach?.escalation?.groupId;
  if (groupId === undefined || escalatedTo(request) !== groupId) return false;
  const groups = await ctx.retrying(() => ctx.deps.directory.memberGroups(personId, [groupId]));
  return groups.includes(groupId);
}

async function isManagerOf(
  ctx: ServiceContext,
  personId: string,
  targetId: string,
): Promise<boolean> {
  const manager = await ctx.retrying(() => ctx.deps.directory.getManager(targetId));
  return manager !== undefined && manager.id.toLowerCase() === personId.toLowerCase();
}

/** What the re-check needs to know about this request's approvers, looked up when asked. */
function recheckLookups(ctx: ServiceContext, request: RevocationRequest): RecheckLookups {
  return {
    isApprover: (personId) => ctx.isApprover(personId),
    managerApprovalAllowed: ctx.deps.settings.allowManagerApproval === true,
    managerOfTarget: async () =>
      (await ctx.retrying(() => ctx.deps.directory.getManager(request.target.id)))?.id,
    isEscalationMember: (personId) => isEscalationMemberOf(ctx, personId, request),
  };
}

/** One audit record per approval that stopped counting, before the outcome it led to. */

function decide(
  action: CardAction,
  request: RevocationRequest,
  actor: Actor,
  now: Date,
  rechecked: Rechecked,
): Decision {
  switch (action) {
    case 'approve':
      return decideApproval(request, actor, now, rechecked);
    case 'reject':
      return decideRejection(request, actor, now);
    case 'retry':
      return decideRetry(request, actor, now);
  }
}
