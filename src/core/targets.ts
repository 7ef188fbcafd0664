// Who a request is about: the snapshot the card shows, and whether the account may be targeted at
// all. Shared by single and mass revocations, so a protected account is refused the same way.
import type { DirectoryUser, TargetSnapshot } from './model';

export function targetSnapshot(user: DirectoryUser, deviceCount: number): TargetSnapshot {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    jobTitle: user.jobTitle,
    department: user.department,
    onPremisesSynced: user.onPremisesSyncEnabled,
    onPremisesSamAccountName: user.onPremisesSamAccountName,
    onPremisesSecurityIdentifier: user.onPremisesSecurityIdentifier,
    onPremisesUserPrincipalName: user.onPremisesUserPrincipalName,
    deviceCount,
  };
}

export interface Protection {
  /** UPNs, mail addresses or object ids, lower case. */
  protectedUsers: readonly string[];
  protectedGroupId?: string;
}

/**
 * True for break-glass and service accounts: listed by UPN, mail or object id, or a (transitive)
 * member of the protected group. `memberGroups` is the directory's transitive check.
 */
export async function isProtectedTarget(
  user: DirectoryUser,
  protection: Protection,
  memberGroups: (userId: string, groupIds: string[]) => Promise<string[]>,
): Promise<boolean> {
  const names = [user.id, user.userPrincipalName, user.mail]
    .filter((name): name is string => typeof name === 'string')
    .map((name) => name.toLowerCase());
  if (names.some((name) => protection.protectedUsers.includes(name))) return true;
  const groupId = protection.protectedGroupId;
  if (groupId === undefined) return false;
  return (await memberGroups(user.id, [groupId])).includes(groupId);
}
