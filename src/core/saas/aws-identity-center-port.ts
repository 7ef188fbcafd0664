// What the core needs from AWS IAM Identity Center: its identity store (the user, their groups) and
// its permission sets (which accounts the user reaches, the inline policy that can deny them). Plain
// TypeScript: the adapter (src/directory/aws-identity-center/) speaks the AWS SDK behind it. Every
// failure is a DirectoryError whose kind the one retry layer understands.
import { connectorKey } from '../paths/connectors';

/** A user of the identity store, found by their exact userName. */
export interface AwsUser {
  /** The identity store's user id (what `identitystore:UserId` in a policy compares). */
  id: string;
  userName: string;
  displayName?: string;
}

/** One permission set the user reaches one account through (directly or through a group). */
export interface AwsAssignment {
  accountId: string;
  permissionSetArn: string;
}

export interface AwsGroupMembership {
  membershipId: string;
  groupId: string;
  /** The group's display name, or its id when it has none. */
  groupName: string;
}

/** Where a ProvisionPermissionSet request stands (it runs asynchronously). */
export type AwsProvisioning =
  | { state: 'succeeded' }
  | { state: 'in_progress'; requestId: string }
  | { state: 'failed'; reason: string };

export interface AwsIdentityCenter {
  /** The user whose userName is exactly `userName`, or undefined when there is none. */
  findUser(userName: string): Promise<AwsUser | undefined>;
  /** Every account and permission set the user is assigned, directly or through a group. */
  listAssignments(userId: string): Promise<AwsAssignment[]>;
  permissionSetName(permissionSetArn: string): Promise<string>;
  listGroupMemberships(userId: string): Promise<AwsGroupMembership[]>;
  /** Harmless when the membership is already gone. */
  removeGroupMembership(membershipId: string): Promise<void>;
  /** Harmless when the user is already a member. */
  addGroupMembership(groupId: string, userId: string): Promise<void>;
  /** The permission set's inline policy document, or '' when it has none. */
  getInlinePolicy(permissionSetArn: string): Promise<string>;
  putInlinePolicy(permissionSetArn: string, policy: string): Promise<void>;
  deleteInlinePolicy(permissionSetArn: string): Promise<void>;
  /**
   * Pushes the permission set (and so its inline policy) to every account it is provisioned to,
   * and waits a little for the result; `in_progress` when AWS has not finished yet.
   */
  provision(permissionSetArn: string): Promise<AwsProvisioning>;
}

export const AWS_IDENTITY_CENTER = connectorKey<AwsIdentityCenter>('aws-identity-center');
