// The use cases behind the bot: ask for a revocation, approve, reject, retry, look up, expire and
// resume. The Teams adapter turns messages and card clicks into these calls; everything a person
// is told comes back as text or as the saved request to render.
//
// A thin façade: each use case lives in its own module and gets the shared ServiceContext.
import { RequestRefused } from './errors';
import type { Person, RevocationRequest } from './model';
import {
  buildRestoreRequest,
  buildWipeRequest,
  type FollowUpAsk,
  type FollowUpContext,
} from './follow-ups';
import type { ActionOrigin, ActionResult, CardAction } from './action-result';
import { handleCardAction } from './card-action';
import { prepareRequest, refuseUnlessRequesterOf } from './request-preparation';
import { saveAndPost } from './request-posting';
import { previewPlan, type PlanAsk } from './plan-preview';
import { expireDue } from './request-expiry';
import { completeTask } from './task-completion';
import { serviceContext, type ServiceContext } from './service-context';
import { runDueOutreach } from './outreach/run-outreach';
import { isEscalationMemberOf } from './card-action';
import type { RevocationAsk, ServiceDependencies } from './service-settings';

export {
  DEFAULT_LIFETIMES,
  type RevocationAsk,
  type ServiceDependencies,
  type ServiceSettings,
} from './service-settings';
export type { ActionOrigin, ActionResult, CardAction } from './action-result';

export type ViewerRole = 'approver' | 'requester' | 'observer';

export class RevokeService {
  private readonly ctx: ServiceContext;
  /** The outreach sweep in progress (one at a time per process), and whether another is asked for. */
  private outreachRun: Promise<number> | undefined;
  private outreachQueued: Promise<number> | undefined;

  constructor(deps: ServiceDependencies) {
    this.ctx = serviceContext(deps);
  }

  /**
   * Looks the target up, checks it may be targeted, saves a pending request and posts its card.
   * Throws RequestRefused with a message for the requester when the request cannot be made.
   */
  async requestRevocation(input: RevocationAsk): Promise<RevocationRequest> {
    try {
      const request = await prepareRequest(this.ctx, input);
      const saved = await saveAndPost(this.ctx, request, input.requester);
      this.outreachSoon();
      return saved;
    } catch (error) {
      // A request cancelled because its card could not be posted has its own record.
      if (error instanceof RequestRefused && error.code !== 'card_not_posted') {
        await this.ctx.record({
          type: 'request.refused',
          actorId: input.requester.id,
          details: { code: error.code, target: input.target.slice(0, 256) },
        });
      }
      throw error;
    }
  }

  /**
   * The dry run: the request exactly as `user` would make it, with the same checks, neither saved
   * nor posted. It is audited (who looked at whom) before it is returned; see plan-preview.ts.
   */
  previewRevocation(input: PlanAsk): Promise<RevocationRequest> {
    return previewPlan(this.ctx, input);
  }

  /**
   * After a false alarm: a restore request that follows up a finished revocation, under the same
   * approval rule, whose plan re-enables exactly what the revocation disabled.
   */
  async requestRestore(input: FollowUpAsk & { reason: string }): Promise<RevocationRequest> {
    await refuseUnlessRequesterOf(this.ctx, input.requester);
    const request = await buildRestoreRequest(input, this.followUpContext());
    const saved = await saveAndPost(this.ctx, request, input.requester);
    this.outreachSoon();
    return saved;
  }

  /**
   * A wipe of the user's Intune devices, as a follow-up of a finished revocation: its own request
   * under the same approval rule, listing every device it erases. The requester has already
   * confirmed in words (`wipe <id> confirm`); the approvers confirm on the card.
   */
  async requestWipe(input: FollowUpAsk): Promise<RevocationRequest> {
    await refuseUnlessRequesterOf(this.ctx, input.requester);
    const request = await buildWipeRequest(input, this.followUpContext());
    const saved = await saveAndPost(this.ctx, request, input.requester);
    this.outreachSoon();
    return saved;
  }

  private followUpContext(): FollowUpContext {
    const { deps, newId, retrying } = this.ctx;
    return {
      store: deps.store,
      containment: deps.containment,
      newId,
      now: () => deps.clock.now(),
      approvalTimeoutMinutes: deps.settings.approvalTimeoutMinutes,
      retrying: (operation) => retrying(operation),
    };
  }

  async handleCardAction(
    action: CardAction,
    requestId: string,
    person: Person,
    origin: ActionOrigin = {},
  ): Promise<ActionResult> {
    const result = await handleCardAction(this.ctx, action, requestId, person, origin);
    // A decided request's page is resolved now, not at the next sweep.
    if (result.request.status !== 'pending') this.outreachSoon();
    return result;
  }

  /**
   * An approver ticks off an item of the manual checklist. Idempotent: a second click is refused
   * with who ticked it and when, and changes nothing.
   */
  completeTask(
    requestId: string,
    taskId: string,
    person: Person,
    origin: ActionOrigin = {},
  ): Promise<ActionResult> {
    return completeTask(this.ctx, requestId, taskId, person, origin);
  }

  /** For refusals the Teams edge decides on its own (wrong tenant or channel, forged clicks). */
  async recordRefusedAccess(
    actorId: string | undefined,
    details: Record<string, string>,
  ): Promise<void> {
    await this.ctx.record({ type: 'access.refused', actorId, details });
  }

  getRequest(id: string): Promise<RevocationRequest | undefined> {
    return this.ctx.deps.store.get(id);
  }

  /**
   * Which view of the request's card this person gets. It only decides what the card offers;
   * every action is still checked in full by `handleCardAction`. A requester who is also an approver sees the
   * requester's view, since they may not approve their own request.
   */
  async viewerRole(request: RevocationRequest, person: Person): Promise<ViewerRole> {
    if (request.requester.id === person.id) return 'requester';
    if (await this.ctx.isApprover(person.id)) return 'approver';
    return (await isEscalationMemberOf(this.ctx, person.id, request)) ? 'approver' : 'observer';
  }

  /** Marks every pending request whose time is up as expired, and says so on its card. */
  async expireDue(): Promise<number> {
    const expired = await expireDue(this.ctx);
    if (expired > 0) this.outreachSoon();
    return expired;
  }

  /**
   * Carries out the outreach that is due (personal cards, reminders, escalation, pages); returns
   * how many items this process did. One sweep at a time: asked while one runs, it runs once more
   * after it, so nothing that fell due in between waits for the next period.
   */
  runOutreach(): Promise<number> {
    if (this.outreachRun) {
      this.outreachQueued ??= this.outreachRun
        .catch(() => 0)
        .then(() => {
          this.outreachQueued = undefined;
          return this.runOutreach();
        });
      return this.outreachQueued;
    }
    const run = runDueOutreach(this.ctx).finally(() => {
      this.outreachRun = undefined;
    });
    this.outreachRun = run;
    return run;
  }

  /** Settles once no outreach sweep is running (tests, shutdown). */
  async outreachSettled(): Promise<void> {
    while (this.outreachRun || this.outreachQueued)
      await (this.outreachQueued ?? this.outreachRun)?.catch(() => 0);
  }

  private outreachSoon(): void {
    const { settings, pagers } = this.ctx.deps;
    if (!settings.outreach && (pagers ?? []).length === 0) return;
    this.runOutreach().catch((error: unknown) =>
      this.ctx.deps.logger.warn('outreach sweep failed', {
        message: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  /** Resumes the runs that were in progress when the process stopped. */
  async resumeRunning(): Promise<string[]> {
    const running = await this.ctx.deps.store.listByStatus(['running']);
    for (const request of running) {
      this.ctx.deps.logger.info('resuming run', { requestId: request.id });
      this.ctx.startRun(request.id);
    }
    return running.map((r) => r.id);
  }

  /**
   * With several instances: offers every running request this process is not running to the
   * engine, whose run lease decides who executes it. Called periodically, it is how the runs of an
   * instance that died are picked up once its leases expire.
   */
  async adoptRunning(): Promise<void> {
    const running = await this.ctx.deps.store.listByStatus(['running']);
    for (const request of running) {
      if (!this.ctx.deps.engine.isRunning(request.id)) this.ctx.startRun(request.id);
    }
  }
}
