// The data Revoke keeps about one revocation request. Everything here is plain, serialisable
// data: the store saves it as it is and the cards are rendered from it alone.

/** A person as the directory knows them. `id` is the Entra object id: the identity we authorise. */
export interface Person {
  id: string;
  name: string;
  /** Bot Framework channel account id ("29:…"), needed to @mention the person in Teams. */
  channelAccountId?: string;
  upn?: string;
}

export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail?: string;
  jobTitle?: string;
  department?: string;
  accountEnabled: boolean;
  /** True when the account is mastered in on-premises AD and synchronised to Entra ID. */
  onPremisesSyncEnabled: boolean;
  onPremisesSamAccountName?: string;
  onPremisesSecurityIdentifier?: string;
  onPremisesUserPrincipalName?: string;
}

/** An Entra ID directory role the user holds (active assignment, direct or through a group). */
export interface DirectoryRole {
  id: string;
  displayName?: string;
  /** The built-in role's template id; absent when the app may not read role details. */
  roleTemplateId?: string;
}

export interface Device {
  id: string;
  displayName: string;
  accountEnabled: boolean;
  operatingSystem?: string;
}

/** What the request card shows about the target, captured when the request is made. */
export interface TargetSnapshot {
  id: string;
  userPrincipalName: string;
  displayName: string;
  jobTitle?: string;
  department?: string;
  onPremisesSynced: boolean;
  onPremisesSamAccountName?: string;
  onPremisesSecurityIdentifier?: string;
  onPremisesUserPrincipalName?: string;
  deviceCount: number;
  /** Names of the privileged directory roles the target held when the request was made. */
  privilegedRoles?: string[];
}

export type StepKind =
  | 'ad.disableAccount'
  | 'ad.resetPasswordTwice'
  | 'entra.disableAccount'
  | 'entra.revokeSessions'
  | 'entra.disableDevice';

export type StepStatus = 'pending' | 'running' | 'retrying' | 'succeeded' | 'failed';

export interface StepError {
  code: string;
  message: string;
}

export interface Step {
  /** Unique within the request; stable so a resumed run finds the same step. */
  id: string;
  kind: StepKind;
  title: string;
  dependsOn: string[];
  /** The object the step acts on when it is not the target user (a device). */
  subject?: { id: string; name: string };
  status: StepStatus;
  /** Attempts started so far; while retrying, includes the one being waited for. */
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  error?: StepError;
  /** A short, secret-free account of what the step did or verified. */
  outcome?: string;
}

export type RequestStatus =
  'pending' | 'running' | 'completed' | 'completed_with_failures' | 'rejected' | 'expired';

export interface Approval {
  approver: Person;
  at: string;
  /**
   * Why this person's approval counted: a member of the approver group, or the target's manager
   * (ALLOW_MANAGER_APPROVAL). Absent on requests saved before manager approval existed.
   */
  as?: 'approver' | 'manager';
}

export interface Rejection {
  by: Person;
  at: string;
}

/** Where the request's card lives. The reference is opaque to the core (the Teams adapter owns it). */
export interface CardLocation {
  conversationReference: string;
  cardActivityId?: string;
}

export interface RevocationRequest {
  id: string;
  /** Bumped on every write; writes are compare-and-swap on it. */
  version: number;
  status: RequestStatus;
  target: TargetSnapshot;
  reason: string;
  requester: Person;
  createdAt: string;
  expiresAt: string;
  requiredApprovals: number;
  approvals: Approval[];
  rejection?: Rejection;
  steps: Step[];
  /** Caveats about the plan that the approvers must see (e.g. on-prem AD not configured). */
  planNotes: string[];
  runStartedAt?: string;
  finishedAt?: string;
  card: CardLocation;
}

export const FINAL_STATUSES: readonly RequestStatus[] = [
  'completed',
  'completed_with_failures',
  'rejected',
  'expired',
];

export function isFinal(status: RequestStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
