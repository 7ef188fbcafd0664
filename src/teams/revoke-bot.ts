// The Teams edge of Revoke: turns messages and card clicks into calls on the core service, and
// the service's answers into replies and cards. No revocation logic lives here.
import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import { parseCommand, USAGE, type Command } from '../core/commands/parse-command';
import { DirectoryError, RequestRefused } from '../core/errors';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/ports';
import type { RevokeService } from '../core/revoke-service';
import { personFrom } from './activity-person';
import { renderRequestCard } from './cards/render-request-card';
import { conversationRoot, parseReference, serialiseReference } from './conversation-reference';
import { cardResponse, errorResponse, messageResponse, readCardAction } from './card-actions';

export class RevokeBot extends TeamsActivityHandler {
  constructor(
    private readonly service: RevokeService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const log = this.logger.child({
      activityId: context.activity.id,
      from: context.activity.from?.aadObjectId,
    });
    const text =
      TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
    let command: Command;
    try {
      command = parseCommand(text);
    } catch (error) {
      if (error instanceof RequestRefused) {
        await context.sendActivity(error.message);
        return;
      }
      throw error;
    }
    try {
      switch (command.kind) {
        case 'help':
          await context.sendActivity(USAGE);
          return;
        case 'status':
          await this.showStatus(context, command.requestId);
          return;
        case 'revoke':
          await this.requestRevocation(context, command.target, command.reason);
          return;
      }
    } catch (error) {
      await context.sendActivity(this.explain(error, log));
    }
  }

  private async requestRevocation(
    context: TurnContext,
    target: string,
    reason: string,
  ): Promise<void> {
    const requester = personFrom(context.activity);
    if (!requester) {
      await context.sendActivity(
        'I cannot tell who you are (the message carries no Entra ID identity), so I cannot take a request from you.',
      );
      return;
    }
    const reference = serialiseReference(TurnContext.getConversationReference(context.activity));
    await this.service.requestRevocation({
      target,
      reason,
      requester,
      conversationReference: reference,
    });
  }

  private async showStatus(context: TurnContext, requestId: string): Promise<void> {
    const request = await this.service.getRequest(requestId);
    if (!request) {
      await context.sendActivity(`There is no request ${requestId}.`);
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
    const action = readCardAction(invokeValue);
    if ('error' in action) {
      log.warn('card action refused: malformed', { reason: action.error });
      return errorResponse(400, 'BadRequest', action.error);
    }
    const person = personFrom(context.activity);
    if (!person)
      return errorResponse(401, 'Unauthorized', 'The click carries no Entra ID identity.');

    const request = await this.service.getRequest(action.requestId);
    if (
      !request ||
      !sameConversation(request.card.conversationReference, context.activity.conversation?.id)
    ) {
      // Same answer for unknown and foreign ids: do not reveal which requests exist elsewhere.
      log.warn('card action refused: unknown or foreign request', { requestId: action.requestId });
      return messageResponse(`There is no request ${action.requestId} in this conversation.`);
    }
    if (action.verb === 'refresh') {
      return cardResponse(renderRequestCard(request, { now: this.clock.now() }));
    }
    try {
      const result = await this.service.act(action.verb, action.requestId, person, {
        cardActivityId: context.activity.replyToId,
      });
      if (!result.accepted) return messageResponse(result.message);
      return cardResponse(renderRequestCard(result.request, { now: this.clock.now() }));
    } catch (error) {
      return messageResponse(this.explain(error, log));
    }
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

function sameConversation(storedReference: string, conversationId: string | undefined): boolean {
  if (!conversationId) return false;
  const stored = parseReference(storedReference).conversation?.id;
  return stored !== undefined && conversationRoot(stored) === conversationRoot(conversationId);
}
