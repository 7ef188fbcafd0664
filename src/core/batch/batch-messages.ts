// The few thread messages of a batch: approved, closed, finished. A batch posts these instead of
// its children's per-user messages.
import type { BatchRequest } from './batch-model';
import type { BatchProgress } from './batch-progress';

export function batchApprovedMessage(batch: BatchRequest): string {
  const names = batch.approvals.map((a) => a.approver.name).join(' and ');
  return `Approved by ${names}. Revoking all access of ${batch.members.length} users now (${batch.id}).`;
}

export function batchClosedMessage(batch: BatchRequest): string {
  return batch.status === 'rejected'
    ? `Batch ${batch.id} (${batch.members.length} users) was rejected by ${batch.rejection?.by.name ?? 'an approver'}. Nothing was changed.`
    : `Batch ${batch.id} (${batch.members.length} users) expired without ${batch.requiredApprovals} approvals. Nothing was changed.`;
}

export function batchFinishedMessage(batch: BatchRequest, progress: BatchProgress): string {
  const failed = progress.partially + progress.notAtAll;
  const unverified =
    progress.fullyButNotAllVerified > 0
      ? ` For ${progress.fullyButNotAllVerified} of them some steps were accepted but could not be read back: \`@Revoke status\` on a user's request says which.`
      : '';
  if (failed === 0) {
    return `Done: all ${progress.fully} users of ${batch.id} are fully revoked.${unverified} Tokens already issued may work for up to about an hour in apps without Continuous Access Evaluation.`;
  }
  return `Batch ${batch.id} finished: ${progress.fully} fully revoked, ${progress.partially} partially, ${progress.notAtAll} not at all.${unverified} An approver can retry the failed users from the card.`;
}
