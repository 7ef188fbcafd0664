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

/**
 * An Entra ID directory role the user holds or may activate: an active assignment or a Privileged
 * Identity Management eligibility, to the user or to a role-assignable group the user is in.
 */
export interface DirectoryRole {
  /** The role definition's id (a built-in role's template id). */
  id: string;
  displayName?: string;
  /** The built-in role's template id; absent when the app may not read role details. */
  roleTemplateId?: string;
  /**
   * The role definition's own `isPrivileged` flag (Microsoft marks the roles that can lead to
   * elevation of privilege). Absent when it could not be read: then the role counts as privileged.
   */
  isPrivileged?: boolean;
  /** Held now, or eligible through PIM (to be activated at will). Absent: active. */
  assignment?: 'active' | 'eligible';
  /** The role-assignable group the role is assigned to, when it is not the user's own. */
  viaGroup?: string;
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

/**
 * What a step does, e.g. `entra.disableAccount`: the access path that owns it (src/core/paths/)
 * declares it with its action. A string, not a closed list, so a path is one module; a kind no
 * path owns (a request saved by another version) fails its step with a clear error.
 */
export type StepKind = string;

/**
 * What a request does. `termination` is Microsoft's emergency-revocation runbook; `compromised`
 * adds containment of an account an attacker controls (risk, attacker-added MFA, consented apps).
 */
export type RevocationProfile = 'termination' | 'compromised';

/** What a request is: a revocation, or a follow-up of one (undo after a false alarm, wipe). */
export type RequestKind = 'revocation' | 'restore' | 'wipe';

/** Steps a requester adds to a profile. */
export interface RevocationOptions {
  /** Intune retire (company data removed, personal data kept) of the user's managed devices. */
  retireDevices: boolean;
}

/**
 * Facts a step observed, saved as it ran: the state before it changed anything (so a restore puts
 * back exactly that), and times the residual-access section is computed from.
 */
export type StepFacts = Record<string, string | number | boolean>;

export type StepStatus = 'pending' | 'running' | 'retrying' | 'succeeded' | 'failed';

/**
 * What a succeeded step could show for its outcome. Only `verified` counts as done: the other two
 * are shown and audited as what they are, never as a deprovisioning or a revocation confirmed.
 */
export type StepVerification =
  | { state: 'verified' }
  /** The service accepted the change, but nothing could be read back to confirm it. */
  | { state: 'unverifiable'; why: string }
  /** There was nothing to act on where the step looked (e.g. no SCIM account by that userName). */
  | { state: 'no_account'; why: string };

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
  /** The object the step acts on when it is not the target user (a device, a method, a grant). */
  subject?: StepSubject;
  status: StepStatus;
  /** Attempts started so far; while retrying, includes the one being waited for. */
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  error?: StepError;
  /** A short, secret-free account of what the step did or verified. */
  outcome?: string;
  /**
   * How far a succeeded step's outcome was checked: read back (verified), accepted by the service
   * with no read-back to confirm it (unverifiable, with why), or no account found to act on.
   * Absent on steps saved before it existed, and on steps that have not succeeded.
   */
  verification?: StepVerification;
  /** What the step saw before acting; the first observation is kept across retries. */
  facts?: StepFacts;
}

export interface StepSubject {
  id: string;
  name: string;
  /** The Graph type when the call depends on it (an authentication method's type). */
  type?: string;
}

export type RequestStatus =
  | 'pending'
  | 'running'
  | 'completed'
  | 'completed_with_failures'
  | 'rejected'
  | 'expired'
  /** Withdrawn by Revoke itself: its card could not be posted, so nobody could approve it. */
  | 'cancelled';

/** Why and when Revoke itself withdrew a request or a batch (status `cancelled`). */
export interface Cancellation {
  reason: string;
  at: string;
}

export interface Approval {
  approver: Person;
  at: string;
  /**
   * Why this person's approval counted: a member of the approver group, the target's manager
   * (ALLOW_MANAGER_APPROVAL), or a member of the escalation group once the request was escalated. Absent on requests saved before manager approval existed.
   */
  as?: 'approver' | 'manager' | 'escalation';
  /** The fresh MFA sign-in this approval was given with (APPROVAL_STEP_UP); absent when off. */
  stepUp?: ApprovalProof;
}

/** What a step-up sign-in proved, as kept with a decision: never the token itself. */
export interface ApprovalProof {
  method: 'mfa' | 'auth_context' | 'simulated';
  /** When the person signed in (the token's `auth_time`). */
  authTime: string;
  /** The token's unique id (`uti`), spent by this decision. */
  tokenId: string;
}

/** Why an approval counted when given stopped counting by the time the request was approved. */
export type LapseReason =
  'not_approver' | 'not_manager' | 'manager_approval_off' | 'not_escalation';

/**
 * An approval the re-check at the final approval found no longer valid (the approver left the
 * approver group, the manager is no longer the target's manager): kept to show and audit, never
 * counted.
 */
export interface LapsedApproval extends Approval {
  lapsedAt: string;
  reason: LapseReason;
}

export interface Rejection {
  by: Person;
  at: string;
  /** The fresh MFA sign-in the rejection was given with (APPROVAL_STEP_UP); absent when off. */
  stepUp?: ApprovalProof;
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
  /** Approvals that no longer counted when the final approval re-checked them. */
  lapsedApprovals?: LapsedApproval[];
  rejection?: Rejection;
  /** Why Revoke withdrew the request (status `cancelled`). */
  cancellation?: Cancellation;
  steps: Step[];
  /** Caveats about the plan that the approvers must see (e.g. on-prem AD not configured). */
  planNotes: string[];
  runStartedAt?: string;
  finishedAt?: string;
  card: CardLocation;
  /**
   * ALLOW_MANAGER_APPROVAL, termination only: the copy of the card sent to the target's manager in
   * a personal chat with the bot. Updated together with `card`; its clicks are bound to it.
   */
  managerCard?: CardLocation & { managerId: string };
  /**
   * Copies of the card sent to approvers (and, once escalated, the escalation group) in personal
   * chats with the bot. Updated together with `card`; a click on one is bound to it.
   */
  personalCards?: PersonalCardCopy[];
  /** Reminders, escalation and pages: what is due when, and what was done (see core/outreach). */
  outreach?: Outreach;
  /** Set on the children of a mass revocation (`users …`): the batch that approves and shows it. */
  batchId?: string;
  /** Absent on requests saved before kinds existed: a revocation. */
  kind?: RequestKind;
  /** Absent on requests saved before profiles existed: termination. */
  profile?: RevocationProfile;
  options?: RevocationOptions;
  /** For a restore or wipe: the revocation it follows up. */
  followsUp?: string;
  /** Documented lifetimes the residual-access section uses, as configured when it was made. */
  lifetimes?: ResidualLifetimes;
  /** The re-check that the disabled accounts stayed disabled, scheduled when the run finishes. */
  driftCheck?: DriftCheck;
  /** Deprovisioning Revoke cannot do itself (MANUAL_DEPROVISION_TASKS), ticked off by approvers. */
  manualTasks?: ManualTask[];
}

/** A copy of the request card in one person's personal chat with the bot. */
export interface PersonalCardCopy extends CardLocation {
  personId: string;
  name: string;
  /** Sent as a member of the approver group, or of the escalation group once it was escalated. */
  as: 'approver' | 'escalation';
}

/** Someone named on the card, by id and display name only. */
export interface NamedPerson {
  id: string;
  name: string;
}

/**
 * One durable piece of outreach: due at a time, claimed by the instance that carries it out (so it
 * happens once across instances; a claim older than a couple of minutes is taken over, so a crash
 * mid-way does not lose it), then done.
 */
export interface OutreachTask {
  dueAt: string;
  claimedAt?: string;
  doneAt?: string;
  /** Who was reached (reminded, notified, sent the card). */
  reached?: NamedPerson[];
  /** Who could not be reached, and why (e.g. the app is not installed for them). */
  unreachable?: { person: NamedPerson; why: string }[];
}

/** A page to on-call through one pager (PagerDuty, the alert webhook): triggered, then resolved. */
export interface PageTask {
  /** The pager's name, as shown on the card ("PagerDuty"). */
  via: string;
  /** The pager's deduplication key: one incident per request. */
  key: string;
  triggeredAt?: string;
  resolvedAt?: string;
  claimedAt?: string;
  /** After a retryable failure: not before this time. */
  retryAt?: string;
  attempts: number;
  /** Set when the pager refused for good; the card and the thread say so. */
  failed?: string;
}

/** Everything done to get a pending request decided in time. */
export interface Outreach {
  /** The card sent to each approver in a personal chat with the bot. */
  personalCards?: OutreachTask;
  /** Approvers who have not answered are reminded (APPROVAL_REMINDER_MINUTES). */
  reminder?: OutreachTask;
  /** The escalation group is notified and may approve from then on (APPROVAL_ESCALATION_MINUTES). */
  escalation?: OutreachTask & { groupId: string };
  pages?: PageTask[];
}

/** One item of the manual deprovisioning checklist, copied from the configuration at request time. */
export interface ManualTask {
  /** Stable within the request: what the card's "done" button names. */
  id: string;
  title: string;
  doneBy?: Person;
  doneAt?: string;
}

export interface ResidualLifetimes {
  /** Access token lifetime in apps without Continuous Access Evaluation (Entra default 60-90 min). */
  accessTokenMinutes: number;
  /** Kerberos ticket lifetime in AD ("Maximum lifetime for user ticket", default 10 h). */
  kerberosTicketHours: number;
}

/**
 * A hybrid block is undone by the next directory sync when on-prem is enabled again (or by an
 * admin): so a while after the run, Revoke reads both accounts again.
 */
export interface DriftCheck {
  dueAt: string;
  /** Set when the check has run; what it found. */
  checkedAt?: string;
  /** The accounts found enabled again ("Entra ID account", "AD account asmith"); empty: none. */
  reEnabled?: string[];
  /** Why the check could not tell (the account is gone, it was restored on purpose). */
  skipped?: string;
}

export const FINAL_STATUSES: readonly RequestStatus[] = [
  'completed',
  'completed_with_failures',
  'rejected',
  'expired',
  'cancelled',
];

export function isFinal(status: RequestStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
