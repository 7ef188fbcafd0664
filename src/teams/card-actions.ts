// Reading an `Action.Execute` click, which is untrusted input: anyone who can post to the bot can
// send any verb and any data. Only the exact shapes our cards send are accepted.
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue } from 'botbuilder';
import { isRequestId } from '../core/commands/parse-command';
import type { CardAction } from '../core/revoke-service';

export type CardVerb = CardAction | 'refresh' | 'taskDone';

const VERBS: readonly CardVerb[] = ['approve', 'reject', 'retry', 'refresh', 'taskDone'];
/** The ids the plan gives manual tasks (`task-1` …). */
const TASK_ID = /^task-\d{1,3}$/;
const MAX_DATA_LENGTH = 2_000;

/** Object ids as Entra ID and the sandbox write them; anything else is not an id. */
const ACT_AS = /^[0-9a-f-]{1,64}$/i;

export interface ReadCardAction {
  verb: CardVerb;
  requestId: string;
  /** Sandbox only: the person the click is made as. The bot refuses it outside the sandbox. */
  actAs?: string;
  /** For `taskDone`: the checklist item ticked off. */
  taskId?: string;
}

export function readCardAction(value: AdaptiveCardInvokeValue): ReadCardAction | { error: string } {
  const verb = value.action?.verb;
  if (typeof verb !== 'string' || !VERBS.includes(verb as CardVerb)) {
    return { error: `Unknown action "${String(verb).slice(0, 40)}".` };
  }
  const data: unknown = value.action.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { error: 'The action carries no data.' };
  if (JSON.stringify(data).length > MAX_DATA_LENGTH)
    return { error: 'The action data is too large.' };
  const { requestId, actAs, taskId } = data as Record<string, unknown>;
  if (typeof requestId !== 'string' || !isRequestId(requestId))
    return { error: 'The action names no valid request.' };
  const task: { taskId?: string } = {};
  if (verb === 'taskDone') {
    if (typeof taskId !== 'string' || !TASK_ID.test(taskId))
      return { error: 'The action names no valid task.' };
    task.taskId = taskId;
  }
  if (actAs === undefined) return { verb: verb as CardVerb, requestId, ...task };
  if (typeof actAs !== 'string' || !ACT_AS.test(actAs))
    return { error: 'The action names no valid person to act as.' };
  return { verb: verb as CardVerb, requestId, actAs: actAs.toLowerCase(), ...task };
}

export function cardResponse(card: Record<string, unknown>): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

/** Shown to the clicker only; the card itself stays as it is. */
export function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text as unknown as Record<string, unknown>,
  };
}

export function errorResponse(
  statusCode: number,
  code: string,
  message: string,
): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}
