// The Teams edge of mass revocation: `users …` messages (with an optional CSV attachment) and the
// clicks on a batch card. RevokeBot hands both over with one line each; everything else about
// batches lives here and in src/core/batch.
import type { ApprovalProof } from '../../core/model';
import type { StepUpGate } from '../step-up/step-up-gate';
import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue } from 'botbuilder';
import type { Clock } from '../../core/clock';
import { DirectoryError, RequestRefused } from '../../core/errors';
import type { Person } from '../../core/model';
import type { Logger } from '../../core/ports';
import { isBatchId } from '../../core/batch/batch-model';
import type { BatchAction, BatchService } from '../../core/batch/batch-service';
import { isBatchCommand, parseBatchCommand } from '../../core/batch/parse-batch-command';
import { personFrom } from '../activity-person';
import { cardResponse, errorResponse, messageResponse } from '../card-actions';
import { sameConversation, serialiseReference } from '../conversation-reference';
import type { SandboxCast } from '../sandbox-cast';
import {
  AttachmentError,
  DEFAULT_DOWNLOAD_LIMITS,
  downloadText,
  fileAttachments,
  type DownloadLimits,
} from './attachment-download';
import { BATCH_VERBS, renderBatchCard, type BatchVerb } from './batch-card';
import { commandRefusalReply } from '../cards/render-help-card';

const ACTIONS: Record<BatchVerb, BatchAction> = {
  batchApprove: 'approve',
  batchReject: 'reject',
  batchRetry: 'retry',
};
const ACT_AS = /^[0-9a-f-]{1,64}$/i;

export interface BatchTeamsOptions {
  download?: Partial<DownloadLimits>;
  sandbox?: SandboxCast;
  /** APPROVAL_STEP_UP: a fresh MFA sign-in before a batch's Approve or Reject counts. */
  stepUp?: StepUpGate;
}

export class BatchTeams {
  private readonly limits: DownloadLimits;

  constructor(
    private readonly service: BatchService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: BatchTeamsOptions = {},
  ) {
    this.limits = { ...DEFAULT_DOWNLOAD_LIMITS, ...options.download };
  }

  /** Takes a `users …` message; false for any other message, which the bot handles as before. */
  async handleMessage(context: TurnContext, text: string): Promise<boolean> {
    if (!isBatchCommand(text)) return false;
    const log = this.logger.child({ activityId: context.activity.id });
    const requester = personFrom(context.activity);
    if (!requester) {
      await context.sendActivity(
        'I cannot tell who you are (the message carries no Entra ID identity), so I cannot take a request from you.',
      );
      return true;
    }
    try {
      const files = fileAttachments(context.activity.attachments);
      if (files.length > 1) throw new RequestRefused('bad_command', 'Attach one CSV file at most.');
      // Authorised first: nobody outside the requester group makes the bot fetch a URL.
      if (files.length > 0) await this.service.refuseUnlessRequester(requester);
      const csv = files[0] ? await downloadText(files[0].downloadUrl, this.limits) : undefined;
      const command = parseBatchCommand(text, csv);
      const reference = serialiseReference(TurnContext.getConversationReference(context.activity));
      const batch = await this.service.requestBatch({
        command,
        requester,
        conversationReference: reference,
      });
      log.info('batch card posted', { batchId: batch.id, members: batch.members.length });
    } catch (error) {
      await context.sendActivity(commandRefusalReply(error) ?? this.explain(error, log));
    }
    return true;
  }

  /** Answers a click on a batch card; undefined when the click is not a batch verb. */
  async handleInvoke(
    context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse | undefined> {
    const verb = value.action?.verb;
    if (typeof verb !== 'string' || !(BATCH_VERBS as readonly string[]).includes(verb))
      return undefined;
    const log = this.logger.child({ activityId: context.activity.id, verb });
    const data: unknown = value.action.data;
    if (typeof data !== 'object' || data === null || JSON.stringify(data).length > 2_000) {
      return errorResponse(400, 'BadRequest', 'The action carries no valid data.');
    }
    const { batchId, actAs } = data as Record<string, unknown>;
    if (typeof batchId !== 'string' || !isBatchId(batchId)) {
      return errorResponse(400, 'BadRequest', 'The action names no valid batch.');
    }
    const clicker = personFrom(context.activity);
    if (!clicker)
      return errorResponse(401, 'Unauthorized', 'The click carries no Entra ID identity.');
    let person: Person = clicker;
    if (actAs !== undefined) {
      const sandbox = this.options.sandbox;
      if (!sandbox)
        return errorResponse(
          403,
          'Forbidden',
          'Acting as another person exists only in sandbox mode.',
        );
      const actor =
        typeof actAs === 'string' && ACT_AS.test(actAs) ? sandbox.find(actAs) : undefined;
      if (!actor) return errorResponse(400, 'BadRequest', 'No such person in the sandbox.');
      person = actor;
    }
    const batch = await this.service.getBatch(batchId);
    if (
      !batch ||
      !sameConversation(batch.card.conversationReference, context.activity.conversation?.id)
    ) {
      log.warn('batch action refused: unknown or foreign batch', { batchId });
      return messageResponse(`There is no batch ${batchId} in this conversation.`);
    }
    // Bound to the batch's own card, as every request's click is: Teams sends that card's activity
    // id as `replyToId`; a click without it or with another card's id changes nothing.
    const replyToId = context.activity.replyToId;
    if (batch.card.cardActivityId === undefined || replyToId !== batch.card.cardActivityId) {
      log.warn('batch action refused: not the card of that batch', { batchId });
      await this.service.recordRefusedClick(ACTIONS[verb as BatchVerb], batchId, person);
      return messageResponse('This button does not belong to that batch. Nothing was changed.');
    }
    try {
      const action = ACTIONS[verb as BatchVerb];
      const origin: { cardActivityId?: string; proof?: ApprovalProof } = {
        cardActivityId: context.activity.replyToId,
      };
      const stepUp = this.options.stepUp;
      if (stepUp && action !== 'retry' && batch.status === 'pending') {
        const gate = await stepUp.prove(context, batchId, person, value);
        if (gate.kind === 'answer') {
          if (gate.refusal) {
            const code = `step_up_${gate.refusal.code}`;
            await this.service.recordRefusedClick(action, batchId, person, code);
          }
          return gate.response;
        }
        origin.proof = gate.proof;
      }
      const result = await this.service.handleCardAction(action, batchId, person, origin);
      if (!result.accepted) return messageResponse(result.message);
      return cardResponse(renderBatchCard(result.batch, result.progress, this.clock.now()));
    } catch (error) {
      return messageResponse(this.explain(error, log));
    }
  }

  /** Posts a read-only copy of a batch card (for `status B-…`). */
  async showStatus(context: TurnContext, batchId: string): Promise<void> {
    const batch = await this.service.getBatch(batchId);
    // Same answer for unknown and foreign ids: who is being revoked is not shown in other chats.
    if (
      !batch ||
      !sameConversation(batch.card.conversationReference, context.activity.conversation?.id)
    ) {
      await context.sendActivity(`There is no batch ${batchId} in this conversation.`);
      return;
    }
    const card = renderBatchCard(batch, await this.service.progressOf(batch), this.clock.now(), {
      readOnly: true,
    });
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  }

  private explain(error: unknown, log: Logger): string {
    if (error instanceof RequestRefused || error instanceof AttachmentError) return error.message;
    if (error instanceof DirectoryError) {
      log.error('directory error', { kind: error.kind, code: error.code, message: error.message });
      return error.retryable
        ? `The directory is not answering right now (${error.message}). Try again in a minute.`
        : `The directory refused: ${error.message}.`;
    }
    log.error('unexpected error', {
      message: error instanceof Error ? error.message : String(error),
    });
    return 'Something went wrong on my side; nothing was changed. The operators have the details in the log.';
  }
}
