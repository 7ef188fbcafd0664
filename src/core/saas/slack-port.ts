// What the core needs from Slack (Enterprise Grid): find the one account a person has in the org,
// end its sessions, deactivate it org-wide and read each change back. Plain TypeScript: the adapter
// (src/directory/slack/) holds the SDK, the sandbox an in-memory org. Every failure is a
// DirectoryError whose kind the one retry layer understands; a token never reaches a message.
import { connectorKey } from '../paths/connectors';

/** One Slack user of the org, as Slack's SCIM API shows it. */
export interface SlackAccount {
  /** The org-wide user id (W… on Enterprise Grid). */
  id: string;
  /** The Slack handle (SCIM userName). */
  userName: string;
  /** The address the account was matched by, as Slack holds it. */
  email: string;
  /** False once deactivated. */
  active: boolean;
}

/** What a session read-back saw: `workspaces` 0 means there was nowhere to look. */
export interface SlackSessionCount {
  sessions: number;
  workspaces: number;
}

export interface SlackDirectory {
  /**
   * The one account whose e-mail is exactly `email` (case-insensitive), or undefined. More than
   * one is a DirectoryError `rejected` with code `ambiguous`: Revoke never guesses.
   */
  findUserByEmail(email: string): Promise<SlackAccount | undefined>;
  /** Undefined only when Slack has no such user. */
  getUser(id: string): Promise<SlackAccount | undefined>;
  /** Sessions still signed in, summed over every workspace of the org the user belongs to. */
  countActiveSessions(id: string): Promise<SlackSessionCount>;
  /** Ends every session of the user, web and mobile, in every workspace. */
  resetSessions(id: string): Promise<void>;
  /** Deactivates (false) or reactivates (true) the user across the whole org. */
  setActive(id: string, active: boolean): Promise<void>;
}

export const SLACK = connectorKey<SlackDirectory>('slack');

/** The code of the DirectoryError an ambiguous e-mail match raises. */
export const SLACK_AMBIGUOUS = 'ambiguous';
