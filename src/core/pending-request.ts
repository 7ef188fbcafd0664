// A new request as it is first saved: pending, no approvals, expiring after the approval timeout.
// Every kind (revocation, restore, wipe, batch member) starts from here.
import type { RevocationRequest, Step } from './model';

export interface PendingRequestFields extends Pick<
  RevocationRequest,
  'target' | 'reason' | 'requester' | 'requiredApprovals' | 'card'
> {
  id: string;
  now: Date;
  approvalTimeoutMinutes: number;
  plan: { steps: Step[]; notes: string[] };
}

export function pendingRequest(
  fields: PendingRequestFields,
  extra: Partial<RevocationRequest> = {},
): RevocationRequest {
  const { now } = fields;
  return {
    id: fields.id,
    version: 1,
    status: 'pending',
    target: fields.target,
    reason: fields.reason,
    requester: fields.requester,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + fields.approvalTimeoutMinutes * 60_000).toISOString(),
    requiredApprovals: fields.requiredApprovals,
    approvals: [],
    steps: fields.plan.steps,
    planNotes: fields.plan.notes,
    card: fields.card,
    ...extra,
  };
}
