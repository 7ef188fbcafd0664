// Turns a list of addresses into the children of a batch: each looked up, checked against the
// protected accounts and planned exactly as a single request would be. Several lookups run at once
// (the RateGate in front of the directory keeps them within Graph's limits).
import type { Clock } from '../clock';
import { DirectoryError, RequestRefused } from '../errors';
import type { DirectoryUser, RevocationRequest, TargetSnapshot } from '../model';
import type { Directory, Logger } from '../ports';
import { privilegedRoleNames } from '../approval/privileged-roles';
import { withRetry, type RetryPolicy } from '../retry';
import { buildPlan } from '../revocation/plan';
import type { AppInventory } from '../revocation/app-plan';
import type { BatchMember, SkippedEntry } from './batch-model';
import { isProtectedTarget, targetSnapshot } from '../targets';

export interface LookupSettings {
  protectedUsers: string[];
  protectedGroupId?: string;
  onPremConfigured: boolean;
}

export interface LookedUp {
  children: RevocationRequest[];
  members: BatchMember[];
  skipped: SkippedEntry[];
}

export interface LookupContext {
  directory: Directory;
  clock: Clock;
  logger: Logger;
  settings: LookupSettings;
  retryPolicy?: Partial<RetryPolicy>;
  concurrency: number;
  /** The apps every child is deprovisioned from: the same for all, so looked up once per batch. */
  apps?: AppInventory;
  /** Fills in the batch-specific fields of a child (id, batch link, approvals, card). */
  child: (target: TargetSnapshot, plan: ReturnType<typeof buildPlan>) => RevocationRequest;
}

export async function lookUpTargets(
  addresses: readonly string[],
  context: LookupContext,
): Promise<LookedUp> {
  const results: (RevocationRequest | SkippedEntry)[] = new Array(addresses.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < addresses.length; index = next++) {
      const address = addresses[index] as string;
      results[index] = await lookUpOne(address, context);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, context.concurrency) }, worker));
  const children: RevocationRequest[] = [];
  const members: BatchMember[] = [];
  const skipped: SkippedEntry[] = [];
  const seenTargets = new Set<string>();
  results.forEach((result, index) => {
    if (!('steps' in result)) {
      skipped.push(result);
      return;
    }
    const child = result;
    // The same person listed by UPN and by mail.
    if (seenTargets.has(child.target.id)) {
      skipped.push({ entry: addresses[index] as string, reason: 'duplicate_target' });
      return;
    }
    seenTargets.add(child.target.id);
    children.push(child);
    members.push({
      requestId: child.id,
      targetId: child.target.id,
      userPrincipalName: child.target.userPrincipalName,
      displayName: child.target.displayName,
      deviceCount: child.target.deviceCount,
      privilegedRoles: child.target.privilegedRoles,
    });
  });
  return { children, members, skipped };
}

async function lookUpOne(
  address: string,
  context: LookupContext,
): Promise<RevocationRequest | SkippedEntry> {
  const { directory, settings } = context;
  const call = <T>(operation: () => Promise<T>) =>
    withRetry(operation, {
      clock: context.clock,
      policy: { deadlineMs: 30_000, maxAttempts: 4, ...context.retryPolicy },
    });
  try {
    const user = await call(() => directory.findUser(address));
    if (!user) return { entry: address, reason: 'unknown_user' };
    if (await isProtected(user, context, call)) {
      context.logger.warn('protected account listed in a batch', { targetId: user.id });
      return { entry: address, reason: 'protected_target' };
    }
    const devices = await call(() => directory.listRegisteredDevices(user.id));
    const privilegedRoles = privilegedRoleNames(
      await call(() => directory.listDirectoryRoles(user.id)),
    );
    const target = targetSnapshot(user, devices.length);
    if (privilegedRoles.length > 0) target.privilegedRoles = privilegedRoles;
    const plan = buildPlan(target, devices, {
      onPremConfigured: settings.onPremConfigured,
      apps: context.apps,
    });
    return context.child(target, plan);
  } catch (error) {
    if (!(error instanceof DirectoryError) && !(error instanceof RequestRefused)) throw error;
    context.logger.warn('batch lookup failed', {
      kind: error instanceof DirectoryError ? error.kind : error.code,
    });
    return { entry: address, reason: 'lookup_failed' };
  }
}

function isProtected(
  user: DirectoryUser,
  context: LookupContext,
  call: <T>(operation: () => Promise<T>) => Promise<T>,
): Promise<boolean> {
  return isProtectedTarget(user, context.settings, (id, groups) =>
    call(() => context.directory.memberGroups(id, groups)),
  );
}
