// Saving a new request and posting its card: the thread's, and the manager's personal copy when
// manager approval is on. A request whose card cannot be posted is cancelled at once: nobody could
// approve it, and a pending request nobody can see must not linger until it expires.
import { CARD_NOT_POSTED_REASON, cancelForUnpostedCard, cardNotPosted } from './card-not-posted';
import type { RequestRefused } from './errors';
import type { Person, RevocationRequest } from './model';
import type { PersonalCardResult } from './ports';
import type { ServiceContext } from './service-context';
import { startOutreach } from './outreach/outreach-state';

export async function saveAndPost(
  ctx: ServiceContext,
  asked: RevocationRequest,
  requester: Person,
): Promise<RevocationRequest> {
  const request = withOutreach(ctx, asked);
  const target = request.target;
  const requiredApprovals = request.requiredApprovals;
  const privilegedRoles = target.privilegedRoles ?? [];
  // Recorded before it is saved: a request whose record cannot be written is never made
  // (AuditUnavailable reaches the requester), so no approver can act on an unrecorded request.
  await ctx.recordOrRefuse({
    type: 'request.created',
    requestId: request.id,
    actorId: requester.id,
    details: {
      targetId: target.id,
      targetUpn: target.userPrincipalName,
      reason: request.reason,
      kind: request.kind ?? 'revocation',
      profile: request.profile ?? 'termination',
      followsUp: request.followsUp ?? null,
      requiredApprovals,
      privilegedRoles,
      steps: request.steps.map((step) => step.id),
    },
  });
  try {
    await ctx.deps.store.create(request);
  } catch (error) {
    // The trail now holds a request that was not saved: say so there too.
    await ctx.record({
      type: 'request.refused',
      requestId: request.id,
      actorId: requester.id,
      details: { code: 'not_saved', target: target.id },
    });
    throw error;
  }
  ctx.metrics.requestTransition('pending');
  ctx.deps.logger.info('revocation requested', {
    requestId: request.id,
    targetId: target.id,
    requesterId: requester.id,
  });
  let cardActivityId: string | undefined;
  try {
    cardActivityId = await ctx.deps.notifier.postRequestCard(request);
  } catch (error) {
    throw await cancelUnposted(ctx, request, error);
  }
  // From the request as just created: read again only if a click changed it in the meantime.
  const saved = await ctx.updater.updateFrom(request, (current) =>
    cardActivityId ? { ...current, card: { ...current.card, cardActivityId } } : undefined,
  );
  return (await offerToManager(ctx, saved ?? request)) ?? saved ?? request;
}

/**
 * The reminders, escalation and pages the request will get, saved with it so that they survive a
 * restart and happen once across instances (core/outreach).
 */
function withOutreach(ctx: ServiceContext, request: RevocationRequest): RevocationRequest {
  const settings = ctx.deps.settings.outreach;
  const pagers = (ctx.deps.pagers ?? []).map((pager) => pager.name);
  const outreach = startOutreach(
    request,
    {
      personalCards: settings?.personalCards ?? false,
      reminderMinutes: settings?.reminderMinutes ?? 0,
      escalation: settings?.escalation,
      pagers,
    },
    new Date(request.createdAt),
  );
  return outreach ? { ...request, outreach } : request;
}

/**
 * Marks a request whose card could not be posted as cancelled (audited), and returns the refusal
 * that tells the requester so. The connector's own error goes to the log only.
 */
async function cancelUnposted(
  ctx: ServiceContext,
  request: RevocationRequest,
  postError: unknown,
): Promise<RequestRefused> {
  const cancelled = await cancelForUnpostedCard(
    ctx.updater,
    'request',
    request,
    postError,
    ctx.deps,
  );
  if (!cancelled) return cardNotPosted('request', request.id, false, postError);
  ctx.metrics.requestTransition('cancelled');
  await ctx.record({
    type: 'request.cancelled',
    requestId: request.id,
    details: { reason: CARD_NOT_POSTED_REASON },
  });
  return cardNotPosted('request', request.id, true, postError);
}

/**
 * With ALLOW_MANAGER_APPROVAL, a termination's card also goes to the target's manager in a
 * personal chat: they may not be in the SOC's channel. When they cannot be reached the thread is
 * told, so nobody waits for an approval that cannot come.
 */
async function offerToManager(
  ctx: ServiceContext,
  request: RevocationRequest,
): Promise<RevocationRequest | undefined> {
  const { notifier, settings, directory } = ctx.deps;
  if (
    settings.allowManagerApproval !== true ||
    !notifier.postPersonalCard ||
    (request.kind ?? 'revocation') !== 'revocation' ||
    (request.profile ?? 'termination') !== 'termination' ||
    request.batchId !== undefined
  )
    return undefined;
  let manager: Person | undefined;
  let result: PersonalCardResult;
  try {
    manager = await ctx.retrying(() => directory.getManager(request.target.id));
    if (!manager || manager.id.toLowerCase() === request.requester.id.toLowerCase())
      return undefined;
    result = await notifier.postPersonalCard(request, manager);
  } catch (error) {
    result = { unreachable: error instanceof Error ? error.message : String(error) };
  }
  if (!manager) return undefined;
  await ctx.record({
    type: 'manager.notified',
    requestId: request.id,
    details: {
      managerId: manager.id,
      reached: 'location' in result,
      reason: 'unreachable' in result ? result.unreachable.slice(0, 200) : null,
    },
  });
  if ('unreachable' in result) {
    ctx.deps.logger.warn('manager not reachable in a personal chat', {
      requestId: request.id,
      managerId: manager.id,
      reason: result.unreachable,
    });
    await ctx.safely(
      () =>
        notifier.postMilestone(
          request,
          `The approval card could not be sent to ${manager.name}, the manager of ${request.target.displayName}, in a personal chat (${result.unreachable}). They can approve here in this thread if they can see it; otherwise ${request.requiredApprovals} approvers from the approver group must approve.`,
        ),
      'thread message',
    );
    return undefined;
  }
  const managerCard = { ...result.location, managerId: manager.id };
  return ctx.updater.update(request.id, (current) => ({ ...current, managerCard }));
}
