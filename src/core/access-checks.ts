// Who may ask and who may approve: membership of the requester and approver groups, looked up in
// the directory each time so a removal from a group takes effect at once.
import { RequestRefused } from './errors';
import type { Person } from './model';
import type { EntraDirectory, Logger } from './ports';
import type { RetryingLookup } from './retrying-lookup';

/**
 * Throws RequestRefused unless `requester` is in the requester group; anyone may ask when no group
 * is configured. `logger`, when given, logs the refusal.
 */
export async function refuseUnlessRequester(
  directory: EntraDirectory,
  retrying: RetryingLookup,
  requesterGroupId: string | undefined,
  requester: Person,
  logger?: Logger,
): Promise<void> {
  const groupId = requesterGroupId;
  if (groupId === undefined) return;
  const groups = await retrying(() => directory.memberGroups(requester.id, [groupId]));
  if (!groups.includes(groupId)) {
    logger?.warn('request refused: not in the requester group', { requesterId: requester.id });
    throw new RequestRefused(
      'not_requester',
      'Only members of the requester group can ask for a revocation. Ask your security team to make the request.',
    );
  }
}

export async function isApprover(
  directory: EntraDirectory,
  retrying: RetryingLookup,
  approverGroupId: string,
  personId: string,
): Promise<boolean> {
  const groups = await retrying(() => directory.memberGroups(personId, [approverGroupId]));
  return groups.includes(approverGroupId);
}
