// How Revoke gets a pending request in front of people who can decide it, from the configuration.

export interface OutreachSettings {
  /** Send the card to each approver in a personal chat with the bot (APPROVER_PERSONAL_CHATS). */
  personalCards: boolean;
  /** At most this many people of a group get a personal copy or a reminder (a group may be huge). */
  maxPeople: number;
  /** APPROVAL_REMINDER_MINUTES; 0: no reminder. */
  reminderMinutes: number;
  /** ESCALATION_GROUP_ID and APPROVAL_ESCALATION_MINUTES; absent: no escalation. */
  escalation?: { minutes: number; groupId: string };
}
