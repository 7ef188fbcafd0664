// Turns a list of addresses into the children of a batch: each looked up, checked and planned by
// the very function a single request uses (prepareTarget). Several lookups run at once (the
// RateGate in front of the directory keeps them within Graph's limits).
import type { Clock } from '../clock';
import { DirectoryError, RequestRefused } from '../errors';
import type { RevocationRequest } from '../model';
import type { Logger } from '../ports';
import { withRetry, type RetryPolicy } from '../retry';
import type { PathPorts } from '../paths/path-ports';
import { SharedLookups } from '../paths/shared-lookups';
import {
  prepareTarget,
  type PreparationSettings,
  type PreparedTarget,
} from '../request-preparation';
import type { BatchMember, SkippedEntry } from './batch-model';

/** What a batch's settings add to the lookups: the preparation's, the approval count aside. */
export type LookupSettings = Omit<PreparationSettings, 'requiredApprovals'>;

export interface LookedUp {
  children: RevocationRequest[];
  members: BatchMember[];
  skipped: SkippedEntry[];
}

export interface LookupContext {
  ports: PathPorts;
  clock: Clock;
  logger: Logger;
  settings: PreparationSettings;
  retryPolicy?: Partial<RetryPolicy>;
  concurrency: number;
  /** Fills in the batch-specific fields of a child (id, batch link, card) around its preparation. */
  child: (prepared: PreparedTarget) => RevocationRequest;
}

export async function lookUpTargets(
  addresses: readonly string[],
  context: LookupContext,
): Promise<LookedUp> {
  const results: (RevocationRequest | SkippedEntry)[] = new Array(addresses.length);
  // What is the same for every member (the configured apps) is looked up once for the batch.
  const shared = new SharedLookups();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < addresses.length; index = next++) {
      const address = addresses[index] as string;
      results[index] = await lookUpOne(address, context, shared);
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
  shared: SharedLookups,
): Promise<RevocationRequest | SkippedEntry> {
  const { ports, clock, logger, settings } = context;
  const retrying = <T>(operation: () => Promise<T>) =>
    withRetry(operation, {
      clock,
      policy: { deadlineMs: 30_000, maxAttempts: 4, ...context.retryPolicy },
    });
  try {
    const prepared = await prepareTarget(
      { ports, clock, logger, settings, retrying, shared },
      // A batch is the termination runbook for every member.
      { address, profile: 'termination', options: { retireDevices: false } },
    );
    return context.child(prepared);
  } catch (error) {
    if (
      error instanceof RequestRefused &&
      (error.code === 'unknown_user' || error.code === 'protected_target')
    ) {
      return { entry: address, reason: error.code };
    }
    if (!(error instanceof DirectoryError) && !(error instanceof RequestRefused)) throw error;
    logger.warn('batch lookup failed', {
      kind: error instanceof DirectoryError ? error.kind : error.code,
    });
    return { entry: address, reason: 'lookup_failed' };
  }
}
