// The outreach sweep: carries out what is due for pending requests (the card in approvers'
// personal chats, reminders, escalation) and pages on-call until the request is decided. Each item
// is claimed under compare-and-swap before it is done, so with several instances it happens once;
// everything is saved on the request, so a restart picks up what fell due while the bot was down.
import { remaining } from '../approval/policy';
import { DirectoryError, describeError } from '../errors';
import type { NamedPerson, PersonalCardCopy, Person, RevocationRequest } from '../model';
import type { AuditEventType } from '../audit-event';
import type { Pager, PageAlert, PageResolution } from '../paging/pager';
import type { ServiceContext } from '../service-context';
import { elapsedText } from './elapsed-text';
import {
  claimItem,
  dueItems,
  finishPage,
  finishTask,
  type OutreachItem,
  type PageResult,
  type TaskName,
  type TaskResult,
} from './outreach-state';

/** How many personal chats are opened at once: Teams throttles a bot that opens many together. */
const CHATS_AT_ONCE = 4;
/** A pager that keeps failing is retried less and less often, up to this. */
const MAX_PAGE_BACKOFF_MS = 15 * 60_000;

/** Carries out every item due now; returns how many this process did. */
export async function runDueOutreach(ctx: ServiceContext): Promise<number> {
  const now = ctx.deps.clock.now();
  const due = await ctx.deps.store.listOutreachDue(now.toISOString());
  let done = 0;
  for (const request of due) {
    for (const item of dueItems(request, now)) {
      try {
        if (await carryOut(ctx, request.id, item)) done++;
      } catch (error) {
        // One request's failure (the store, say) must not hold the others back; its claim
        // lapses and the item is tried again.
        ctx.deps.logger.warn('outreach failed', {
          requestId: request.id,
          item: item.kind,
          error: describeError(error),
        });
      }
    }
  }
  return done;
}

async function carryOut(ctx: ServiceContext, requestId: string, item: OutreachItem) {
  const now = ctx.deps.clock.now();
  const claimed = await ctx.updater.apply(requestId, (current) => claimItem(current, item, now));
  if (!claimed.saved || !claimed.document) return false;
  const request = claimed.document;
  if (item.kind === 'page') {
    const pager = (ctx.deps.pagers ?? []).find((p) => p.name === item.via);
    if (!pager) return false;
    await page(ctx, request, pager, item.action);
  } else {
    await reach(ctx, request, item.kind);
  }
  return true;
}

/** Personal cards, a reminder or the escalation: people are reached, then the result is saved. */
async function reach(ctx: ServiceContext, request: RevocationRequest, kind: TaskName) {
  const result =
    kind === 'personalCards'
      ? await sendPersonalCards(ctx, request, 'approver')
      : kind === 'reminder'
        ? await remind(ctx, request)
        : await escalate(ctx, request);
  const now = ctx.deps.clock.now();
  const saved = await ctx.updater.update(request.id, (current) => {
    const withCopies = mergeCopies(current, result.copies);
    return finishTask(withCopies, kind, result, now);
  });
  const metricKind = kind === 'personalCards' ? 'personal_card' : kind;
  ctx.metrics.outreach(metricKind, result.unreachable.length > 0 ? 'unreachable' : 'done');
  await ctx.record({
    type: AUDIT_TYPES[kind],
    requestId: request.id,
    details: {
      reached: result.reached.map((p) => p.id),
      unreachable: result.unreachable.map((u) => `${u.person.id}: ${u.why.slice(0, 200)}`),
      ...(kind === 'escalation' ? { groupId: request.outreach?.escalation?.groupId ?? null } : {}),
    },
  });
  if (!saved) return;
  await ctx.safely(() => ctx.deps.notifier.updateCard(saved), 'card update');
  if (kind === 'personalCards' && result.unreachable.length > 0) {
    const names = result.unreachable.map((u) => `${u.person.name} (${u.why})`).join('; ');
    await ctx.safely(
      () =>
        ctx.deps.notifier.postMilestone(
          saved,
          `The approval card could not be sent in a personal chat to: ${names}. They can still approve here in this thread. To reach approvers where they are, install Revoke for the approver group ahead of time (README, "Reaching approvers").`,
        ),
      'thread message',
    );
  }
}

const AUDIT_TYPES: Record<TaskName, AuditEventType> = {
  personalCards: 'approvers.notified',
  reminder: 'approval.reminded',
  escalation: 'approval.escalated',
};

interface Reached extends TaskResult {
  copies: PersonalCardCopy[];
}

/** The card in the personal chat of each person of the group still to answer. */
async function sendPersonalCards(
  ctx: ServiceContext,
  request: RevocationRequest,
  as: PersonalCardCopy['as'],
  people?: Person[],
): Promise<Reached> {
  const { notifier } = ctx.deps;
  const reached: Reached = { reached: [], unreachable: [], copies: [] };
  if (!notifier.postPersonalCard) return reached;
  const already = new Set(
    [
      ...(request.personalCards ?? []).map((copy) => copy.personId),
      request.managerCard?.managerId,
    ].flatMap((id) => (id === undefined ? [] : [id.toLowerCase()])),
  );
  const recipients = (
    people ?? (await stillToAnswer(ctx, request, ctx.deps.settings.approverGroupId))
  ).filter((person) => !already.has(person.id.toLowerCase()));
  await inBatches(recipients, CHATS_AT_ONCE, async (person) => {
    const named = { id: person.id, name: person.name };
    try {
      const result = await notifier.postPersonalCard!(request, person);
      if ('location' in result) {
        reached.reached.push(named);
        reached.copies.push({ ...result.location, personId: person.id, name: person.name, as });
      } else {
        reached.unreachable.push({ person: named, why: result.unreachable });
      }
    } catch (error) {
      reached.unreachable.push({ person: named, why: describeError(error) });
    }
  });
  return reached;
}

async function remind(ctx: ServiceContext, request: RevocationRequest): Promise<Reached> {
  const people = await stillToAnswer(ctx, request, ctx.deps.settings.approverGroupId);
  const text = `Reminder: ${request.requester.name} asked ${elapsedText(request.createdAt, ctx.deps.clock.now())} ago to revoke all access of ${request.target.displayName} (${request.id}); ${remaining(request)} more approval(s) needed. Approve or reject on the card.`;
  return call(ctx, request, people, text);
}

async function escalate(ctx: ServiceContext, request: RevocationRequest): Promise<Reached> {
  const groupId = request.outreach?.escalation?.groupId;
  if (!groupId) return { reached: [], unreachable: [], copies: [] };
  const people = await stillToAnswer(ctx, request, groupId);
  const waited = elapsedText(request.createdAt, ctx.deps.clock.now());
  const text = `Escalated: ${request.requester.name}'s request to revoke all access of ${request.target.displayName} (${request.id}) has waited ${waited} and still needs ${remaining(request)} approval(s). As a member of the escalation group you may now approve or reject it on the card.`;
  const copies = await sendPersonalCards(ctx, request, 'escalation', people);
  const called = await call(ctx, request, people, text, false);
  return { ...called, copies: copies.copies, unreachable: copies.unreachable };
}

/**
 * Says `text` to `people`: in the thread with an @mention each, and in the personal chat of those
 * who have a copy of the card there.
 */
async function call(
  ctx: ServiceContext,
  request: RevocationRequest,
  people: readonly Person[],
  text: string,
  inPersonalChats = true,
): Promise<Reached> {
  const { notifier } = ctx.deps;
  const result: Reached = { reached: people.map(named), unreachable: [], copies: [] };
  if (people.length === 0) return result;
  if (notifier.callPeople) {
    await ctx.safely(() => notifier.callPeople!(request, people, text), 'thread message');
  } else {
    await ctx.safely(() => notifier.postMilestone(request, text), 'thread message');
  }
  if (!inPersonalChats || !notifier.postPersonalMessage) return result;
  const ids = new Set(people.map((p) => p.id.toLowerCase()));
  const copies = (request.personalCards ?? []).filter((c) => ids.has(c.personId.toLowerCase()));
  await inBatches(copies, CHATS_AT_ONCE, (copy) =>
    ctx.safely(() => notifier.postPersonalMessage!(copy, text), 'personal message'),
  );
  return result;
}

/** Members of the group who could still decide: not the requester, the target, or who approved. */
async function stillToAnswer(
  ctx: ServiceContext,
  request: RevocationRequest,
  groupId: string,
): Promise<Person[]> {
  const max = ctx.deps.settings.outreach?.maxPeople ?? 25;
  const members = await ctx.retrying(() => ctx.deps.directory.listGroupMembers(groupId, max));
  const answered = new Set(
    [request.requester.id, request.target.id, ...request.approvals.map((a) => a.approver.id)].map(
      (id) => id.toLowerCase(),
    ),
  );
  return members.filter((person) => !answered.has(person.id.toLowerCase()));
}

/** Trigger or resolve one pager's incident; a failure is retried later, or said once for good. */
async function page(
  ctx: ServiceContext,
  request: RevocationRequest,
  pager: Pager,
  action: 'trigger' | 'resolve',
): Promise<void> {
  const task = request.outreach?.pages?.find((p) => p.via === pager.name);
  if (!task) return;
  const log = ctx.deps.logger.child({ requestId: request.id, pager: pager.name });
  let result: PageResult = { ok: true };
  try {
    if (action === 'trigger') await pager.trigger(alertFor(ctx, request, task.key));
    else await pager.resolve(task.key, resolutionOf(request));
  } catch (error) {
    result = failure(error, task.attempts, ctx.deps.clock.now());
    log['failed' in result ? 'error' : 'warn'](`page ${action} failed`, {
      error: describeError(error),
      retryAt: 'retryAt' in result ? result.retryAt.toISOString() : undefined,
    });
  }
  const now = ctx.deps.clock.now();
  const saved = await ctx.updater.update(request.id, (current) =>
    finishPage(current, pager.name, action, result, now),
  );
  ctx.metrics.outreach('page', result.ok ? 'done' : 'retryAt' in result ? 'retry' : 'failed');
  if (result.ok || 'failed' in result) {
    await ctx.record({
      type: result.ok ? (action === 'trigger' ? 'page.triggered' : 'page.resolved') : 'page.failed',
      requestId: request.id,
      details: {
        via: pager.name,
        key: task.key,
        action,
        ...(result.ok ? {} : { error: result.failed.slice(0, 300) }),
        ...(action === 'resolve' && result.ok ? { resolution: resolutionOf(request) } : {}),
      },
    });
  }
  if (!saved) return;
  if (!result.ok && 'failed' in result && action === 'trigger') {
    await ctx.safely(
      () =>
        ctx.deps.notifier.postMilestone(
          saved,
          `On-call could not be paged through ${pager.name}: ${result.failed}. Call the approvers directly.`,
        ),
      'thread message',
    );
  }
  if (result.ok || 'failed' in result)
    await ctx.safely(() => ctx.deps.notifier.updateCard(saved), 'card update');
}

function alertFor(ctx: ServiceContext, request: RevocationRequest, key: string): PageAlert {
  const href = ctx.deps.notifier.cardLink?.(request);
  return {
    key,
    summary: `Revoke: approval needed to revoke all access of ${request.target.displayName} (${request.target.userPrincipalName}), asked by ${request.requester.name}`,
    requestId: request.id,
    targetUpn: request.target.userPrincipalName,
    targetName: request.target.displayName,
    requesterName: request.requester.name,
    reason: request.reason,
    createdAt: request.createdAt,
    ...(href ? { link: { href, text: `Open ${request.id} in Teams` } } : {}),
  };
}

function resolutionOf(request: RevocationRequest): PageResolution {
  switch (request.status) {
    case 'rejected':
      return 'rejected';
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'approved';
  }
}

/** Retry what may pass (throttling, outages, unknown errors); give up on a refusal. */
function failure(error: unknown, attempts: number, now: Date): PageResult {
  if (error instanceof DirectoryError && !error.retryable)
    return { ok: false, failed: describeError(error) };
  const backoff = Math.min(MAX_PAGE_BACKOFF_MS, 30_000 * 2 ** attempts);
  const wait =
    error instanceof DirectoryError && error.retryAfterMs !== undefined
      ? Math.max(error.retryAfterMs, backoff)
      : backoff;
  return { ok: false, retryAt: new Date(now.getTime() + wait) };
}

function mergeCopies(request: RevocationRequest, copies: PersonalCardCopy[]): RevocationRequest {
  if (copies.length === 0) return request;
  const known = new Set((request.personalCards ?? []).map((c) => c.personId.toLowerCase()));
  const fresh = copies.filter((c) => !known.has(c.personId.toLowerCase()));
  return { ...request, personalCards: [...(request.personalCards ?? []), ...fresh] };
}

function named(person: Person): NamedPerson {
  return { id: person.id, name: person.name };
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<unknown>,
) {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map(work));
  }
}
