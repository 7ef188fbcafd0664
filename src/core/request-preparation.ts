// Preparing a revocation: who may ask, whether the target may be targeted, what it holds (devices,
// privileged roles, containment and app inventory), the plan that follows and how many approvals
// it needs. A single request and every member of a batch go through `prepareTarget`, so a step
// kind planned for one is planned for the other. Nothing is saved here, so the dry run and the real
// request go through exactly the same checks.
import { refuseUnlessRequester } from './access-checks';
import { privilegedRoleNames } from './approval/privileged-roles';
import type { Clock } from './clock';
import { RequestRefused } from './errors';
import type { RetryingLookup } from './retrying-lookup';
import type {
  DirectoryUser,
  Person,
  RevocationOptions,
  RevocationProfile,
  RevocationRequest,
  TargetSnapshot,
} from './model';
import type { Logger } from './ports';
import { manualTasks } from './manual-tasks';
import type {
  GatherContext,
  GatheredPath,
  PathSettings,
  RegisteredPath,
} from './paths/access-path';
import { pathPortsOf, type PathPorts } from './paths/path-ports';
import { ACCESS_PATHS } from './paths/registry';
import { SharedLookups } from './paths/shared-lookups';
import { pendingRequest } from './pending-request';
import { buildPlan, type Plan } from './revocation/plan';
import type { ServiceContext } from './service-context';
import { DEFAULT_LIFETIMES, type RevocationAsk } from './service-settings';
import { isProtectedTarget, targetSnapshot, type Protection } from './targets';

export interface PreparationSettings extends Protection, PathSettings {
  requiredApprovals: number;
}

/** What preparing one target reads from; a batch shares one for all its members. */
export interface Preparation {
  ports: PathPorts;
  retrying: RetryingLookup;
  clock: Clock;
  logger: Logger;
  settings: PreparationSettings;
  /** Look-ups shared by the targets of this preparation (a batch names its apps once). */
  shared: SharedLookups;
  /** Every access path, unless a test narrows them. */
  paths?: readonly RegisteredPath[];
}

export interface PreparedTarget {
  target: TargetSnapshot;
  plan: Plan;
  /** The setting, plus one when the target holds a privileged directory role. */
  requiredApprovals: number;
  /** Why `requiredApprovals` is above the setting, when it is. */
  approvalNotes: string[];
}

/**
 * Looks up one target and plans its revocation: every access path gathers what it would touch,
 * then plans. Throws RequestRefused ('unknown_user', 'protected_target', or 'bad_command' for a
 * profile the deployment cannot run) and the directory's errors as they come.
 */
export async function prepareTarget(
  preparation: Preparation,
  input: { address: string; profile: RevocationProfile; options: RevocationOptions },
): Promise<PreparedTarget> {
  const { ports, settings, clock, retrying } = preparation;
  const { directory } = ports;
  const user = await retrying(() => directory.findUser(input.address));
  if (!user) {
    throw new RequestRefused(
      'unknown_user',
      `No user ${input.address} was found in the directory. Check the address and try again.`,
    );
  }
  await refuseIfProtected(preparation, user);
  const privilegedRoles = privilegedRoleNames(
    await retrying(() => directory.listDirectoryRoles(user.id)),
  );
  const gathered = await gatherPaths(preparation.paths ?? ACCESS_PATHS, {
    ...ports,
    user,
    profile: input.profile,
    options: input.options,
    settings,
    now: clock.now(),
    retrying,
    shared: (key, lookup) => preparation.shared.get(key, lookup),
  });
  const target = targetSnapshot(user, 0);
  for (const path of gathered) Object.assign(target, path.targetFacts);
  if (privilegedRoles.length > 0) target.privilegedRoles = privilegedRoles;
  const plan = buildPlan(target, gathered, input.profile);
  // Taking away a privileged role's holder's access is itself a privileged act: one more person.
  const requiredApprovals = settings.requiredApprovals + (privilegedRoles.length > 0 ? 1 : 0);
  const approvalNotes =
    privilegedRoles.length > 0
      ? [
          `${target.displayName} holds privileged directory roles (${privilegedRoles.join(', ')}): this request needs ${requiredApprovals} approvals instead of ${settings.requiredApprovals}.`,
        ]
      : [];
  return { target, plan, requiredApprovals, approvalNotes };
}

/** Every path's look-ups at once, in registry order; a path with nothing to plan is left out. */
async function gatherPaths(
  paths: readonly RegisteredPath[],
  context: GatherContext,
): Promise<GatheredPath[]> {
  const gathered = await Promise.all(paths.map((path) => path.gather(context)));
  return gathered.filter((path): path is GatheredPath => path !== undefined);
}

/** Every check and look-up a single request needs, without saving anything. */
export async function prepareRequest(
  ctx: ServiceContext,
  input: RevocationAsk,
): Promise<RevocationRequest> {
  const { settings, clock } = ctx.deps;
  await refuseUnlessRequesterOf(ctx, input.requester);
  const profile = input.profile ?? 'termination';
  const options = input.options ?? { retireDevices: false };
  const prepared = await prepareTarget(
    {
      ports: pathPortsOf(ctx.deps),
      retrying: ctx.retrying,
      clock,
      logger: ctx.deps.logger,
      settings,
      shared: new SharedLookups(),
    },
    { address: input.target, profile, options },
  );
  const { target, plan, requiredApprovals } = prepared;
  const request = pendingRequest(
    {
      id: ctx.newId(),
      now: clock.now(),
      approvalTimeoutMinutes: settings.approvalTimeoutMinutes,
      target,
      reason: input.reason,
      requester: input.requester,
      requiredApprovals,
      plan: { steps: plan.steps, notes: [...prepared.approvalNotes, ...plan.notes] },
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
  return refuseUnlessRequester(
    directory,
    ctx.retrying,
    settings.requesterGroupId,
    requester,
    logger,
  );
}

async function refuseIfProtected(preparation: Preparation, user: DirectoryUser): Promise<void> {
  const { settings, logger, retrying } = preparation;
  const { directory } = preparation.ports;
  const isProtected = await isProtectedTarget(user, settings, (id, groups) =>
    retrying(() => directory.memberGroups(id, groups)),
  );
  if (isProtected) {
    logger.warn('protected account targeted', { targetId: user.id });
    throw new RequestRefused(
      'protected_target',
      `${user.displayName} is a protected account (break-glass or service identity) and cannot be revoked by Revoke. Use your emergency-access procedure instead.`,
    );
  }
}
