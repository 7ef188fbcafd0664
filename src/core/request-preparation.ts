// Preparing a revocation request: who may ask, whether the target may be targeted, what it holds
// (devices, privileged roles, containment and app inventory), and the plan that follows. Nothing
// is saved here, so the dry run and the real request go through exactly the same checks.
import { refuseUnlessRequester } from './access-checks';
import { privilegedRoleNames } from './approval/privileged-roles';
import { RequestRefused } from './errors';
import type { DirectoryUser, Person, RevocationRequest } from './model';
import { pendingRequest } from './pending-request';
import { gatherAppInventory } from './revocation/app-inventory';
import { manualTasks } from './revocation/app-plan';
import { gatherInventory } from './revocation/inventory';
import { buildPlan } from './revocation/plan';
import type { ServiceContext } from './service-context';
import { DEFAULT_LIFETIMES, type RevocationAsk } from './service-settings';
import { isProtectedTarget, targetSnapshot } from './targets';

/** Every check and look-up a request needs, without saving anything. */
export async function prepareRequest(
  ctx: ServiceContext,
  input: RevocationAsk,
): Promise<RevocationRequest> {
  const { directory, settings, clock } = ctx.deps;
  const call = ctx.call;
  await refuseUnlessRequesterOf(ctx, input.requester);
  const user = await call(() => directory.findUser(input.target));
  if (!user) {
    throw new RequestRefused(
      'unknown_user',
      `No user ${input.target} was found in the directory. Check the address and try again.`,
    );
  }
  await refuseIfProtected(ctx, user);
  const devices = await call(() => directory.listRegisteredDevices(user.id));
  const privilegedRoles = privilegedRoleNames(
    await call(() => directory.listDirectoryRoles(user.id)),
  );
  const target = targetSnapshot(user, devices.length);
  if (privilegedRoles.length > 0) target.privilegedRoles = privilegedRoles;
  const profile = input.profile ?? 'termination';
  const options = input.options ?? { retireDevices: false };
  const containment = await gatherInventory(ctx.deps.containment, call, {
    userId: user.id,
    profile,
    options,
    settings: {
      mfaRecentDays: settings.mfaRecentDays ?? 7,
      containmentGroupId: settings.containmentGroupId,
    },
    now: clock.now(),
  });
  const apps = await gatherAppInventory(
    ctx.deps.provisioning,
    ctx.deps.scim,
    call,
    settings.provisioningAppIds ?? [],
  );
  const plan = buildPlan(target, devices, {
    onPremConfigured: settings.onPremConfigured,
    profile,
    containment,
    apps,
  });
  const requiredApprovals = settings.requiredApprovals + (privilegedRoles.length > 0 ? 1 : 0);
  const planNotes =
    privilegedRoles.length > 0
      ? [
          `${target.displayName} holds privileged directory roles (${privilegedRoles.join(', ')}): this request needs ${requiredApprovals} approvals instead of ${settings.requiredApprovals}.`,
          ...plan.notes,
        ]
      : plan.notes;
  const request = pendingRequest(
    {
      id: ctx.newId(),
      now: clock.now(),
      approvalTimeoutMinutes: settings.approvalTimeoutMinutes,
      target,
      reason: input.reason,
      requester: input.requester,
      requiredApprovals,
      plan: { steps: plan.steps, notes: planNotes },
      card: { conversationReference: input.conversationReference },
    },
    { kind: 'revocation', profile, options, lifetimes: settings.lifetimes ?? DEFAULT_LIFETIMES },
  );
  const tasks = manualTasks(settings.manualTasks ?? []);
  if (tasks.length > 0) request.manualTasks = tasks;
  return request;
}

/** Throws RequestRefused (and logs) unless `requester` may ask for a revocation. */
export function refuseUnlessRequesterOf(ctx: ServiceContext, requester: Person): Promise<void> {
  const { directory, settings, logger } = ctx.deps;
  return refuseUnlessRequester(directory, ctx.call, settings.requesterGroupId, requester, logger);
}

async function refuseIfProtected(ctx: ServiceContext, user: DirectoryUser): Promise<void> {
  const { settings, directory, logger } = ctx.deps;
  const isProtected = await isProtectedTarget(user, settings, (id, groups) =>
    ctx.call(() => directory.memberGroups(id, groups)),
  );
  if (isProtected) {
    logger.warn('protected account targeted', { targetId: user.id });
    throw new RequestRefused(
      'protected_target',
      `${user.displayName} is a protected account (break-glass or service identity) and cannot be revoked by Revoke. Use your emergency-access procedure instead.`,
    );
  }
}
