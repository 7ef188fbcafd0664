// The look-ups behind "approvals that mean what they say": just before the approval that would
// complete a request, each approval already counted is checked again against the directory, as
// the click-time check did. The policy stays pure: this module only finds the facts and hands
// them over as a Rechecked map.
import type { Rechecked } from './approval/policy';
import type { Approval, LapseReason } from './model';
import type { SaveHooks, Versioned, VersionedUpdater } from './versioned-updater';

export interface RecheckLookups {
  /** A transitive member of the approver group now. */
  isApprover(personId: string): Promise<boolean>;
  /** Whether manager approval is still enabled (ALLOW_MANAGER_APPROVAL). */
  managerApprovalAllowed: boolean;
  /** The target's manager now, by object id; undefined when there is none. */
  managerOfTarget(): Promise<string | undefined>;
  /** A transitive member of the escalation group the request was escalated to, now. */
  isEscalationMember?(personId: string): Promise<boolean>;
}

/**
 * Re-checks every approval in `approvals` not yet in `known`, and returns `known` with them added.
 * Look-ups run one after another: a request has a handful of approvals, and a directory error
 * stops the click (nothing is saved) rather than counting an approval nobody could check.
 */
export async function recheckApprovals(
  approvals: readonly Approval[],
  lookups: RecheckLookups,
  known: Rechecked = new Map(),
): Promise<Rechecked> {
  const found = new Map(known);
  let manager: Promise<string | undefined> | undefined;
  for (const approval of approvals) {
    const id = approval.approver.id;
    if (found.has(id)) continue;
    if (approval.as === 'manager') {
      manager ??= lookups.managerOfTarget();
      found.set(id, await managerLapse(id, lookups.managerApprovalAllowed, manager));
    } else if (approval.as === 'escalation') {
      const member = (await lookups.isEscalationMember?.(id)) ?? false;
      found.set(id, member ? undefined : 'not_escalation');
    } else {
      found.set(id, (await lookups.isApprover(id)) ? undefined : 'not_approver');
    }
  }
  return found;
}

async function managerLapse(
  approverId: string,
  allowed: boolean,
  manager: Promise<string | undefined>,
): Promise<LapseReason | undefined> {
  if (!allowed) return 'manager_approval_off';
  const current = await manager;
  return current !== undefined && current.toLowerCase() === approverId.toLowerCase()
    ? undefined
    : 'not_manager';
}

/** Rounds of re-check and decide before a completing click gives up on approvals that keep changing. */
const MAX_RECHECK_ROUNDS = 3;

/**
 * A click on a request or a batch, decided under compare-and-swap. The approval that would
 * complete it first re-checks the approvals already counted (directory I/O, outside the
 * compare-and-swap); `decide` then rules on the fresh state with what was found, and `again` says
 * when an approval arrived that was not re-checked yet, for another round.
 */
export async function decideWithRecheck<T extends Versioned & { approvals: readonly Approval[] }>(
  updater: VersionedUpdater<T>,
  id: string,
  existing: T,
  click: {
    /** True when this click would complete `seen`, so its counted approvals are re-checked. */
    completes(seen: T): boolean;
    lookups(seen: T): RecheckLookups;
    /** The next state, or undefined when the click is refused (or changes nothing). */
    decide(current: T, rechecked: Rechecked): T | undefined;
    again(): boolean;
    hooks: SaveHooks<T>;
  },
): Promise<T | undefined> {
  let rechecked: Rechecked = new Map();
  let seen = existing;
  let saved: T | undefined;
  for (let round = 1; round <= MAX_RECHECK_ROUNDS; round++) {
    if (click.completes(seen)) {
      rechecked = await recheckApprovals(seen.approvals, click.lookups(seen), rechecked);
    }
    saved = await updater.update(
      id,
      (current) => {
        seen = current;
        return click.decide(current, rechecked);
      },
      click.hooks,
    );
    if (!click.again()) break;
  }
  return saved;
}
