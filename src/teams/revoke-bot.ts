// The Teams edge of Revoke: turns messages and card clicks into calls on the core service, and
// the service's answers into replies and cards. No revocation logic lives here.
import { cardLocations, personalCopies } from '../core/card-copies';
import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import { parseCommand, type Command } from '../core/commands/parse-command';
import { DirectoryError, RequestRefused } from '../core/errors';
import { countsTowardRateLimit } from '../core/commands/rate-limited';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/ports';
import type { CardLocation, Person, RevocationRequest } from '../core/model';
import type { ActionOrigin, RevokeService } from '../core/revoke-service';
import { personFrom } from './activity-person';
import { AfterAnswer } from './after-answer';
import { renderRequestCard, type RequestCardAudience } from './cards/render-request-card';
import { commandRefusalReply, renderHelpCard } from './cards/render-help-card';
import { sameConversation, serialiseReference } from './conversation-reference';
import { cardResponse, errorResponse, messageResponse, readCardAction } from './card-actions';
import { RequestCards, type CardAudience } from './request-cards';
import type { SandboxCast } from './sandbox-cast';
import type { ChannelAccounts } from './channel-accounts';
import { NOT_ENABLED_HERE, type AccessGate } from './access-gate';
import type { CommandRateLimiter } from './command-rate-limiter';
import type { BatchTeams } from './batch/batch-teams';
import type { StepUpGate } from './step-up/step-up-gate';

export interface RevokeBotOptions {
  /** Who gets per-person card views and is @mentioned; unknown when absent. */
  audience?: CardAudience;
  /** Sandbox mode only: lets a click name the sandbox person it is made as. */
  sandbox?: SandboxCast;
  /** The approvers' channel account ids as the notifier found them in each conversation. */
  accounts?: ChannelAccounts;
  /** The tenant and channels the bot answers in; everywhere else it says so and does nothing. */
  gate?: AccessGate;
  /** Limits typed commands per person (not `help` or `status`); card clicks are never limited. */
  rateLimiter?: CommandRateLimiter;
  /** Mass revocation (`users …` and the batch card's clicks); absent, `users` is unknown. */
  batch?: BatchTeams;
  /** APPROVAL_STEP_UP: a fresh MFA sign-in before an Approve or Reject counts; absent when off. */
  stepUp?: StepUpGate;
}

export class RevokeBot extends TeamsActivityHandler {
  private readonly cards: RequestCards;
  private readonly sandbox: SandboxCast | undefined;
  private readonly gate: AccessGate | undefined;
  private readonly rateLimiter: CommandRateLimiter | undefined;
  private readonly batch: BatchTeams | undefined;
  private readonly stepUp: StepUpGate | undefined;
  private readonly afterAnswer: AfterAnswer;

  constructor(
    private readonly service: RevokeService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: RevokeBotOptions = {},
  ) {
    super();
    this.cards = new RequestCards(clock, options.audience ?? options.sandbox, options.accounts);
    this.sandbox = options.sandbox;
    this.gate = options.gate;
    this.rateLimiter = options.rateLimiter;
    this.batch = options.batch;
    this.stepUp = options.stepUp;
    this.afterAnswer = new AfterAnswer(logger);
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  /** Resolves once the work that follows answered clicks is done (before a shutdown). */
  settled(): Promise<void> {
    return this.afterAnswer.settled();
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const log = this.logger.child({
      activityId: context.activity.id,
      from: context.activity.from?.aadObjectId,
    });
    const text =
      TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
    if (!(await this.admitMessage(context, text, log))) return;
    if (this.batch && (await this.batch.handleMessage(context, text))) return;
    let command: Command;
    try {
      command = parseCommand(text);
    } catch (error) {
      if (error instanceof RequestRefused) {
        await context.sendActivity(commandRefusalReply(error) ?? error.message);
        return;
      }
      throw error;
    }
    try {
      switch (command.kind) {
        case 'help':
          await context.sendActivity(
            MessageFactory.attachment(CardFactory.adaptiveCard(renderHelpCard())),
          );
          return;
        case 'status':
          await this.showStatus(context, command.requestId);
          return;
        case 'batchStatus':
          if (this.batch) await this.batch.showStatus(context, command.batchId);
          else await context.sendActivity(`There is no batch ${command.batchId}.`);
          return;
        case 'revoke':
          await this.requestRevocation(context, command);
          return;
        case 'plan':
          await this.showPlan(context, command);
          return;
        case 'restore':
          await this.requestRestore(context, command.requestId, command.reason);
          return;
        case 'wipe':
          await this.requestWipe(context, command.requestId);
          return;
      }
    } catch (error) {
      await context.sendActivity(commandRefusalReply(error) ?? this.explain(error, log));
    }
  }

  private async requestRevocation(
    context: TurnContext,
    command: Extract<Command, { kind: 'revoke' }>,
  ): Promise<void> {
    const requester = await this.requesterOf(context);
    if (!requester) return;
    const reference = serialiseReference(TurnContext.getConversationReference(context.activity));
    await this.service.requestRevocation({
      target: command.target,
      reason: command.reason,
      requester,
      conversationReference: reference,
      profile: command.profile,
      options: command.options,
    });
  }

  /** The dry run, as a card in reply; nothing is saved, so it has no buttons. */
  private async showPlan(
    context: TurnContext,
    command: Extract<Command, { kind: 'plan' }>,
  ): Promise<void> {
    const requester = await this.requesterOf(context);
    if (!requester) return;
    const request = await this.service.previewRevocation({
      target: command.target,
      requester,
      profile: command.profile,
      options: command.options,
    });
    const card = renderRequestCard(request, {
      now: this.clock.now(),
      view: 'observer',
      preview: true,
    });
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  }

  private async requestRestore(
    context: TurnContext,
    requestId: string,
    reason: string,
  ): Promise<void> {
    const ask = await this.followUpAsk(context, requestId);
    if (ask) await this.service.requestRestore({ ...ask, reason });
  }

  private async requestWipe(context: TurnContext, requestId: string): Promise<void> {
    const ask = await this.followUpAsk(context, requestId);
    if (ask) await this.service.requestWipe(ask);
  }

  /** Who asks to follow up which request, from here; undefined (and answered) when not allowed. */
  private async followUpAsk(
    context: TurnContext,
    requestId: string,
  ): Promise<{ originalId: string; requester: Person; conversationReference: string } | undefined> {
    const requester = await this.requesterOf(context);
    if (!requester) return undefined;
    const original = await this.service.getRequest(requestId);
    // Same answer for unknown and foreign ids: do not reveal which requests exist elsewhere.
    if (
      !original ||
      !sameConversation(original.card.conversationReference, context.activity.conversation?.id)
    ) {
      await context.sendActivity(`There is no request ${requestId} in this conversation.`);
      return undefined;
    }
    const reference = serialiseReference(TurnContext.getConversationReference(context.activity));
    return { originalId: requestId, requester, conversationReference: reference };
  }

  private async requesterOf(context: TurnContext): Promise<Person | undefined> {
    const requester = personFrom(context.activity);
    if (!requester) {
      await context.sendActivity(
        'I cannot tell who you are (the message carries no Entra ID identity), so I cannot take a request from you.',
      );
    }
    return requester;
  }

  private async showStatus(context: TurnContext, requestId: string): Promise<void> {
    const request = await this.service.getRequest(requestId);
    // Same answer for unknown and foreign ids: who is being revoked is not shown in other chats.
    if (
      !request ||
      !sameConversation(request.card.conversationReference, context.activity.conversation?.id)
    ) {
      await context.sendActivity(`There is no request ${requestId} in this conversation.`);
      return;
    }
    // A read-only copy: its buttons would not be bound to the request's own card.
    const card = renderRequestCard(request, { now: this.clock.now(), view: 'observer' });
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const log = this.logger.child({
      activityId: context.activity.id,
      from: context.activity.from?.aadObjectId,
    });
    const place = this.gate?.check(context.activity) ?? { ok: true };
    if (
      !place.ok &&
      !(place.reason === 'channel' && (await this.isPersonalCopy(context, invokeValue)))
    ) {
      log.warn('card action refused: not enabled here', { reason: place.reason });
      await this.recordRefusal(context, `card action from a disallowed ${place.reason}`);
      return messageResponse(NOT_ENABLED_HERE);
    }
    const batchAnswer = await this.batch?.handleInvoke(context, invokeValue);
    if (batchAnswer) return batchAnswer;
    const action = readCardAction(invokeValue);
    if ('error' in action) {
      log.warn('card action refused: malformed', { reason: action.error });
      await this.recordRefusal(context, 'malformed card action');
      return errorResponse(400, 'BadRequest', action.error);
    }
    const clicker = personFrom(context.activity);
    if (!clicker)
      return errorResponse(401, 'Unauthorized', 'The click carries no Entra ID identity.');
    let person: Person = clicker;
    if (action.actAs !== undefined) {
      if (!this.sandbox) {
        log.warn('card action refused: act-as outside the sandbox', { actAs: action.actAs });
        return errorResponse(
          403,
          'Forbidden',
          'Acting as another person exists only in sandbox mode.',
        );
      }
      const actor = this.sandbox.find(action.actAs);
      if (!actor) return errorResponse(400, 'BadRequest', 'No such person in the sandbox.');
      log.info('sandbox: acting as another person', { actAs: actor.id });
      person = actor;
    }

    const request = await this.service.getRequest(action.requestId);
    const location = request && cardLocationIn(request, context.activity.conversation?.id);
    if (!request || !location) {
      // Same answer for unknown and foreign ids: do not reveal which requests exist elsewhere.
      log.warn('card action refused: unknown or foreign request', { requestId: action.requestId });
      await this.recordRefusal(context, 'unknown or foreign request', action.requestId);
      return messageResponse(`There is no request ${action.requestId} in this conversation.`);
    }
    if (action.verb === 'refresh') {
      return cardResponse(await this.cards.renderFor(request, await this.viewOf(request, person)));
    }
    // Every click must come from the request's own card in this conversation: Teams sends that
    // card's activity id as `replyToId`. A click without it, or with another card's id, is a
    // forgery or a copy (a `status` card, an old card) and changes nothing.
    if (!isFromCard(location, context.activity.replyToId)) {
      log.warn('card action refused: not the card of that request', { requestId: request.id });
      await this.recordRefusal(context, 'not the card of that request', request.id);
      return messageResponse('This button does not belong to that request. Nothing was changed.');
    }
    try {
      const origin: ActionOrigin = { cardActivityId: context.activity.replyToId };
      if (action.verb !== 'taskDone') origin.answerFirst = true;
      if (this.stepUp && isDecision(action.verb) && request.status === 'pending') {
        const gate = await this.stepUp.prove(context, request.id, person, invokeValue);
        if (gate.kind === 'answer') {
          if (gate.refusal) {
            await this.recordRefusal(context, `step-up refused: ${gate.refusal.code}`, request.id);
          }
          return gate.response;
        }
        origin.proof = gate.proof;
      }
      const result =
        action.verb === 'taskDone'
          ? await this.service.completeTask(action.requestId, action.taskId ?? '', person, origin)
          : await this.service.handleCardAction(action.verb, action.requestId, person, origin);
      if (!result.accepted) return messageResponse(result.message);
      try {
        // The answer replaces the card in the clicker's own client: their view.
        const view = await this.viewOf(result.request, clicker);
        return cardResponse(await this.cards.renderFor(result.request, view));
      } finally {
        // Saved and audited by now: the thread's card, the thread message and the run's start
        // follow once the clicker has their answer (and whatever happened to it).
        if (result.afterwards) this.afterAnswer.queue(result.request.id, result.afterwards);
      }
    } catch (error) {
      return messageResponse(this.explain(error, log));
    }
  }

  /**
   * Whether the click is on a personal copy of a request's card (the manager's, an approver's, an
   * escalation-group member's), in the personal chat it was sent to. That chat is never in
   * ALLOWED_CHANNEL_IDS, yet the card was sent there on purpose: it is bound to its request, not
   * to the channel list. Only the tenant gate still applies, and
   * every other check follows as for any click.
   */
  private async isPersonalCopy(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<boolean> {
    const activity = context.activity;
    if (activity.conversation?.conversationType !== 'personal') return false;
    const action = readCardAction(invokeValue);
    if ('error' in action) return false;
    const request = await this.service.getRequest(action.requestId);
    return (request ? personalCopies(request) : []).some(
      (copy) =>
        sameConversation(copy.conversationReference, activity.conversation.id) &&
        isFromCard(copy, activity.replyToId),
    );
  }

  /** The view for this person; the generic one when the directory cannot say who they are. */
  private async viewOf(request: RevocationRequest, person: Person): Promise<RequestCardAudience> {
    try {
      return await this.service.viewerRole(request, person);
    } catch (error) {
      this.logger.warn('viewer role unknown; showing the generic card', {
        message: error instanceof Error ? error.message : String(error),
      });
      return 'generic';
    }
  }

  /**
   * Rate limit first (a flood from anywhere costs one reply at most), then the place. `help` and
   * `status` in an allowed place are never limited; every message refused for its place counts, so
   * a flood from a wrong place cannot fill the audit trail. Returns whether the message may go on
   * to the command parser.
   */
  private async admitMessage(context: TurnContext, text: string, log: Logger): Promise<boolean> {
    const place = this.gate?.check(context.activity) ?? { ok: true };
    if (!place.ok || countsTowardRateLimit(text)) {
      const sender = context.activity.from?.aadObjectId ?? context.activity.from?.id ?? '';
      const verdict = this.rateLimiter?.take(sender) ?? 'allowed';
      if (verdict !== 'allowed') {
        log.warn('command refused: rate limited', { silently: verdict === 'refused_silently' });
        if (verdict === 'refused') {
          const wait = this.rateLimiter?.waitSeconds(sender) ?? 60;
          await context.sendActivity(
            `You are sending commands faster than I take them. Please wait ${wait} second(s) and try again; \`help\`, \`status\` and approvals on cards are not affected.`,
          );
        }
        return false;
      }
    }
    if (!place.ok) {
      log.warn('message refused: not enabled here', { reason: place.reason });
      await this.recordRefusal(context, `message from a disallowed ${place.reason}`);
      await context.sendActivity(NOT_ENABLED_HERE);
      return false;
    }
    return true;
  }

  private async recordRefusal(
    context: TurnContext,
    reason: string,
    requestId?: string,
  ): Promise<void> {
    const activity = context.activity;
    const details: Record<string, string> = {
      reason,
      activityType: String(activity.type ?? ''),
      conversationId: (activity.conversation?.id ?? '').slice(0, 256),
      tenantId: String(activity.conversation?.tenantId ?? ''),
    };
    if (requestId !== undefined) details['requestId'] = requestId;
    await this.service.recordRefusedAccess(activity.from?.aadObjectId, details);
  }

  /** A message for the person, and a log line for the operators. */
  private explain(error: unknown, log: Logger): string {
    if (error instanceof RequestRefused) return error.message;
    if (error instanceof DirectoryError) {
      log.error('directory error', {
        kind: error.kind,
        code: error.code,
        message: error.message,
        graphRequestId: error.requestId,
      });
      const advice = error.advice ? ` ${error.advice}` : '';
      return error.retryable
        ? `The directory is not answering right now (${error.message}). Try again in a minute.`
        : `The directory refused: ${error.message}.${advice}`;
    }
    log.error('unexpected error', {
      message: error instanceof Error ? error.message : String(error),
    });
    return 'Something went wrong on my side; nothing was changed. The operators have the details in the log.';
  }
}

/** Approve and Reject decide; a retry or a ticked task does not need a new sign-in. */
function isDecision(verb: string): boolean {
  return verb === 'approve' || verb === 'reject';
}

/** Which of the request's cards lives in this conversation: the thread's, or a personal copy. */
function cardLocationIn(
  request: RevocationRequest,
  conversationId: string | undefined,
): CardLocation | undefined {
  return cardLocations(request).find(
    (location): location is CardLocation =>
      location !== undefined && sameConversation(location.conversationReference, conversationId),
  );
}

/** Whether a click came from the card at `location`; a card never posted has no buttons. */
function isFromCard(location: CardLocation, replyToId: string | undefined): boolean {
  return location.cardActivityId !== undefined && replyToId === location.cardActivityId;
}
