// A proactive turn (posting or updating in a conversation outside a message from it) whose
// failure reaches the caller. CloudAdapter hands an error thrown inside the turn to its
// onTurnError handler and then resolves as if all went well, so without this a card that was
// never posted would look posted, and a failed card update would never be counted or logged.
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';

export async function proactiveTurn(
  adapter: CloudAdapter,
  botAppId: string,
  reference: Partial<ConversationReference>,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  await adapter.continueConversationAsync(botAppId, reference, async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
}
