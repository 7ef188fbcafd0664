// A Slack Enterprise Grid org behind the core's SlackDirectory port.
//
// Sessions: admin.users.session.reset ends every session of the user, web and mobile, in every
// workspace (https://docs.slack.dev/reference/methods/admin.users.session.reset), and
// admin.users.session.list, per workspace the user belongs to (users.info's enterprise_user.teams),
// reads back that none is left (https://docs.slack.dev/reference/methods/admin.users.session.list).
//
// Deactivation: through SCIM, PATCH /Users/{id} active=false. On Enterprise Grid the SCIM API
// administers the users of the whole organisation, not one workspace
// (https://docs.slack.dev/admins/scim-api), so this is the org-wide deactivation: the person is
// signed out everywhere and can sign in to no workspace of the org
// (https://slack.com/help/articles/204475027-Deactivate-a-members-account). admin.users.remove only
// takes the user out of one workspace (https://docs.slack.dev/reference/methods/admin.users.remove),
// leaving the account able to join others. The newer admin.users.deactivate is also org-wide, but
// the Web API documents no way back, while SCIM's `active` is both the read-back and the restore.
import type { WebClient } from '@slack/web-api';
import { DirectoryError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import {
  SLACK_AMBIGUOUS,
  type SlackAccount,
  type SlackDirectory,
  type SlackSessionCount,
} from '../../core/saas/slack-port';
import { webApiError } from './slack-errors';
import { SlackScimClient, toSlackAccount } from './slack-scim';
import type { SlackCall, SlackSettings } from './slack-settings';
import { createSlackWebClient } from './slack-web-client';

/** Sessions are listed by page; a person has a handful, so more pages than this is a loop. */
const SESSION_PAGE_SIZE = 100;
const MAX_SESSION_PAGES = 20;

export class SlackOrgDirectory implements SlackDirectory {
  private readonly web: WebClient;
  private readonly scim: SlackScimClient;

  constructor(settings: SlackSettings, logger?: Logger) {
    this.web = createSlackWebClient(settings.orgToken, settings.apiUrl, logger, settings.timeoutMs);
    this.scim = new SlackScimClient(settings);
  }

  async findUserByEmail(email: string): Promise<SlackAccount | undefined> {
    const wanted = email.toLowerCase();
    // Slack's filter may match on any address, or loosely: only an exact address counts.
    const matches = (await this.scim.searchByEmail(email)).filter((user) =>
      user.emails.some((address) => address.toLowerCase() === wanted),
    );
    const distinct = [...new Map(matches.map((user) => [user.id, user])).values()];
    if (distinct.length > 1) {
      throw new DirectoryError(
        'rejected',
        `${distinct.length} Slack accounts (${distinct.map((u) => u.userName).join(', ')}) have the e-mail address ${email}; Revoke will not guess which one is meant.`,
        {
          code: SLACK_AMBIGUOUS,
          advice:
            'Give each Slack account its own e-mail address, or deactivate the right one by hand.',
        },
      );
    }
    const [only] = distinct;
    if (!only) return undefined;
    const matched = only.emails.find((address) => address.toLowerCase() === wanted);
    return toSlackAccount(only, matched);
  }

  async getUser(id: string): Promise<SlackAccount | undefined> {
    const user = await this.scim.getUser(id);
    return user ? toSlackAccount(user) : undefined;
  }

  async countActiveSessions(id: string): Promise<SlackSessionCount> {
    const info = await this.call('users.info', () => this.web.users.info({ user: id }));
    const teams =
      info.user?.enterprise_user?.teams ?? (info.user?.team_id ? [info.user.team_id] : []);
    let sessions = 0;
    for (const team of teams) sessions += await this.sessionsIn(team, id);
    return { sessions, workspaces: teams.length };
  }

  async resetSessions(id: string): Promise<void> {
    // Neither mobile_only nor web_only: every session on every device.
    await this.call('admin.users.session.reset', () =>
      this.web.admin.users.session.reset({ user_id: id }),
    );
  }

  setActive(id: string, active: boolean): Promise<void> {
    return this.scim.setActive(id, active);
  }

  private async sessionsIn(team: string, user: string): Promise<number> {
    let count = 0;
    let cursor: string | undefined;
    for (let page = 0; page < MAX_SESSION_PAGES; page++) {
      const answer = await this.call('admin.users.session.list', () =>
        this.web.admin.users.session.list({
          team_id: team,
          user_id: user,
          limit: SESSION_PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        }),
      );
      count += (answer.active_sessions ?? []).filter(
        (s) => s.user_id === undefined || s.user_id === user,
      ).length;
      cursor = answer.response_metadata?.next_cursor;
      if (!cursor) return count;
    }
    throw new DirectoryError(
      'transient',
      `Slack listed more than ${MAX_SESSION_PAGES} pages of sessions for one user in ${team}.`,
      { code: 'TooManyPages' },
    );
  }

  private async call<T>(method: SlackCall, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw webApiError(method, error);
    }
  }
}
