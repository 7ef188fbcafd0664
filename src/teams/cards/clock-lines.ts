// The card's clock: how long the request has waited for its approvals, and who was sent the card,
// reminded, escalated to or paged, and when. An approver opening the card at 3 a.m. sees at once
// that on-call was paged and that the escalation group may approve.
import { elapsedText } from '../../core/outreach/elapsed-text';
import type { NamedPerson, OutreachTask, PageTask, RevocationRequest } from '../../core/model';
import { utcTime } from './format';

export interface ClockLine {
  text: string;
  tone: 'default' | 'subtle' | 'warning' | 'attention';
}

/** Names past this many are counted, not listed: a card is not a roster. */
const NAMES_SHOWN = 5;

export function clockLines(request: RevocationRequest, now: Date): ClockLine[] {
  const lines: ClockLine[] = [];
  const pending = request.status === 'pending';
  if (pending)
    lines.push({ text: `Waiting for ${elapsedText(request.createdAt, now)}`, tone: 'default' });
  else {
    const decidedAt = decisionTime(request);
    if (decidedAt) {
      lines.push({
        text: `Decided after ${elapsedText(request.createdAt, new Date(decidedAt))}`,
        tone: 'subtle',
      });
    }
  }
  const outreach = request.outreach;
  if (!outreach) return lines;
  const cards = outreach.personalCards;
  if (cards?.doneAt) {
    const reached = cards.reached ?? [];
    if (reached.length > 0)
      lines.push({
        text: `Card sent in a personal chat to ${names(reached)} at ${utcTime(cards.doneAt, now)}`,
        tone: 'subtle',
      });
  }
  for (const task of [cards, outreach.escalation]) {
    for (const { person, why } of task?.unreachable ?? []) {
      lines.push({
        text: `Not reachable in a personal chat: ${person.name} (${why})`,
        tone: 'warning',
      });
    }
  }
  lines.push(...taskLine(outreach.reminder, pending, now, 'Reminded', 'Reminder due'));
  lines.push(
    ...taskLine(
      outreach.escalation,
      pending,
      now,
      'Escalated to the escalation group',
      'Escalation due',
      ' — they may approve or reject',
    ),
  );
  for (const page of outreach.pages ?? []) {
    const line = pageLine(page, now);
    if (line) lines.push(line);
  }
  return lines;
}

function taskLine(
  task: OutreachTask | undefined,
  pending: boolean,
  now: Date,
  done: string,
  due: string,
  suffix = '',
): ClockLine[] {
  if (!task) return [];
  if (task.doneAt) {
    const reached = task.reached ?? [];
    const who = reached.length > 0 ? ` (${names(reached)})` : ' (nobody left to notify)';
    return [{ text: `${done}${who} at ${utcTime(task.doneAt, now)}${suffix}`, tone: 'default' }];
  }
  if (!pending) return [];
  return [{ text: `${due} at ${utcTime(task.dueAt, now)}`, tone: 'subtle' }];
}

function pageLine(page: PageTask, now: Date): ClockLine | undefined {
  if (page.failed)
    return { text: `Paging on-call via ${page.via} failed: ${page.failed}`, tone: 'attention' };
  if (page.triggeredAt) {
    const resolved = page.resolvedAt ? `, resolved at ${utcTime(page.resolvedAt, now)}` : '';
    return {
      text: `Paged on-call via ${page.via} at ${utcTime(page.triggeredAt, now)}${resolved}`,
      tone: 'default',
    };
  }
  if (page.retryAt)
    return {
      text: `Paging on-call via ${page.via}: not through yet, trying again at ${utcTime(page.retryAt, now)}`,
      tone: 'warning',
    };
  return undefined;
}

function names(people: readonly NamedPerson[]): string {
  const shown = people.slice(0, NAMES_SHOWN).map((p) => p.name);
  const more = people.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** When the request stopped waiting for approvals. */
function decisionTime(request: RevocationRequest): string | undefined {
  if (request.status === 'rejected') return request.rejection?.at;
  if (request.status === 'cancelled') return undefined;
  return request.runStartedAt && request.approvals.length >= request.requiredApprovals
    ? (request.approvals.at(-1)?.at ?? request.runStartedAt)
    : undefined;
}
