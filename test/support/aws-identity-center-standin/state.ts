// What the AWS IAM Identity Center stand-in holds: an identity store (users, groups, memberships)
// and an instance's permission sets, their account assignments, inline policies, and the policy
// each one last provisioned to its accounts (what is actually in force there).
import { randomBytes, randomUUID } from 'node:crypto';

export interface StandinUser {
  UserId: string;
  UserName: string;
  DisplayName: string;
  UserStatus: 'ENABLED' | 'DISABLED';
}

export interface StandinPermissionSet {
  arn: string;
  name: string;
  inlinePolicy: string;
  /** The inline policy as the last successful provisioning pushed it to the accounts. */
  provisionedPolicy: string;
}

export interface StandinAssignment {
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

export interface ProvisioningRequest {
  requestId: string;
  arn: string;
  /** Status reads still answered IN_PROGRESS before it finishes. */
  readsLeft: number;
  status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  failureReason?: string;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export class AwsIdentityCenterState {
  readonly identityStoreId = `d-${hex(5)}`;
  readonly instanceArn = `arn:aws:sso:::instance/ssoins-${hex(8)}`;
  readonly users = new Map<string, StandinUser>();
  readonly groups = new Map<string, { GroupId: string; DisplayName: string }>();
  readonly memberships = new Map<string, { groupId: string; userId: string }>();
  readonly permissionSets = new Map<string, StandinPermissionSet>();
  readonly assignments: StandinAssignment[] = [];
  readonly provisioning = new Map<string, ProvisioningRequest>();
  /** Status reads a new provisioning answers IN_PROGRESS to before it succeeds. */
  provisioningReads = 1;
  /** Set: the next provisionings fail with this reason. */
  provisioningFailure: string | undefined;

  addUser(userName: string, displayName = userName): StandinUser {
    const user: StandinUser = {
      UserId: `${hex(5)}-${randomUUID()}`,
      UserName: userName,
      DisplayName: displayName,
      UserStatus: 'ENABLED',
    };
    this.users.set(user.UserId, user);
    return user;
  }

  addGroup(displayName: string, members: StandinUser[] = []): string {
    const id = `${hex(5)}-${randomUUID()}`;
    this.groups.set(id, { GroupId: id, DisplayName: displayName });
    for (const member of members) this.addMembership(id, member.UserId);
    return id;
  }

  addMembership(groupId: string, userId: string): string {
    const id = `${hex(5)}-${randomUUID()}`;
    this.memberships.set(id, { groupId, userId });
    return id;
  }

  groupsOf(userId: string): string[] {
    return [...this.memberships.values()].filter((m) => m.userId === userId).map((m) => m.groupId);
  }

  addPermissionSet(name: string, inlinePolicy = ''): StandinPermissionSet {
    const instance = this.instanceArn.split('/').pop() ?? '';
    const set: StandinPermissionSet = {
      arn: `arn:aws:sso:::permissionSet/${instance}/ps-${hex(8)}`,
      name,
      inlinePolicy,
      provisionedPolicy: inlinePolicy,
    };
    this.permissionSets.set(set.arn, set);
    return set;
  }

  assign(accountId: string, set: StandinPermissionSet, principal: StandinUser | string): void {
    this.assignments.push(
      typeof principal === 'string'
        ? { accountId, permissionSetArn: set.arn, principalType: 'GROUP', principalId: principal }
        : {
            accountId,
            permissionSetArn: set.arn,
            principalType: 'USER',
            principalId: principal.UserId,
          },
    );
  }

  /** The accounts and permission sets a user reaches: assigned directly or through a group. */
  assignmentsFor(userId: string): StandinAssignment[] {
    const groups = new Set(this.groupsOf(userId));
    return this.assignments.filter(
      (a) =>
        (a.principalType === 'USER' && a.principalId === userId) ||
        (a.principalType === 'GROUP' && groups.has(a.principalId)),
    );
  }
}
