// When each piece of outreach falls due, and how claiming and finishing it changes the request.
// Pure: the sweep (run-outreach.ts) reads due requests from the store, claims an item under
// compare-and-swap, does it, and saves the result with these functions. A claim is what makes an
// item happen once across instances; a claim older than CLAIM_TTL_MS is taken over, so an instance
// that died holding one does not lose the reminder.
import type { NamedPerson, Outreach, OutreachTask, PageTask, RevocationRequest } from '../model';

/** How long a claimed item may take before another instance takes it over. */
export const CLAIM_TTL_MS = 2 * 60_000;

/** How a new request is followed up, from the configuration. */
export interface OutreachSchedule {
  /** Send the card to each approver in a personal chat with the bot. */
  personalCards: boolean;
  /** Remind approvers who have not answered after this many minutes; 0: never. */
  reminderMinutes: number;
  /** Notify the escalation group after `minutes`; absent: no escalation. */
  escalation?: { minutes: number; groupId: string };
  /** The pagers (by name) that page on-call for a revocation. */
  pagers: readonly string[];
}

export type TaskName = 'personalCards' | 'reminder' | 'escalation';

export type OutreachItem =
  { kind: TaskName } | { kind: 'page'; via: string; action: 'trigger' | 'resolve' };

/** The outreach a new request starts with; undefined when there is nothing to do. */
export function startOutreach(
  request: RevocationRequest,
  schedule: OutreachSchedule,
  now: Date,
): Outreach | undefined {
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
  const outreach: Outreach = {};
  if (schedule.personalCards) outreach.personalCards = { dueAt: now.toISOString() };
  if (schedule.reminderMinutes > 0) outreach.reminder = { dueAt: at(schedule.reminderMinutes) };
  if (schedule.escalation && schedule.escalation.minutes > 0)
    outreach.escalation = {
      dueAt: at(schedule.escalation.minutes),
      groupId: schedule.escalation.groupId,
    };
  // On-call is paged for an emergency revocation; a restore or a wipe follows one up.
  if ((request.kind ?? 'revocation') === 'revocation' && schedule.pagers.length > 0)
    outreach.pages = schedule.pagers.map((via) => ({ via, key: pageKey(request.id), attempts: 0 }));
  return Object.keys(outreach).length > 0 ? outreach : undefined;
}

/** One incident per request, whichever instance pages and however often it retries. */
export function pageKey(requestId: string): string {
  return `revoke-${requestId}`;
}

/** Every item of the request and when it falls due (ms), leaving out those with nothing to do. */
function schedule(request: RevocationRequest): { item: OutreachItem; due: number }[] {
  const outreach = request.outreach;
  if (!outreach) return [];
  const due: { item: OutreachItem; due: number }[] = [];
  // Reaching approvers only matters while someone can still approve.
  if (request.status === 'pending') {
    for (const kind of ['personalCards', 'reminder', 'escalation'] as const) {
      const task = outreach[kind];
      const at = task && taskDue(task);
      if (at !== undefined) due.push({ item: { kind }, due: at });
    }
  }
  for (const page of outreach.pages ?? []) {
    const action = pageAction(request, page);
    if (action)
      due.push({ item: { kind: 'page', via: page.via, action }, due: pageDue(request, page) });
  }
  return due;
}

function taskDue(task: OutreachTask): number | undefined {
  if (task.doneAt) return undefined;
  return task.claimedAt ? Date.parse(task.claimedAt) + CLAIM_TTL_MS : Date.parse(task.dueAt);
}

/** A page is triggered while the request waits, and resolved once it no longer does. */
function pageAction(request: RevocationRequest, page: PageTask): 'trigger' | 'resolve' | undefined {
  if (page.failed) return undefined;
  if (request.status === 'pending') return page.triggeredAt ? undefined : 'trigger';
  return page.triggeredAt && !page.resolvedAt ? 'resolve' : undefined;
}

function pageDue(request: RevocationRequest, page: PageTask): number {
  if (page.claimedAt) return Date.parse(page.claimedAt) + CLAIM_TTL_MS;
  if (page.retryAt) return Date.parse(page.retryAt);
  return Date.parse(request.createdAt);
}

/** The items due at `now`, in the order they should be done. */
export function dueItems(request: RevocationRequest, now: Date): OutreachItem[] {
  return schedule(request)
    .filter(({ due }) => due <= now.getTime())
    .map(({ item }) => item);
}

/** When the request next needs the sweep (ISO), or null: what the store indexes. */
export function nextOutreachAt(request: RevocationRequest): string | null {
  const times = schedule(request).map(({ due }) => due);
  if (times.length === 0) return null;
  const next = Math.min(...times);
  return Number.isNaN(next) ? null : new Date(next).toISOString();
}

/** The request with `item` claimed at `now`; undefined when it is no longer due (someone else has it). */
export function claimItem(
  request: RevocationRequest,
  item: OutreachItem,
  now: Date,
): RevocationRequest | undefined {
  if (!dueItems(request, now).some((due) => sameItem(due, item))) return undefined;
  const claimedAt = now.toISOString();
  return item.kind === 'page'
    ? withPage(request, item.via, (page) => ({ ...page, claimedAt }))
    : withTask(request, item.kind, (task) => ({ ...task, claimedAt }));
}

/** What carrying out a reminder, an escalation or the personal cards came to. */
export interface TaskResult {
  reached: NamedPerson[];
  unreachable: { person: NamedPerson; why: string }[];
}

export function finishTask(
  request: RevocationRequest,
  kind: TaskName,
  result: TaskResult,
  now: Date,
): RevocationRequest {
  return withTask(request, kind, (task) => {
    const done: OutreachTask = { ...task, doneAt: now.toISOString(), reached: result.reached };
    delete done.claimedAt;
    if (result.unreachable.length > 0) done.unreachable = result.unreachable;
    return done;
  });
}

export type PageResult =
  { ok: true } | { ok: false; retryAt: Date } | { ok: false; failed: string };

export function finishPage(
  request: RevocationRequest,
  via: string,
  action: 'trigger' | 'resolve',
  result: PageResult,
  now: Date,
): RevocationRequest {
  return withPage(request, via, (page) => {
    const next: PageTask = { ...page, attempts: page.attempts + 1 };
    delete next.claimedAt;
    delete next.retryAt;
    if (result.ok) {
      if (action === 'trigger') next.triggeredAt = now.toISOString();
      else next.resolvedAt = now.toISOString();
      next.attempts = 0;
    } else if ('retryAt' in result) {
      next.retryAt = result.retryAt.toISOString();
    } else {
      next.failed = result.failed;
    }
    return next;
  });
}

function sameItem(a: OutreachItem, b: OutreachItem): boolean {
  if (a.kind !== 'page' || b.kind !== 'page') return a.kind === b.kind;
  return a.via === b.via && a.action === b.action;
}

function withTask(
  request: RevocationRequest,
  kind: TaskName,
  change: (task: OutreachTask) => OutreachTask,
): RevocationRequest {
  const outreach = request.outreach ?? {};
  const task = outreach[kind];
  if (!task) return request;
  return { ...request, outreach: { ...outreach, [kind]: change(task) } };
}

function withPage(
  request: RevocationRequest,
  via: string,
  change: (page: PageTask) => PageTask,
): RevocationRequest {
  const outreach = request.outreach ?? {};
  const pages = (outreach.pages ?? []).map((page) => (page.via === via ? change(page) : page));
  return { ...request, outreach: { ...outreach, pages } };
}

/**
 * The group the request was escalated to: from then on its members may approve. Escalated as soon
 * as the escalation is claimed, so nobody it notifies is refused while the others are still being
 * notified.
 */
export function escalatedTo(request: RevocationRequest): string | undefined {
  const escalation = request.outreach?.escalation;
  return escalation?.doneAt || escalation?.claimedAt ? escalation.groupId : undefined;
}
