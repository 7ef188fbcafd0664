// The use cases behind the bot: ask for a revocation, approve, reject, retry, look up, expire and
// resume. The Teams adapter turns messages and card clicks into these calls; everything a person
// is told comes back as text or as the saved request to render.
import type { Clock } from './clock';
import { RequestRefused } from './errors';
import type { Person, RevocationRequest, TargetSnapshot, DirectoryUser } from './model';
import type { Directory, Logger, Notifier, RequestStore } from './ports';
import { withRetry, type RetryPolicy } from './retry';
import {
  decideApproval,
  decideExpiry,
  decideRejection,
  decideRetry,
  remaining,
  type Decision,
} from './approval/policy';
import { buildPlan } from './revocation/plan';
import type { RevocationEngine } from './revocation/engine';
import { RequestUpdater } from './request-updater';
import { approvedMessage, expiredMessage, rejectedMessage } from './revocation/milestones';
import { newRequestId } from './request-id';

export interface ServiceSettings {
  requiredApprovals: number;
  approvalTimeoutMinutes: number;
  approverGroupId: string;
  /** UPNs (lower case) or object ids that can never be targeted. */
  protectedUsers: string[];
  protectedGroupId?: string;
  onPremConfigured: boolean;
}

export interface ServiceDependencies {
  store: RequestStore;
  directory: Directory;
  notifier: Notifier;
  engine: RevocationEngine;
  clock: Clock;
  logger: Logger;
  settings: ServiceSettings;
  retryPolicy?: Partial<RetryPolicy>;
  newId?: () => string;
}

export type CardAction = 'approve' | 'reject' | 'retry';

export interface ActionResult {
  /** The request after the action (unchanged when refused). */
  request: RevocationRequest;
  /** What to tell the person who clicked. */
  message: string;
  accepted: boolean;
}

/** Where a click came from: the card's activity id, so a click is bound to its own request. */
export interface ActionOrigin {
  cardActivityId?: string;
}

export class RevokeService {
  private readonly updater: RequestUpdater;
  private readonly newId: () => string;

  constructor(private readonly deps: ServiceDependencies) {
    this.updater = new RequestUpdater(deps.store);
    this.newId = deps.newId ?? newRequestId;
  }

  /**
   * Looks the target up, checks it may be targeted, saves a pending request and posts its card.
   * Throws RequestRefused with a message for the requester when the request cannot be made.
   */
  async requestRevocation(input: {
    target: string;
    reason: string;
    requester: Person;
    conversationReference: string;
  }): Promise<RevocationRequest> {
    const { directory, settings, clock } = this.deps;
    const user = await this.call(() => directory.findUser(input.target));
    if (!user) {
      throw new RequestRefused(
        'unknown_user',
        `No user ${input.target} was found in the directory. Check the address and try again.`,
      );
    }
    await this.refuseIfProtected(user);
    const devices = await this.call(() => directory.listRegisteredDevices(user.id));
    const target = snapshot(user, devices.length);
    const plan = buildPlan(target, devices, { onPremConfigured: settings.onPremConfigured });
    const now = clock.now();
    const request: RevocationRequest = {
      id: this.newId(),
      version: 1,
      status: 'pending',
      target,
      reason: input.reason,
      requester: input.requester,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + settings.approvalTimeoutMinutes * 60_000).toISOString(),
      requiredApprovals: settings.requiredApprovals,
      approvals: [],
      steps: plan.steps,
      planNotes: plan.notes,
      card: { conversationReference: input.conversationReference },
    };
    await this.deps.store.create(request);
    this.deps.logger.info('revocation requested', {
      requestId: request.id,
      targetId: target.id,
      requesterId: input.requester.id,
    });
    const cardActivityId = await this.deps.notifier.postRequestCard(request);
    const saved = await this.updater.update(request.id, (current) =>
      cardActivityId ? { ...current, card: { ...current.card, cardActivityId } } : undefined,
    );
    return saved ?? request;
  }

  async act(
    action: CardAction,
    requestId: string,
    person: Person,
    origin: ActionOrigin = {},
  ): Promise<ActionResult> {
    const log = this.deps.logger.child({ requestId, actorId: person.id, action });
    const existing = await this.deps.store.get(requestId);
    if (!existing) {
      log.warn('action refused: unknown request');
      throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
    }
    if (
      origin.cardActivityId &&
      existing.card.cardActivityId &&
      origin.cardActivityId !== existing.card.cardActivityId
    ) {
      log.warn('action refused: card does not belong to the request', {
        cardActivityId: origin.cardActivityId,
      });
      return refused(existing, 'This button does not belong to that request. Nothing was changed.');
    }
    const expired = await this.expireIfDue(existing);
    if (expired)
      return refused(
        expired,
        'This request has expired. Nothing was changed; ask again if access still needs revoking.',
      );

    const isApprover = await this.isApprover(person.id);
    const actor = { person, isApprover };
    let decision: Decision | undefined;
    const saved = await this.updater.update(requestId, (current) => {
      decision = decide(action, current, actor, this.deps.clock.now());
      return decision.ok ? decision.request : undefined;
    });
    if (!saved || !decision)
      throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
    if (!decision.ok) {
      log.info('action refused', { code: decision.code });
      return refused(saved, decision.message);
    }
    log.info('action accepted', { outcome: decision.outcome });
    await this.safely(() => this.deps.notifier.updateCard(saved), 'card update');
    switch (decision.outcome) {
      case 'approval_recorded':
        return accepted(saved, `Approval recorded. ${remaining(saved)} more approver(s) needed.`);
      case 'approved':
        await this.safely(
          () => this.deps.notifier.postMilestone(saved, approvedMessage(saved)),
          'thread message',
        );
        this.startRun(saved.id);
        return accepted(
          saved,
          'Approved. The revocation is running now; the card shows its progress.',
        );
      case 'rejected':
        await this.safely(
          () => this.deps.notifier.postMilestone(saved, rejectedMessage(saved)),
          'thread message',
        );
        return accepted(saved, 'Rejected. Nothing will be changed.');
      case 'retry_started':
        this.startRun(saved.id);
        return accepted(saved, 'Retrying the failed steps.');
      case 'expired':
        return refused(saved, 'This request has expired.');
    }
  }

  getRequest(id: string): Promise<RevocationRequest | undefined> {
    return this.deps.store.get(id);
  }

  /** Marks every pending request whose time is up as expired, and says so on its card. */
  async expireDue(): Promise<number> {
    const pending = await this.deps.store.listByStatus(['pending']);
    let count = 0;
    for (const request of pending) {
      if (await this.expireIfDue(request)) count++;
    }
    return count;
  }

  /** Resumes the runs that were in progress when the process stopped. */
  async resumeRunning(): Promise<string[]> {
    const running = await this.deps.store.listByStatus(['running']);
    for (const request of running) {
      this.deps.logger.info('resuming run', { requestId: request.id });
      this.startRun(request.id);
    }
    return running.map((r) => r.id);
  }

  private startRun(requestId: string): void {
    this.deps.engine.run(requestId).catch((error: unknown) => {
      this.deps.logger.error('run stopped by an unexpected error; it resumes at the next start', {
        requestId,
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }

  private async expireIfDue(request: RevocationRequest): Promise<RevocationRequest | undefined> {
    if (!decideExpiry(request, this.deps.clock.now())) return undefined;
    let changed = false;
    const saved = await this.updater.update(request.id, (current) => {
      const next = decideExpiry(current, this.deps.clock.now());
      changed = next !== undefined;
      return next;
    });
    if (!saved || !changed) return saved?.status === 'expired' ? saved : undefined;
    this.deps.logger.info('request expired', { requestId: saved.id });
    await this.safely(() => this.deps.notifier.updateCard(saved), 'card update');
    await this.safely(
      () => this.deps.notifier.postMilestone(saved, expiredMessage(saved)),
      'thread message',
    );
    return saved;
  }

  private async refuseIfProtected(user: DirectoryUser): Promise<void> {
    const { settings, directory } = this.deps;
    const names = [user.id.toLowerCase(), user.userPrincipalName.toLowerCase()];
    if (user.mail) names.push(user.mail.toLowerCase());
    const listed = names.some((name) => settings.protectedUsers.includes(name));
    const inGroup =
      settings.protectedGroupId !== undefined &&
      (
        await this.call(() =>
          directory.memberGroups(user.id, [settings.protectedGroupId as string]),
        )
      ).length > 0;
    if (listed || inGroup) {
      this.deps.logger.warn('protected account targeted', { targetId: user.id });
      throw new RequestRefused(
        'protected_target',
        `${user.displayName} is a protected account (break-glass or service identity) and cannot be revoked by Revoke. Use your emergency-access procedure instead.`,
      );
    }
  }

  private async isApprover(personId: string): Promise<boolean> {
    const groupId = this.deps.settings.approverGroupId;
    const groups = await this.call(() => this.deps.directory.memberGroups(personId, [groupId]));
    return groups.includes(groupId);
  }

  private call<T>(operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, {
      clock: this.deps.clock,
      // A person is waiting for the answer: give up sooner than the engine does.
      policy: { deadlineMs: 10_000, maxAttempts: 3, ...this.deps.retryPolicy },
    });
  }

  private async safely(operation: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await operation();
    } catch (error) {
      this.deps.logger.warn(`${what} failed`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function decide(
  action: CardAction,
  request: RevocationRequest,
  actor: { person: Person; isApprover: boolean },
  now: Date,
): Decision {
  switch (action) {
    case 'approve':
      return decideApproval(request, actor, now);
    case 'reject':
      return decideRejection(request, actor, now);
    case 'retry':
      return decideRetry(request, actor, now);
  }
}

function snapshot(user: DirectoryUser, deviceCount: number): TargetSnapshot {
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

function accepted(request: RevocationRequest, message: string): ActionResult {
  return { request, message, accepted: true };
}

function refused(request: RevocationRequest, message: string): ActionResult {
  return { request, message, accepted: false };
}
