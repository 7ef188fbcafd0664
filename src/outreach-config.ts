// APPROVER_PERSONAL_CHATS, APPROVAL_REMINDER_MINUTES, APPROVAL_ESCALATION_MINUTES and
// ESCALATION_GROUP_ID: how a pending request is put in front of people who can decide it.
import type { OutreachSettings } from './core/outreach/outreach-settings';
import type { EnvReader } from './env-reader';

/** At most this many members of a group get a personal copy, a reminder or an escalation. */
const MAX_PEOPLE = 25;

export function readOutreach(
  read: EnvReader,
  context: { sandbox: boolean; approvalTimeoutMinutes: number },
): OutreachSettings {
  const timeout = context.approvalTimeoutMinutes;
  // The Playground has no personal chats: the sandbox keeps everything in its one conversation.
  const personalCards = read.boolean('APPROVER_PERSONAL_CHATS', !context.sandbox);
  const reminderMinutes = read.minutes(
    'APPROVAL_REMINDER_MINUTES',
    Math.min(10, timeout / 2),
    0,
    10_080,
  );
  const groupId = read.guid('ESCALATION_GROUP_ID');
  const escalationMinutes = read.minutes(
    'APPROVAL_ESCALATION_MINUTES',
    Math.min(20, timeout * 0.75),
    0,
    10_080,
  );
  if (reminderMinutes > 0 && reminderMinutes >= timeout) {
    read.problem(
      `APPROVAL_REMINDER_MINUTES (${reminderMinutes}) must be less than APPROVAL_TIMEOUT_MINUTES (${timeout}), or 0 for no reminder: a reminder after the request expired reaches nobody.`,
    );
  }
  if (groupId !== undefined) {
    if (escalationMinutes <= 0 || escalationMinutes >= timeout) {
      read.problem(
        `APPROVAL_ESCALATION_MINUTES (${escalationMinutes}) must be more than 0 and less than APPROVAL_TIMEOUT_MINUTES (${timeout}) when ESCALATION_GROUP_ID is set.`,
      );
    } else if (reminderMinutes > 0 && escalationMinutes <= reminderMinutes) {
      read.problem(
        `APPROVAL_ESCALATION_MINUTES (${escalationMinutes}) must be more than APPROVAL_REMINDER_MINUTES (${reminderMinutes}): approvers are reminded before anyone else is called.`,
      );
    }
  } else if (read.optional('APPROVAL_ESCALATION_MINUTES') !== undefined) {
    read.problem(
      'APPROVAL_ESCALATION_MINUTES is set but ESCALATION_GROUP_ID is not: whom should a request escalate to?',
    );
  }
  return {
    personalCards,
    maxPeople: MAX_PEOPLE,
    reminderMinutes,
    ...(groupId !== undefined ? { escalation: { minutes: escalationMinutes, groupId } } : {}),
  };
}
