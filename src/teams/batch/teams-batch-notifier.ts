// Shows batches in Teams: one card posted in the requester's thread (its first line @mentions the
// approvers who can be reached there), updated in place, and a few thread messages.
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Clock } from '../../core/clock';
import type { Person } from '../../core/model';
import type { BatchRequest } from '../../core/batch/batch-model';
import type { BatchNotifier } from '../../core/batch/batch-ports';
import type { BatchProgress } from '../../core/batch/batch-progress';
import { inlinePlain } from '../cards/plain-text';
import type { ChannelAccounts } from '../channel-accounts';
import { cardMessage, mentioning, mentionsOf, type ApproverCall } from '../mentions';
import { parseReference } from '../conversation-reference';
import { proactiveTurn } from '../proactive-turn';
import type { CardAudience } from '../request-cards';
import { renderBatchCard } from './batch-card';

export class TeamsBatchNotifier implements BatchNotifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly clock: Clock,
    private readonly audience?: CardAudience,
    /**
     * Shared with the single-request notifier: in graph mode approvers come from the directory
     * without the channel account ids a mention needs; these are looked up in the thread.
     */
    private readonly accounts?: ChannelAccounts,
  ) {}

  async postBatchCard(batch: BatchRequest, progress: BatchProgress): Promise<string | undefined> {
    let activityId: string | undefined;
    await this.inThread(batch, async (context) => {
      const response = await context.sendActivity(await this.batchCard(batch, progress, context));
      activityId = response?.id;
    });
    return activityId;
  }

  async updateBatchCard(batch: BatchRequest, progress: BatchProgress): Promise<void> {
    const activityId = batch.card.cardActivityId;
    if (!activityId) return;
    await this.inThread(batch, async (context) => {
      const update = await this.batchCard(batch, progress, context);
      update.id = activityId;
      await context.updateActivity(update);
    });
  }

  /** The card, led while it awaits approvals by the line that @mentions the approvers. */
  private async batchCard(batch: BatchRequest, progress: BatchProgress, context: TurnContext) {
    const card = renderBatchCard(batch, progress, this.clock.now());
    return cardMessage(
      card,
      batch.status === 'pending' ? await this.approverCall(batch, context) : undefined,
    );
  }

  async postBatchMilestone(batch: BatchRequest, text: string): Promise<void> {
    await this.inThread(batch, async (context) => {
      await context.sendActivity(mentioning(batch.requester, text));
    });
  }

  /** Teams notifies people only when they are @mentioned: this line, the card's first, does it. */
  private async approverCall(batch: BatchRequest, context: TurnContext): Promise<ApproverCall> {
    // A member of the batch cannot approve it, and a mention would tip them off before the run.
    const members = new Set(batch.members.map((m) => m.targetId.toLowerCase()));
    const others = (p: Person) =>
      p.id.toLowerCase() !== batch.requester.id.toLowerCase() && !members.has(p.id.toLowerCase());
    const everyone = ((await this.audience?.approvers()) ?? []).filter(others);
    const approvers = this.accounts
      ? await this.accounts.resolve(context, everyone)
      : everyone.filter((p) => p.channelAccountId);
    const { tags, entities } = mentionsOf(approvers);
    const needed = batch.requiredApprovals;
    // Said plainly when approvers exist but none is in this team, so the requester fetches them.
    const who =
      tags.length > 0
        ? `${tags.join(', ')}: `
        : everyone.length > 0
          ? "No approver could be notified here: add the approver group's members to this team. "
          : '';
    return {
      text: `${who}${inlinePlain(batch.requester.name)} asks to revoke all access of ${batch.members.length} users at once. ${needed} approvals are needed.`,
      entities,
    };
  }

  /**
   * A turn in the batch's thread whose failure reaches the caller: a card that was never posted
   * must not look posted (the service cancels the batch then), and a failed update is logged.
   */
  private inThread(
    batch: BatchRequest,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    return proactiveTurn(
      this.adapter,
      this.botAppId,
      parseReference(batch.card.conversationReference),
      logic,
    );
  }
}
