// The Bot Framework adapter, entered from an already checked body. botbuilder's
// CloudAdapter.process(req, res, logic) first checks its arguments and the body with zod schemas,
// one of them built anew for every activity (a record schema run over each of its fields): a
// measurable share of a command's CPU, for checks http-server.ts has already made (a JSON object
// naming a type, a conversation and a service URL). So the HTTP endpoint calls `processBody`,
// which does the rest of what process() does: the timestamps as Dates (their text kept, as
// botbuilder's activity check does), authentication and the turn (processActivity), and the
// answer: the invoke's status and body, 200 for others, 401 for a refused token.
//
// One difference on purpose: a turn that fails outside the bot's own error handler answers 500
// with a fixed text, not the error's message; the message goes to the log.
import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';

export interface TurnAnswer {
  status: number;
  body?: unknown;
  /** Why it failed, for the log; never sent. */
  failure?: unknown;
}

export const TURN_FAILED = 'The activity could not be processed.';

export class RevokeCloudAdapter extends CloudAdapter {
  /**
   * Authenticates `authorization` and runs `logic` on the activity `body` (a JSON object with a
   * string `type`), as CloudAdapter.process would.
   */
  async processBody(
    body: Record<string, unknown>,
    authorization: string,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<TurnAnswer> {
    try {
      const invoke = await this.processActivity(authorization, withDates(body), logic);
      return invoke ? { status: invoke.status, body: invoke.body } : { status: 200 };
    } catch (error) {
      if (error instanceof AuthenticationError) {
        return { status: 401, body: error.message, failure: error };
      }
      return { status: 500, body: TURN_FAILED, failure: error };
    }
  }
}

/** The activity with its timestamps as Dates and their text in the raw fields, as botbuilder has them. */
function withDates(body: Record<string, unknown>): Activity {
  const activity = body as unknown as Activity & Record<string, unknown>;
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity;
}
