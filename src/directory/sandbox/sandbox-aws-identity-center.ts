// The sandbox's AWS IAM Identity Center: an in-memory identity store and permission sets seeded
// from the demo tenant's people, so the demo shows the AWS path (its card, deny and restore) without
// reaching AWS. Provisioning finishes at once.
import type {
  AwsAssignment,
  AwsGroupMembership,
  AwsIdentityCenter,
  AwsProvisioning,
  AwsUser,
} from '../../core/saas/aws-identity-center-port';
import type { SandboxPerson } from './sandbox-tenant';

const SHARED_ACCOUNT = '111122223333';
const PRODUCTION_ACCOUNT = '444455556666';
const ARN = 'arn:aws:sso:::permissionSet/ssoins-demo';

export class SandboxAwsIdentityCenter implements AwsIdentityCenter {
  readonly users = new Map<string, AwsUser>();
  readonly groups = new Map<string, string>();
  readonly memberships = new Map<string, { groupId: string; userId: string }>();
  readonly permissionSets = new Map<
    string,
    { name: string; policy: string; provisioned: string }
  >();
  readonly assignments: Array<{ accountId: string; arn: string; principalId: string }> = [];
  private nextId = 1;

  /**
   * The demo's staff (people with a department; not the break-glass account, nor the users a test
   * generates) read the shared account through a group; security and IT staff administer production.
   */
  static seeded(people: readonly SandboxPerson[]): SandboxAwsIdentityCenter {
    const aws = new SandboxAwsIdentityCenter();
    const readers = aws.group('AWS Readers');
    const readOnly = aws.permissionSet('ps-readonly', 'ReadOnlyAccess');
    const admin = aws.permissionSet('ps-admin', 'AdministratorAccess');
    aws.assignments.push({ accountId: SHARED_ACCOUNT, arn: readOnly, principalId: readers });
    for (const person of people) {
      if (!person.upn || !person.department) continue;
      const id = `sandbox-aws-${aws.nextId++}`;
      aws.users.set(id, { id, userName: person.upn, displayName: person.name });
      aws.memberships.set(`membership-${id}`, { groupId: readers, userId: id });
      if (/^(IT|Information Security|Security Operations)/.test(person.department ?? ''))
        aws.assignments.push({ accountId: PRODUCTION_ACCOUNT, arn: admin, principalId: id });
    }
    return aws;
  }

  findUser(userName: string): Promise<AwsUser | undefined> {
    return Promise.resolve([...this.users.values()].find((u) => u.userName === userName));
  }

  listAssignments(userId: string): Promise<AwsAssignment[]> {
    const principals = new Set([userId, ...this.groupIdsOf(userId)]);
    return Promise.resolve(
      this.assignments
        .filter((a) => principals.has(a.principalId))
        .map((a) => ({ accountId: a.accountId, permissionSetArn: a.arn })),
    );
  }

  permissionSetName(arn: string): Promise<string> {
    return Promise.resolve(this.permissionSets.get(arn)?.name ?? arn);
  }

  listGroupMemberships(userId: string): Promise<AwsGroupMembership[]> {
    return Promise.resolve(
      [...this.memberships.entries()]
        .filter(([, m]) => m.userId === userId)
        .map(([membershipId, m]) => ({
          membershipId,
          groupId: m.groupId,
          groupName: this.groups.get(m.groupId) ?? m.groupId,
        })),
    );
  }

  removeGroupMembership(membershipId: string): Promise<void> {
    this.memberships.delete(membershipId);
    return Promise.resolve();
  }

  addGroupMembership(groupId: string, userId: string): Promise<void> {
    if (!this.groupIdsOf(userId).includes(groupId))
      this.memberships.set(`membership-${this.nextId++}`, { groupId, userId });
    return Promise.resolve();
  }

  getInlinePolicy(arn: string): Promise<string> {
    return Promise.resolve(this.permissionSets.get(arn)?.policy ?? '');
  }

  putInlinePolicy(arn: string, policy: string): Promise<void> {
    const set = this.permissionSets.get(arn);
    if (set) set.policy = policy;
    return Promise.resolve();
  }

  deleteInlinePolicy(arn: string): Promise<void> {
    return this.putInlinePolicy(arn, '');
  }

  provision(arn: string): Promise<AwsProvisioning> {
    const set = this.permissionSets.get(arn);
    if (set) set.provisioned = set.policy;
    return Promise.resolve({ state: 'succeeded' });
  }

  private groupIdsOf(userId: string): string[] {
    return [...this.memberships.values()].filter((m) => m.userId === userId).map((m) => m.groupId);
  }

  private group(name: string): string {
    const id = `sandbox-group-${this.nextId++}`;
    this.groups.set(id, name);
    return id;
  }

  private permissionSet(id: string, name: string): string {
    const arn = `${ARN}/${id}`;
    this.permissionSets.set(arn, { name, policy: '', provisioned: '' });
    return arn;
  }
}
