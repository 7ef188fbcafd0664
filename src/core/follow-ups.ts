// Requests that follow up a finished revocation: a restore after a false alarm, and a wipe of the
// user's Intune devices. Each is a request of its own under the same two-person rule; these
// functions check that the follow-up makes sense and build it, the service saves and posts it.
import { RequestRefused, type RefusalCode } from './errors';
import type { Person, RevocationRequest } from './model';
import type { RequestStore } from './ports';
import type { ContainmentDirectory } from './containment-ports';
import { describeStatus } from './approval/policy';
import { pendingRequest } from './pending-request';
import { buildRestorePlan } from './revocation/restore-plan';
import { buildWipePlan } from './paths/intune-devices';

export interface FollowUpAsk {
  originalId: string;
  requester: Person;
  conversationReference: string;
}

export interface FollowUpContext {
  store: RequestStore;
  containment: ContainmentDirectory | undefined;
  newId: () => string;
  now: () => Date;
  approvalTimeoutMinutes: number;
  /** A directory call under the service's retry policy. */
  retrying<T>(operation: () => Promise<T>): Promise<T>;
}

export async function buildRestoreRequest(
  input: FollowUpAsk & { reason: string },
  context: FollowUpContext,
): Promise<RevocationRequest> {
  const original = await findOriginal(input.originalId, context);
  requireFinishedRevocation(
    original,
    'not_restorable',
    'Only a finished revocation can be restored',
  );
  await refuseIfOpen(original, 'restore', 'not_restorable', context);
  const done = await restoreOf(original, context.store);
  if (done) {
    throw new RequestRefused(
      'not_restorable',
      `${original.id} was already restored by ${done.id}.`,
    );
  }
  // Restoring an older revocation would undo a newer one that still stands.
  const newer = (
    await context.store.listByStatus(['pending', 'running', 'completed', 'completed_with_failures'])
  ).find(
    (r) =>
      r.id !== original.id &&
      (r.kind ?? 'revocation') === 'revocation' &&
      r.target.id === original.target.id &&
      Date.parse(r.createdAt) > Date.parse(original.createdAt),
  );
  if (newer) {
    throw new RequestRefused(
      'not_restorable',
      `${original.target.displayName} was revoked again after ${original.id} (${newer.id}): restore that one instead, if it was a false alarm too.`,
    );
  }
  const plan = buildRestorePlan(original);
  if (plan.steps.length === 0) {
    throw new RequestRefused(
      'not_restorable',
      `${original.id} disabled nothing that can be re-enabled. ${plan.notes.join(' ')}`.trim(),
    );
  }
  return followUp(original, input, plan, input.reason, 'restore', context);
}

export async function buildWipeRequest(
  input: FollowUpAsk,
  context: FollowUpContext,
): Promise<RevocationRequest> {
  const original = await findOriginal(input.originalId, context);
  requireFinishedRevocation(
    original,
    'not_wipeable',
    'Only the devices of a finished revocation can be wiped',
  );
  await refuseIfOpen(original, 'wipe', 'not_wipeable', context);
  const restore = await restoreOf(original, context.store);
  if (restore) {
    throw new RequestRefused(
      'not_wipeable',
      `${original.id} was a false alarm restored by ${restore.id}: its devices are not wiped.`,
    );
  }
  const containment = context.containment;
  if (!containment) {
    throw new RequestRefused(
      'not_wipeable',
      'This deployment cannot wipe devices (its directory has no Intune support).',
    );
  }
  const devices = await context.retrying(() => containment.listManagedDevices(original.target.id));
  if (devices.length === 0) {
    throw new RequestRefused(
      'not_wipeable',
      `Intune manages no device of ${original.target.displayName}: there is nothing to wipe.`,
    );
  }
  const reason = `Wipe the Intune devices of ${original.target.displayName} after revocation ${original.id} (confirmed by ${input.requester.name}).`;
  return followUp(
    original,
    input,
    buildWipePlan(original.target.displayName, devices),
    reason,
    'wipe',
    context,
  );
}

function requireFinishedRevocation(
  original: RevocationRequest,
  code: RefusalCode,
  rule: string,
): void {
  const kind = original.kind ?? 'revocation';
  if (
    kind === 'revocation' &&
    (original.status === 'completed' || original.status === 'completed_with_failures')
  ) {
    return;
  }
  const what = kind === 'revocation' ? describeStatus(original) : `a ${kind}`;
  throw new RequestRefused(code, `${rule}; ${original.id} is ${what}.`);
}

/** A restore that follows `original` and was not turned down: it settles the revocation. */
export async function restoreOf(
  original: RevocationRequest,
  store: RequestStore,
): Promise<RevocationRequest | undefined> {
  const live = await store.listByStatus([
    'pending',
    'running',
    'completed',
    'completed_with_failures',
  ]);
  return live.find((r) => r.kind === 'restore' && r.followsUp === original.id);
}

async function findOriginal(id: string, context: FollowUpContext): Promise<RevocationRequest> {
  const original = await context.store.get(id);
  if (!original) throw new RequestRefused('unknown_request', `There is no request ${id}.`);
  return original;
}

/** One open follow-up of a kind per revocation: a second would race the first. */
async function refuseIfOpen(
  original: RevocationRequest,
  kind: 'restore' | 'wipe',
  code: RefusalCode,
  context: FollowUpContext,
): Promise<void> {
  const open = await context.store.listByStatus(['pending', 'running']);
  const already = open.find((r) => r.followsUp === original.id && r.kind === kind);
  if (already) {
    const name = kind === 'restore' ? 'Restore' : 'Wipe';
    throw new RequestRefused(
      code,
      `${name} ${already.id} for ${original.id} is already ${describeStatus(already)}.`,
    );
  }
}

function followUp(
  original: RevocationRequest,
  input: FollowUpAsk,
  plan: { steps: RevocationRequest['steps']; notes: string[] },
  reason: string,
  kind: 'restore' | 'wipe',
  context: FollowUpContext,
): RevocationRequest {
  return pendingRequest(
    {
      id: context.newId(),
      now: context.now(),
      approvalTimeoutMinutes: context.approvalTimeoutMinutes,
      target: original.target,
      reason,
      requester: input.requester,
      // The same bar as the revocation it follows: a follow-up undoes or extends it.
      requiredApprovals: original.requiredApprovals,
      plan,
      card: { conversationReference: input.conversationReference },
    },
    { kind, followsUp: original.id },
  );
}
