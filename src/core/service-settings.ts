// What RevokeService is configured with and depends on, and what a requester asks it for.
import type { Clock } from './clock';
import type { Person, ResidualLifetimes, RevocationOptions, RevocationProfile } from './model';
import type { ContainmentDirectory } from './containment-ports';
import type { AppProvisioning, ScimApps } from './app-ports';
import type { AuditLog, EntraDirectory, Logger, Metrics, Notifier, RequestStore } from './ports';
import type { RetryPolicy } from './retry';
import type { Connectors } from './paths/connectors';
import type { RevocationEngine } from './revocation/engine';
import type { StepUpMode } from './step-up/step-up-proof';
import type { OutreachSettings } from './outreach/outreach-settings';
import type { Pager } from './paging/pager';

/** Which apps and checklist every revocation gets; single requests and batch children alike. */
export interface AppSettings {
  /** Service principal ids of enterprise apps Entra ID provisions (PROVISIONING_APPS). */
  provisioningAppIds?: string[];
  /** The checklist copied onto every revocation (MANUAL_DEPROVISION_TASKS). */
  manualTasks?: string[];
}

export interface ServiceSettings extends AppSettings {
  requiredApprovals: number;
  approvalTimeoutMinutes: number;
  approverGroupId: string;
  /** UPNs (lower case) or object ids that can never be targeted. */
  protectedUsers: string[];
  protectedGroupId?: string;
  onPremConfigured: boolean;
  /** When set, only transitive members of this group may ask for a revocation. */
  requesterGroupId?: string;
  /** The target's manager may count as one approver (never more, never alone). */
  allowManagerApproval?: boolean;
  /** Compromised profile: MFA methods registered within this many days are removed (default 7). */
  mfaRecentDays?: number;
  /** Compromised profile: the group the user is added to (e.g. one a Conditional Access policy blocks). */
  containmentGroupId?: string;
  /** What the residual-access section assumes; saved with each request. */
  lifetimes?: ResidualLifetimes;
  /**
   * APPROVAL_STEP_UP: with `required` (or the sandbox's `simulated`) an approval or rejection
   * counts only with a fresh MFA proof from the Teams edge. Off when absent.
   */
  approvalStepUp?: StepUpMode;
  /** Personal-chat cards, reminders and escalation of pending requests; absent: none of them. */
  outreach?: OutreachSettings;
}

/** What a requester asks for: whose access, why, and how. */
export interface RevocationAsk {
  target: string;
  reason: string;
  requester: Person;
  conversationReference: string;
  /** Termination when absent. */
  profile?: RevocationProfile;
  options?: RevocationOptions;
}

export const DEFAULT_LIFETIMES: ResidualLifetimes = {
  accessTokenMinutes: 60,
  kerberosTicketHours: 10,
};

export interface ServiceDependencies {
  store: RequestStore;
  directory: EntraDirectory;
  notifier: Notifier;
  engine: RevocationEngine;
  clock: Clock;
  logger: Logger;
  settings: ServiceSettings;
  retryPolicy?: Partial<RetryPolicy>;
  newId?: () => string;
  audit?: AuditLog;
  metrics?: Metrics;
  /** Needed for the compromised profile and device retire; without it they are refused. */
  containment?: ContainmentDirectory;
  /** On-demand provisioning of PROVISIONING_APPS; without it those apps are left out of plans. */
  provisioning?: AppProvisioning;
  scim?: ScimApps;
  /** The connectors beyond Microsoft the access paths read and act on. */
  connectors?: Connectors;
  /** Where on-call is paged for a new revocation (PagerDuty, the alert webhook); none: no page. */
  pagers?: readonly Pager[];
}
