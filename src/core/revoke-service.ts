// The use cases behind the bot: ask for a revocation, approve, reject, retry, look up, expire and
// resume. The Teams adapter turns messages and card clicks into these calls; everything a person
// is told comes back as text or as the saved request to render.
import { appendAudit } from './audit-recorder';
import type { Clock } from './clock';
import { RequestRefused } from './errors';
import type {
  Person,
  ResidualLifetimes,
  RevocationOptions,
  RevocationProfile,
  RevocationRequest,
  DirectoryUser,
} from './model';
import type { ContainmentDirectory } from './containment-ports';
import type { AppProvisioning, ScimApps } from './app-ports';
import { gatherAppInventory } from './revocation/app-inventory';
import { manualTasks, type AppSettings } from './revocation/app-plan';
import { decideTaskDone } from './manual-tasks';
import { gatherInventory } from './revocation/inventory';
import type {
  AuditLog,
  Directory,
  Logger,
  Metrics,
  Notifier,
  PersonalCardResult,
  RequestStore,
} from './ports';
import { NOOP_METRICS } from './noop-metrics';
import { NO_AUDIT, type AuditEvent } from './audit-event';
import { privilegedRoleNames } from './approval/privileged-roles';
import { withRetry, type RetryPolicy } from './retry';
import {
  decideApproval,
  decideExpiry,
  decideRejection,
  decideRetry,
  remaining,
  type Actor,
  type Decision,
  type Outcome,
} from './approval/policy';
import { buildPlan } from './revocation/plan';
import type { RevocationEngine } from './revocation/engine';
import { RequestUpdater } from './request-updater';
import { approvedMessage, expiredMessage, rejectedMessage } from './revocation/milestones';
import { newRequestId } from './request-id';
import { isProtectedTarget, targetSnapshot } from './targets';
import { pendingRequest } from './pending-request';
import {
  buildRestoreRequest,
  restoreOf,
  buildWipeRequest,
  type FollowUpAsk,
  type FollowUpContext,
} from './follow-ups';

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
  directory: Directory;
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
}

export type CardAction = 'approve' | 'reject' | 'retry';

export type ViewerRole = 'approver' | 'requester' | 'observer';

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
  private readonly audit: AuditLog;
  private readonly metrics: Metrics;

  constructor(private readonly deps: ServiceDependencies) {
    this.updater = new RequestUpdater(deps.store);
    this.newId = deps.newId ?? newRequestId;
    this.audit = deps.audit ?? NO_AUDIT;
    this.metrics = deps.metrics ?? NOOP_METRICS;
  }

  /**
   * Looks the target up, checks it may be targeted, saves a pending request and posts its card.
   * Throws RequestRefused with a message for the requester when the request cannot be made.
   */
  async requestRevocation(input: RevocationAsk): Promise<RevocationRequest> {
    try {
      return await this.createRequest(input);
    } catch (error) {
      if (error instanceof RequestRefused) {
        await this.record({
          type: 'request.refused',
          actorId: input.requester.id,
          details: { code: error.code, target: input.target.slice(0, 256) },
        });
      }
      throw error;
    }
  }

  /**
   * The dry run: the request exactly as `user` would make it, with the same checks, but neither
   * saved nor posted; nothing is written anywhere.
   */
  async previewRevocation(
    input: Omit<RevocationAsk, 'reason' | 'conversationReference'>,
  ): Promise<RevocationRequest> {
    const request = await this.prepareRequest({
      ...input,
      reason: '(dry run: no reason given)',
      conversationReference: '',
    });
    this.deps.logger.info('plan previewed', {
      targetId: request.target.id,
      requesterId: input.requester.id,
      steps: request.steps.length,
    });
    return request;
  }

  /**
   * After a false alarm: a restore request that follows up a finished revocation, under the same
   * approval rule, whose plan re-enables exactly what the revocation disabled.
   */
  async requestRestore(input: FollowUpAsk & { reason: string }): Promise<RevocationRequest> {
    await this.refuseUnlessRequester(input.requester);
    const request = await buildRestoreRequest(input, this.followUpContext());
    return this.saveAndPost(request, input.requester);
  }

  /**
   * A wipe of the user's Intune devices, as a follow-up of a finished revocation: its own request
   * under the same approval rule, listing every device it erases. The requester has already
   * confirmed in words (`wipe <id> confirm`); the approvers confirm on the card.
   */
  async requestWipe(input: FollowUpAsk): Promise<RevocationRequest> {
    await this.refuseUnlessRequester(input.requester);
    const request = await buildWipeRequest(input, this.followUpContext());
    return this.saveAndPost(request, input.requester);
  }

  private followUpContext(): FollowUpContext {
    return {
      store: this.deps.store,
      containment: this.deps.containment,
      newId: this.newId,
      now: () => this.deps.clock.now(),
      approvalTimeoutMinutes: this.deps.settings.approvalTimeoutMinutes,
      call: (operation) => this.call(operation),
    };
  }

  private async createRequest(input: RevocationAsk): Promise<RevocationRequest> {
    const request = await this.prepareRequest(input);
    return this.saveAndPost(request, input.requester);
  }

  /** Every check and look-up a request needs, without saving anything. */
  private async prepareRequest(input: RevocationAsk): Promise<RevocationRequest> {
    const { directory, settings, clock } = this.deps;
    await this.refuseUnlessRequester(input.requester);
    const user = await this.call(() => directory.findUser(input.target));
    if (!user) {
      throw new RequestRefused(
        'unknown_user',
        `No user ${input.target} was found in the directory. Check the address and try again.`,
      );
    }
    await this.refuseIfProtected(user);
    const devices = await this.call(() => directory.listRegisteredDevices(user.id));
    const privilegedRoles = privilegedRoleNames(
      await this.call(() => directory.listDirectoryRoles(user.id)),
    );
    const target = targetSnapshot(user, devices.length);
    if (privilegedRoles.length > 0) target.privilegedRoles = privilegedRoles;
    const profile = input.profile ?? 'termination';
    const options = input.options ?? { retireDevices: false };
    const containment = await gatherInventory(this.deps.containment, (op) => this.call(op), {
      userId: user.id,
      profile,
      options,
      settings: {
        mfaRecentDays: settings.mfaRecentDays ?? 7,
        containmentGroupId: settings.containmentGroupId,
      },
      now: clock.now(),
    });
    const apps = await gatherAppInventory(
      this.deps.provisioning,
      this.deps.scim,
      (op) => this.call(op),
      settings.provisioningAppIds ?? [],
    );
    const plan = buildPlan(target, devices, {
      onPremConfigured: settings.onPremConfigured,
      profile,
      containment,
      apps,
    });
    const requiredApprovals = settings.requiredApprovals + (privilegedRoles.length > 0 ? 1 : 0);
    const planNotes =
      privilegedRoles.length > 0
        ? [
            `${target.displayName} holds privileged directory roles (${privilegedRoles.join(', ')}): this request needs ${requiredApprovals} approvals instead of ${settings.requiredApprovals}.`,
            ...plan.notes,
          ]
        : plan.notes;
    const request = pendingRequest(
      {
        id: this.newId(),
        now: clock.now(),
        approvalTimeoutMinutes: settings.approvalTimeoutMinutes,
        target,
        reason: input.reason,
        requester: input.requester,
        requiredApprovals,
        plan: { steps: plan.steps, notes: planNotes },
        card: { conversationReference: input.conversationReference },
      },
      { kind: 'revocation', profile, options, lifetimes: settings.lifetimes ?? DEFAULT_LIFETIMES },
    );
    const tasks = manualTasks(settings.manualTasks ?? []);
    if (tasks.length > 0) request.manualTasks = tasks;
    return request;
  }

  private async saveAndPost(
    request: RevocationRequest,
    requester: Person,
  ): Promise<RevocationRequest> {
    const target = request.target;
    const requiredApprovals = request.requiredApprovals;
    const privilegedRoles = target.privilegedRoles ?? [];
    const input = { requester };
    await this.deps.store.create(request);
    this.metrics.requestTransition('pending');
    this.deps.logger.info('revocation requested', {
      requestId: request.id,
      targetId: target.id,
      requesterId: input.requester.id,
    });
    await this.record({
      type: 'request.created',
      requestId: request.id,
      actorId: input.requester.id,
      details: {
        targetId: target.id,
        targetUpn: target.userPrincipalName,
        reason: request.reason,
        kind: request.kind ?? 'revocation',
        profile: request.profile ?? 'termination',
        followsUp: request.followsUp ?? null,
        requiredApprovals,
        privilegedRoles,
        steps: request.steps.map((step) => step.id),
      },
    });
    const cardActivityId = await this.deps.notifier.postRequestCard(request);
    const saved = await this.updater.update(request.id, (current) =>
      cardActivityId ? { ...current, card: { ...current.card, cardActivityId } } : undefined,
    );
    return (await this.offerToManager(saved ?? request)) ?? saved ?? request;
  }

  /**
   * With ALLOW_MANAGER_APPROVAL, a termination's card also goes to the target's manager in a
   * personal chat: they may not be in the SOC's channel. When they cannot be reached the thread is
   * told, so nobody waits for an approval that cannot come.
   */
  private async offerToManager(request: RevocationRequest): Promise<RevocationRequest | undefined> {
    const { notifier, settings, directory } = this.deps;
    if (
      settings.allowManagerApproval !== true ||
      !notifier.postPersonalCard ||
      (request.kind ?? 'revocation') !== 'revocation' ||
      (request.profile ?? 'termination') !== 'termination' ||
      request.batchId !== undefined
    )
      return undefined;
    let manager: Person | undefined;
    let result: PersonalCardResult;
    try {
      manager = await this.call(() => directory.getManager(request.target.id));
      if (!manager || manager.id.toLowerCase() === request.requester.id.toLowerCase())
        return undefined;
      result = await notifier.postPersonalCard(request, manager);
    } catch (error) {
      result = { unreachable: error instanceof Error ? error.message : String(error) };
    }
    if (!manager) return undefined;
    await this.record({
      type: 'manager.notified',
      requestId: request.id,
      details: {
        managerId: manager.id,
        reached: 'location' in result,
        reason: 'unreachable' in result ? result.unreachable.slice(0, 200) : null,
      },
    });
    if ('unreachable' in result) {
      this.deps.logger.warn('manager not reachable in a personal chat', {
        requestId: request.id,
        managerId: manager.id,
        reason: result.unreachable,
      });
      await this.safely(
        () =>
          notifier.postMilestone(
            request,
            `The approval card could not be sent to ${manager.name}, the manager of ${request.target.displayName}, in a personal chat (${result.unreachable}). They can approve here in this thread if they can see it; otherwise ${request.requiredApprovals} approvers from the approver group must approve.`,
          ),
        'thread message',
      );
      return undefined;
    }
    const managerCard = { ...result.location, managerId: manager.id };
    return this.updater.update(request.id, (current) => ({ ...current, managerCard }));
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
      await this.recordRefusal(action, requestId, person, 'unknown_request');
      throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
    }
    // A member of a batch is approved, rejected and retried only through its batch, where the
    // batch's own rules (no member may approve) apply.
    if (existing.batchId !== undefined) {
      log.warn('action refused: member of a batch', { batchId: existing.batchId });
      await this.recordRefusal(action, requestId, person, 'stale_card');
      return refused(
        existing,
        `${existing.id} is part of batch ${existing.batchId}: act on the batch's card.`,
      );
    }
    // Bound to the request's own cards: the thread's, and the manager's copy when there is one.
    const ownCards = [existing.card.cardActivityId, existing.managerCard?.cardActivityId];
    if (
      origin.cardActivityId &&
      existing.card.cardActivityId &&
      !ownCards.includes(origin.cardActivityId)
    ) {
      log.warn('action refused: card does not belong to the request', {
        cardActivityId: origin.cardActivityId,
      });
      await this.recordRefusal(action, requestId, person, 'stale_card');
      return refused(existing, 'This button does not belong to that request. Nothing was changed.');
    }
    const expired = await this.expireIfDue(existing);
    if (expired) {
      await this.recordRefusal(action, requestId, person, 'expired');
      return refused(
        expired,
        'This request has expired. Nothing was changed; ask again if access still needs revoking.',
      );
    }

    if (action === 'retry') {
      const restore = await restoreOf(existing, this.deps.store);
      if (restore) {
        await this.recordRefusal(action, requestId, person, 'nothing_to_retry');
        return refused(
          existing,
          `${existing.id} has been followed by restore ${restore.id}: its failed steps cannot be retried. Ask for a new revocation if access must be revoked again.`,
        );
      }
    }

    const isApprover = await this.isApprover(person.id);
    const isManagerOfTarget =
      !isApprover &&
      action === 'approve' &&
      this.deps.settings.allowManagerApproval === true &&
      (await this.isManagerOf(person.id, existing.target.id));
    const actor: Actor = { person, isApprover, isManagerOfTarget };
    let decision: Decision | undefined;
    const saved = await this.updater.update(requestId, (current) => {
      decision = decide(action, current, actor, this.deps.clock.now());
      return decision.ok ? decision.request : undefined;
    });
    if (!saved || !decision)
      throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
    if (!decision.ok) {
      log.info('action refused', { code: decision.code });
      await this.recordRefusal(action, requestId, person, decision.code);
      return refused(saved, decision.message);
    }
    log.info('action accepted', { outcome: decision.outcome });
    this.countOutcome(decision.outcome, saved);
    await this.recordOutcome(decision.outcome, saved, person);
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

  /**
   * An approver ticks off an item of the manual checklist. Idempotent: a second click is refused
   * with who ticked it and when, and changes nothing.
   */
  async completeTask(
    requestId: string,
    taskId: string,
    person: Person,
    origin: ActionOrigin = {},
  ): Promise<ActionResult> {
    const existing = await this.deps.store.get(requestId);
    if (!existing) throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
    const ownCards = [existing.card.cardActivityId, existing.managerCard?.cardActivityId];
    if (
      origin.cardActivityId &&
      existing.card.cardActivityId &&
      !ownCards.includes(origin.cardActivityId)
    ) {
      await this.recordRefusal('taskDone', requestId, person, 'stale_card');
      return refused(existing, 'This button does not belong to that request. Nothing was changed.');
    }
    const isApprover = await this.isApprover(person.id);
    let refusal: { code: string; message: string } | undefined;
    let taskTitle = '';
    const saved = await this.updater.update(requestId, (current) => {
      const decision = decideTaskDone(current, taskId, person, isApprover, this.deps.clock.now());
      refusal = decision.ok ? undefined : decision;
      if (decision.ok) taskTitle = decision.task.title;
      return decision.ok ? decision.request : undefined;
    });
    if (!saved) throw new RequestRefused('unknown_request', `There is no request ${requestId}.`);
    if (refusal) {
      await this.recordRefusal('taskDone', requestId, person, refusal.code);
      return refused(saved, refusal.message);
    }
    this.deps.logger.info('manual task done', { requestId, taskId, actorId: person.id });
    await this.record({
      type: 'task.done',
      requestId,
      actorId: person.id,
      details: { taskId, title: taskTitle.slice(0, 200) },
    });
    await this.safely(() => this.deps.notifier.updateCard(saved), 'card update');
    return accepted(saved, `Recorded: "${taskTitle}" is done.`);
  }

  /** For refusals the Teams edge decides on its own (wrong tenant or channel, forged clicks). */
  async recordRefusedAccess(
    actorId: string | undefined,
    details: Record<string, string>,
  ): Promise<void> {
    await this.record({ type: 'access.refused', actorId, details });
  }

  getRequest(id: string): Promise<RevocationRequest | undefined> {
    return this.deps.store.get(id);
  }

  /**
   * Which view of the request's card this person gets. It only decides what the card offers;
   * every action is still checked in full by `act`. A requester who is also an approver sees the
   * requester's view, since they may not approve their own request.
   */
  async viewerRole(request: RevocationRequest, person: Person): Promise<ViewerRole> {
    if (request.requester.id === person.id) return 'requester';
    return (await this.isApprover(person.id)) ? 'approver' : 'observer';
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

  /**
   * With several instances: offers every running request this process is not running to the
   * engine, whose run lease decides who executes it. Called periodically, it is how the runs of an
   * instance that died are picked up once its leases expire.
   */
  async adoptRunning(): Promise<void> {
    const running = await this.deps.store.listByStatus(['running']);
    for (const request of running) {
      if (!this.deps.engine.isRunning(request.id)) this.startRun(request.id);
    }
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
    this.metrics.requestTransition('expired');
    await this.record({
      type: 'request.expired',
      requestId: saved.id,
      details: { approvals: saved.approvals.length, requiredApprovals: saved.requiredApprovals },
    });
    await this.safely(() => this.deps.notifier.updateCard(saved), 'card update');
    await this.safely(
      () => this.deps.notifier.postMilestone(saved, expiredMessage(saved)),
      'thread message',
    );
    return saved;
  }

  private async refuseIfProtected(user: DirectoryUser): Promise<void> {
    const { settings, directory } = this.deps;
    const isProtected = await isProtectedTarget(user, settings, (id, groups) =>
      this.call(() => directory.memberGroups(id, groups)),
    );
    if (isProtected) {
      this.deps.logger.warn('protected account targeted', { targetId: user.id });
      throw new RequestRefused(
        'protected_target',
        `${user.displayName} is a protected account (break-glass or service identity) and cannot be revoked by Revoke. Use your emergency-access procedure instead.`,
      );
    }
  }

  private async refuseUnlessRequester(requester: Person): Promise<void> {
    const groupId = this.deps.settings.requesterGroupId;
    if (groupId === undefined) return;
    const groups = await this.call(() => this.deps.directory.memberGroups(requester.id, [groupId]));
    if (!groups.includes(groupId)) {
      this.deps.logger.warn('request refused: not in the requester group', {
        requesterId: requester.id,
      });
      throw new RequestRefused(
        'not_requester',
        'Only members of the requester group can ask for a revocation. Ask your security team to make the request.',
      );
    }
  }

  private async isManagerOf(personId: string, targetId: string): Promise<boolean> {
    const manager = await this.call(() => this.deps.directory.getManager(targetId));
    return manager !== undefined && manager.id.toLowerCase() === personId.toLowerCase();
  }

  private async recordOutcome(
    outcome: Outcome,
    request: RevocationRequest,
    person: Person,
  ): Promise<void> {
    const base = { requestId: request.id, actorId: person.id };
    switch (outcome) {
      case 'approval_recorded':
      case 'approved': {
        const mine = request.approvals.find((a) => a.approver.id === person.id);
        await this.record({
          ...base,
          type: 'approval.recorded',
          details: {
            as: mine?.as ?? 'approver',
            approvals: request.approvals.length,
            requiredApprovals: request.requiredApprovals,
          },
        });
        if (outcome === 'approved') {
          await this.record({
            ...base,
            type: 'request.approved',
            details: { approvers: request.approvals.map((a) => a.approver.id) },
          });
        }
        return;
      }
      case 'rejected':
        await this.record({ ...base, type: 'request.rejected', details: {} });
        return;
      case 'retry_started':
        await this.record({
          ...base,
          type: 'run.retry',
          details: {
            steps: request.steps.filter((s) => s.status === 'pending').map((s) => s.id),
          },
        });
        return;
      case 'expired':
        return;
    }
  }

  private recordRefusal(
    action: CardAction | 'taskDone',
    requestId: string,
    person: Person,
    code: string,
  ): Promise<void> {
    return this.record({
      type: 'action.refused',
      requestId,
      actorId: person.id,
      details: { action, code },
    });
  }

  /** The audit trail must never stop an emergency revocation: a failed append is logged loudly. */
  private record(event: Omit<AuditEvent, 'at'>): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    return appendAudit(this.audit, { ...event, at }, this.deps.logger);
  }

  private async isApprover(personId: string): Promise<boolean> {
    const groupId = this.deps.settings.approverGroupId;
    const groups = await this.call(() => this.deps.directory.memberGroups(personId, [groupId]));
    return groups.includes(groupId);
  }

  private countOutcome(outcome: Outcome, request: RevocationRequest): void {
    if (outcome === 'approved') {
      this.metrics.requestTransition('running');
      const approvedAt = request.runStartedAt ?? this.deps.clock.now().toISOString();
      this.metrics.approvalTime(Date.parse(approvedAt) - Date.parse(request.createdAt));
    } else if (outcome === 'retry_started') {
      this.metrics.requestTransition('running');
    } else if (outcome === 'rejected') {
      this.metrics.requestTransition('rejected');
    }
  }

  private call<T>(operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, {
      clock: this.deps.clock,
      // A person is waiting for the answer: give up sooner than the engine does.
      policy: { deadlineMs: 10_000, maxAttempts: 3, ...this.deps.retryPolicy },
      onRetry: ({ error }) =>
        this.metrics.retried('lookup', error.kind === 'throttled' ? 'throttled' : 'transient'),
    });
  }

  private async safely(operation: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await operation();
    } catch (error) {
      if (what === 'card update') this.metrics.cardUpdateFailed();
      this.deps.logger.warn(`${what} failed`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function decide(action: CardAction, request: RevocationRequest, actor: Actor, now: Date): Decision {
  switch (action) {
    case 'approve':
      return decideApproval(request, actor, now);
    case 'reject':
      return decideRejection(request, actor, now);
    case 'retry':
      return decideRetry(request, actor, now);
  }
}

function accepted(request: RevocationRequest, message: string): ActionResult {
  return { request, message, accepted: true };
}

function refused(request: RevocationRequest, message: string): ActionResult {
  return { request, message, accepted: false };
}
