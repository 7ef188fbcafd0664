// Expiring a pending request whose time for approval is up, and saying so on its card and thread.
import { decideExpiry } from './approval/policy';
import type { RevocationRequest } from './model';
import { expiredMessage } from './revocation/milestones';
import type { ServiceContext } from './service-context';

/** The expired request when it was (or already is) expired, otherwise undefined. */
export async function expireIfDue(
  ctx: ServiceContext,
  request: RevocationRequest,
): Promise<RevocationRequest | undefined> {
  const { clock, logger, notifier } = ctx.deps;
  if (!decideExpiry(request, clock.now())) return undefined;
  const { document: saved, saved: changed } = await ctx.updater.apply(request.id, (current) =>
    decideExpiry(current, clock.now()),
  );
  if (!saved || !changed) return saved?.status === 'expired' ? saved : undefined;
  logger.info('request expired', { requestId: saved.id });
  ctx.metrics.requestTransition('expired');
  await ctx.record({
    type: 'request.expired',
    requestId: saved.id,
    details: { approvals: saved.approvals.length, requiredApprovals: saved.requiredApprovals },
  });
  await ctx.safely(() => notifier.updateCard(saved), 'card update');
  await ctx.safely(() => notifier.postMilestone(saved, expiredMessage(saved)), 'thread message');
  return saved;
}

/** Marks every pending request whose time is up as expired, and says so on its card. */
export async function expireDue(ctx: ServiceContext): Promise<number> {
  const pending = await ctx.deps.store.listByStatus(['pending']);
  let count = 0;
  for (const request of pending) {
    if (await expireIfDue(ctx, request)) count++;
  }
  return count;
}
