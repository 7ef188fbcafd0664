// AWS IAM Identity Center through the official SDK clients: the identity store (users, groups) and
// SSO Admin (assignments, permission sets, their inline policies and provisioning). The SDK's own
// retries are off so Revoke's retry layer alone decides, honouring Retry-After.
import {
  CreateGroupMembershipCommand,
  DeleteGroupMembershipCommand,
  DescribeGroupCommand,
  DescribeUserCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsForMemberCommand,
} from '@aws-sdk/client-identitystore';
import {
  DeleteInlinePolicyFromPermissionSetCommand,
  DescribeInstanceCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListPermissionSetsCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { DirectoryError } from '../../core/errors';
import type {
  AwsAssignment,
  AwsGroupMembership,
  AwsIdentityCenter,
  AwsProvisioning,
  AwsUser,
} from '../../core/saas/aws-identity-center-port';
import { toDirectoryError, type AwsOperation } from './aws-errors';
import type { AwsIdentityCenterSettings } from './aws-settings';

export interface AwsAdapterOptions {
  /** Waits between provisioning status reads; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Status reads before a provisioning is reported still in progress (the step then retries). */
  provisioningPolls?: number;
}

const POLL_MS = 1000;

export class AwsIdentityCenterDirectory implements AwsIdentityCenter {
  private readonly store: IdentitystoreClient;
  private readonly sso: SSOAdminClient;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly polls: number;

  constructor(
    private readonly settings: AwsIdentityCenterSettings,
    options: AwsAdapterOptions = {},
  ) {
    const common = {
      region: settings.region,
      // One attempt: Revoke's retry layer retries, with the service's Retry-After.
      maxAttempts: 1,
      ...(settings.keys ? { credentials: { ...settings.keys } } : {}),
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 30_000 },
    };
    this.store = new IdentitystoreClient({
      ...common,
      ...(settings.identityStoreEndpoint ? { endpoint: settings.identityStoreEndpoint } : {}),
    });
    this.sso = new SSOAdminClient({
      ...common,
      ...(settings.ssoEndpoint ? { endpoint: settings.ssoEndpoint } : {}),
    });
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.polls = options.provisioningPolls ?? 5;
  }

  async findUser(userName: string): Promise<AwsUser | undefined> {
    const { identityStoreId } = this.settings;
    let userId: string | undefined;
    try {
      // Exact: userName is a unique attribute of the identity store, so this is one user or none.
      const found = await this.store.send(
        new GetUserIdCommand({
          IdentityStoreId: identityStoreId,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName },
          },
        }),
      );
      userId = found.UserId;
    } catch (error) {
      const mapped = toDirectoryError(error, 'GetUserId');
      if (mapped.kind === 'not_found') return undefined;
      throw mapped;
    }
    if (!userId) return undefined;
    const id = userId;
    const user = await this.call('DescribeUser', () =>
      this.store.send(new DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: id })),
    );
    return {
      id,
      userName: user.UserName ?? userName,
      ...(user.DisplayName ? { displayName: user.DisplayName } : {}),
    };
  }

  async listAssignments(userId: string): Promise<AwsAssignment[]> {
    const assignments: AwsAssignment[] = [];
    let token: string | undefined;
    do {
      const next = token;
      const page = await this.call('ListAccountAssignmentsForPrincipal', () =>
        this.sso.send(
          new ListAccountAssignmentsForPrincipalCommand({
            InstanceArn: this.settings.instanceArn,
            PrincipalId: userId,
            PrincipalType: 'USER',
            NextToken: next,
          }),
        ),
      );
      for (const a of page.AccountAssignments ?? [])
        if (a.AccountId && a.PermissionSetArn)
          assignments.push({ accountId: a.AccountId, permissionSetArn: a.PermissionSetArn });
      token = page.NextToken;
    } while (token);
    return assignments;
  }

  async permissionSetName(permissionSetArn: string): Promise<string> {
    const answer = await this.call('DescribePermissionSet', () =>
      this.sso.send(
        new DescribePermissionSetCommand({
          InstanceArn: this.settings.instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      ),
    );
    return answer.PermissionSet?.Name ?? permissionSetArn;
  }

  async listGroupMemberships(userId: string): Promise<AwsGroupMembership[]> {
    const { identityStoreId } = this.settings;
    const found: Array<{ membershipId: string; groupId: string }> = [];
    let token: string | undefined;
    do {
      const next = token;
      const page = await this.call('ListGroupMembershipsForMember', () =>
        this.store.send(
          new ListGroupMembershipsForMemberCommand({
            IdentityStoreId: identityStoreId,
            MemberId: { UserId: userId },
            NextToken: next,
          }),
        ),
      );
      for (const m of page.GroupMemberships ?? [])
        if (m.MembershipId && m.GroupId)
          found.push({ membershipId: m.MembershipId, groupId: m.GroupId });
      token = page.NextToken;
    } while (token);
    const memberships: AwsGroupMembership[] = [];
    for (const m of found) {
      const group = await this.call('DescribeGroup', () =>
        this.store.send(
          new DescribeGroupCommand({ IdentityStoreId: identityStoreId, GroupId: m.groupId }),
        ),
      );
      memberships.push({ ...m, groupName: group.DisplayName ?? m.groupId });
    }
    return memberships;
  }

  async removeGroupMembership(membershipId: string): Promise<void> {
    try {
      await this.store.send(
        new DeleteGroupMembershipCommand({
          IdentityStoreId: this.settings.identityStoreId,
          MembershipId: membershipId,
        }),
      );
    } catch (error) {
      const mapped = toDirectoryError(error, 'DeleteGroupMembership');
      // Already gone (a retry after a lost answer): what the step wanted.
      if (mapped.kind !== 'not_found') throw mapped;
    }
  }

  async addGroupMembership(groupId: string, userId: string): Promise<void> {
    try {
      await this.store.send(
        new CreateGroupMembershipCommand({
          IdentityStoreId: this.settings.identityStoreId,
          GroupId: groupId,
          MemberId: { UserId: userId },
        }),
      );
    } catch (error) {
      const mapped = toDirectoryError(error, 'CreateGroupMembership');
      // The identity store answers ConflictException when the membership exists already.
      if (mapped.code === 'ConflictException' && (await this.isMember(groupId, userId))) return;
      throw mapped;
    }
  }

  async getInlinePolicy(permissionSetArn: string): Promise<string> {
    const answer = await this.call('GetInlinePolicyForPermissionSet', () =>
      this.sso.send(
        new GetInlinePolicyForPermissionSetCommand({
          InstanceArn: this.settings.instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      ),
    );
    return answer.InlinePolicy ?? '';
  }

  async putInlinePolicy(permissionSetArn: string, policy: string): Promise<void> {
    await this.call('PutInlinePolicyToPermissionSet', () =>
      this.sso.send(
        new PutInlinePolicyToPermissionSetCommand({
          InstanceArn: this.settings.instanceArn,
          PermissionSetArn: permissionSetArn,
          InlinePolicy: policy,
        }),
      ),
    );
  }

  async deleteInlinePolicy(permissionSetArn: string): Promise<void> {
    await this.call('DeleteInlinePolicyFromPermissionSet', () =>
      this.sso.send(
        new DeleteInlinePolicyFromPermissionSetCommand({
          InstanceArn: this.settings.instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      ),
    );
  }

  async provision(permissionSetArn: string): Promise<AwsProvisioning> {
    const started = await this.call('ProvisionPermissionSet', () =>
      this.sso.send(
        new ProvisionPermissionSetCommand({
          InstanceArn: this.settings.instanceArn,
          PermissionSetArn: permissionSetArn,
          TargetType: 'ALL_PROVISIONED_ACCOUNTS',
        }),
      ),
    );
    let status = started.PermissionSetProvisioningStatus;
    const requestId = status?.RequestId;
    if (!requestId)
      throw new DirectoryError('transient', 'AWS ProvisionPermissionSet returned no request id.');
    // Asynchronous: read its status a few times; the step is retried if it is still running.
    for (let poll = 0; status?.Status === 'IN_PROGRESS' && poll < this.polls; poll++) {
      if (poll > 0) await this.sleep(POLL_MS);
      const answer = await this.call('DescribePermissionSetProvisioningStatus', () =>
        this.sso.send(
          new DescribePermissionSetProvisioningStatusCommand({
            InstanceArn: this.settings.instanceArn,
            ProvisionPermissionSetRequestId: requestId,
          }),
        ),
      );
      status = answer.PermissionSetProvisioningStatus;
    }
    if (status?.Status === 'SUCCEEDED') return { state: 'succeeded' };
    if (status?.Status === 'FAILED')
      return { state: 'failed', reason: status.FailureReason ?? 'no reason given' };
    return { state: 'in_progress', requestId };
  }

  /** The doctor's read-only checks: the instance exists, and its permission sets can be listed. */
  async describeInstance(): Promise<{ name: string; status: string; identityStoreId: string }> {
    const answer = await this.call('DescribeInstance', () =>
      this.sso.send(new DescribeInstanceCommand({ InstanceArn: this.settings.instanceArn })),
    );
    return {
      name: answer.Name ?? this.settings.instanceArn,
      status: answer.Status ?? 'unknown',
      identityStoreId: answer.IdentityStoreId ?? '',
    };
  }

  async countPermissionSets(): Promise<number> {
    let count = 0;
    let token: string | undefined;
    do {
      const next = token;
      const page = await this.call('ListPermissionSets', () =>
        this.sso.send(
          new ListPermissionSetsCommand({
            InstanceArn: this.settings.instanceArn,
            NextToken: next,
          }),
        ),
      );
      count += page.PermissionSets?.length ?? 0;
      token = page.NextToken;
    } while (token);
    return count;
  }

  private async isMember(groupId: string, userId: string): Promise<boolean> {
    return (await this.listGroupMemberships(userId)).some((m) => m.groupId === groupId);
  }

  private async call<T>(operation: AwsOperation, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toDirectoryError(error, operation);
    }
  }
}
