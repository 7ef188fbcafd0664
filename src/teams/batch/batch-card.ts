// The batch card: for approval, counts and the first names with the whole list behind a
// ShowCard; once approved, a progress view (fully / partially / not revoked) with "Retry failed".
// Built in code rather than from a template: its lists vary in length and must stay within the
// ~28 KB Teams allows a card, so they are cut to a budget and say how many were left out.
import type { BatchRequest } from '../../core/batch/batch-model';
import type { BatchProgress, ChildProgress } from '../../core/batch/batch-progress';
import { remainingForBatch } from '../../core/batch/batch-policy';
import { describeLapse } from '../../core/approval/policy';
import { describeRemaining, type BatchEta } from '../../core/batch/batch-eta';

export type BatchCardJson = Record<string, unknown>;

export const BATCH_VERBS = ['batchApprove', 'batchReject', 'batchRetry'] as const;
export type BatchVerb = (typeof BATCH_VERBS)[number];

const FIRST_NAMES = 10;
/** Characters of names one list may take; keeps the whole card well under Teams' 28 KB. */
const LIST_BUDGET = 9_000;

export interface BatchCardOptions {
  /**
   * A copy shown outside the batch's own card (`status B-…`): no buttons, since a click on it
   * would be refused anyway (it is not the card the batch is bound to).
   */
  readOnly?: boolean;
}

export function renderBatchCard(
  batch: BatchRequest,
  progress: BatchProgress,
  now: Date,
  options: BatchCardOptions = {},
): BatchCardJson {
  const body: unknown[] = [
    text(`Mass revocation ${batch.id}`, { weight: 'Bolder', size: 'Large' }),
    text(statusLine(batch, progress, now), { wrap: true, color: statusColour(batch) }),
    facts([
      ['Requested by', batch.requester.name],
      ['Reason', batch.reason],
      ['Users', String(batch.members.length)],
      ['Devices', String(batch.members.reduce((n, m) => n + m.deviceCount, 0))],
      [
        'Privileged',
        String(batch.members.filter((m) => (m.privilegedRoles ?? []).length > 0).length),
      ],
      [
        'Approvals',
        `${batch.approvals.length} of ${batch.requiredApprovals}${batch.approvals.length > 0 ? ` (${batch.approvals.map((a) => a.approver.name).join(', ')})` : ''}`,
      ],
    ]),
    text(
      `First ${Math.min(FIRST_NAMES, batch.members.length)}: ${batch.members
        .slice(0, FIRST_NAMES)
        .map((m) => `${m.displayName} (${m.userPrincipalName})`)
        .join(', ')}`,
      { wrap: true, isSubtle: true },
    ),
  ];
  for (const lapsed of batch.lapsedApprovals ?? []) {
    body.push(text(describeLapse(lapsed), { wrap: true, color: 'Attention' }));
  }
  const left = leftOut(batch);
  if (left) body.push(text(left, { wrap: true, color: 'Warning' }));
  if (batch.status !== 'pending') body.push(...progressBlocks(progress));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: actions(batch, progress, options.readOnly === true),
  };
}

function progressBlocks(progress: BatchProgress): unknown[] {
  const blocks: unknown[] = [
    facts([
      ['Fully revoked', String(progress.fully)],
      ...(progress.fullyButNotAllVerified > 0
        ? [
            ['… of them not all verified', String(progress.fullyButNotAllVerified)] as [
              string,
              string,
            ],
          ]
        : []),
      ['Partially', String(progress.partially)],
      ['Not at all', String(progress.notAtAll)],
      ['In progress', String(progress.inProgress + progress.waiting)],
      ['Steps', `${progress.stepsDone} of ${progress.stepsTotal}`],
    ]),
  ];
  const failed = progress.children.filter(
    (c) => c.outcome === 'partially' || c.outcome === 'not_at_all',
  );
  if (failed.length > 0) {
    blocks.push(
      text(`Failed: ${listWithin(failed.map(describeFailed), 3_000)}`, {
        wrap: true,
        color: 'Attention',
      }),
    );
  }
  return blocks;
}

function describeFailed(child: ChildProgress): string {
  const how =
    child.outcome === 'not_at_all'
      ? 'not revoked'
      : `${child.failedSteps} of ${child.steps} steps failed`;
  return `${child.userPrincipalName} (${how})`;
}

function actions(batch: BatchRequest, progress: BatchProgress, readOnly: boolean): unknown[] {
  const data = { batchId: batch.id };
  const list: unknown[] = [
    {
      type: 'Action.ShowCard',
      title: `All ${batch.members.length} users`,
      card: {
        type: 'AdaptiveCard',
        body: [
          text(
            listWithin(
              batch.members.map((m) => m.userPrincipalName),
              LIST_BUDGET,
            ),
            { wrap: true, size: 'Small' },
          ),
        ],
      },
    },
  ];
  if (readOnly) return list;
  if (batch.status === 'pending') {
    list.unshift(
      { type: 'Action.Execute', title: 'Approve', verb: 'batchApprove', style: 'positive', data },
      { type: 'Action.Execute', title: 'Reject', verb: 'batchReject', style: 'destructive', data },
    );
  } else if (
    batch.status === 'completed_with_failures' &&
    progress.partially + progress.notAtAll > 0
  ) {
    list.unshift({ type: 'Action.Execute', title: 'Retry failed', verb: 'batchRetry', data });
  }
  return list;
}

function leftOut(batch: BatchRequest): string | undefined {
  const parts: string[] = [];
  const byReason = (reason: string) =>
    batch.skipped.filter((s) => s.reason === reason).map((s) => s.entry);
  const unknown = byReason('unknown_user');
  const protectedOnes = byReason('protected_target');
  const failed = byReason('lookup_failed');
  const twice = byReason('duplicate_target');
  if (unknown.length > 0)
    parts.push(`Not found (${unknown.length}): ${listWithin(unknown, 2_000)}`);
  if (protectedOnes.length > 0)
    parts.push(
      `Protected, never revoked (${protectedOnes.length}): ${listWithin(protectedOnes, 2_000)}`,
    );
  if (failed.length > 0)
    parts.push(`Lookup failed (${failed.length}): ${listWithin(failed, 1_000)}`);
  if (twice.length > 0) parts.push(`Same person listed twice (${twice.length})`);
  if (batch.malformed.length > 0)
    parts.push(`Not addresses (${batch.malformed.length}): ${listWithin(batch.malformed, 1_000)}`);
  return parts.length > 0 ? `Left out: ${parts.join('. ')}.` : undefined;
}

function statusLine(batch: BatchRequest, progress: BatchProgress, now: Date): string {
  switch (batch.status) {
    case 'pending': {
      const minutes = Math.max(
        0,
        Math.ceil((Date.parse(batch.expiresAt) - now.getTime()) / 60_000),
      );
      return `Waiting for ${remainingForBatch(batch)} more approval(s) from the approver group; expires in ${minutes} min. Nobody in the batch may approve it.`;
    }
    case 'running':
      return `Approved: revoking now. ${etaLine(progress.eta)}This card updates every few seconds.`;
    case 'completed':
      return progress.fullyButNotAllVerified === 0
        ? 'Done: every user is fully revoked, every step read back.'
        : `Done: every step succeeded, but for ${progress.fullyButNotAllVerified} user(s) some could not be read back (see each user's status).`;
    case 'completed_with_failures':
      return 'Finished with failures: see who below; an approver can retry the failed users.';
    case 'rejected':
      return `Rejected by ${batch.rejection?.by.name ?? 'an approver'}. Nothing was changed.`;
    case 'expired':
      return 'Expired without enough approvals. Nothing was changed.';
    case 'cancelled':
      return `Cancelled by Revoke: ${batch.cancellation?.reason ?? 'it could not be shown to the approvers'}. Nothing was changed.`;
  }
}

/** The ETA as measured, with what it rests on, so nobody mistakes it for a promise. */
function etaLine(eta: BatchEta | undefined): string {
  if (!eta) return '';
  if (eta.remainingMs === undefined) return 'Time left: measuring the rate… ';
  const minutes = Math.max(1, Math.round(eta.measuredOverMs / 60_000));
  const over =
    eta.measuredOverMs < 90_000 ? `${Math.round(eta.measuredOverMs / 1_000)} s` : `${minutes} min`;
  return `Time left: ${describeRemaining(eta.remainingMs)} (${eta.stepsLeft} steps at ${Math.round(eta.stepsPerMinute)} a minute, the rate of the last ${over}, within Graph's write budget). `;
}

function statusColour(batch: BatchRequest): string {
  if (batch.status === 'completed') return 'Good';
  if (batch.status === 'completed_with_failures') return 'Attention';
  if (batch.status === 'cancelled') return 'Warning';
  return 'Default';
}

/** Joins as many items as fit in `budget` characters and says how many more there are. */
export function listWithin(items: readonly string[], budget: number): string {
  const shown: string[] = [];
  let used = 0;
  for (const item of items) {
    if (used + item.length + 2 > budget) break;
    shown.push(item);
    used += item.length + 2;
  }
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} … and ${more} more` : shown.join(', ');
}

function text(value: string, options: Record<string, unknown> = {}): Record<string, unknown> {
  // Adaptive Card TextBlocks render Markdown: keep names from adding links or emphasis.
  return { type: 'TextBlock', text: value.replace(/[[\]*`<>]/g, ''), ...options };
}

function facts(pairs: [string, string][]): Record<string, unknown> {
  return {
    type: 'FactSet',
    facts: pairs.map(([title, value]) => ({
      title,
      value: value.replace(/[[\]*`<>]/g, '').slice(0, 600),
    })),
  };
}
