// The state of a stand-in Slack Enterprise Grid org: its users (with every e-mail address, active
// or deactivated, the workspaces they belong to), their signed-in sessions, and the tokens Slack
// would have issued with their scopes. The Web API and SCIM handlers read and change it.
import { randomUUID } from 'node:crypto';

export const ENTERPRISE_ID = 'E0REVOKE1';

export interface StandinSlackUser {
  id: string;
  userName: string;
  /** Every address; the first is the primary. */
  emails: string[];
  active: boolean;
  /** Workspace (team) ids the user belongs to. */
  teams: string[];
}

export interface StandinSession {
  session_id: number;
  team_id: string;
  user_id: string;
  client: 'web' | 'mobile';
}

export interface StandinToken {
  value: string;
  scopes: string[];
  /** Installed on the org (true) or on one workspace. */
  orgInstall: boolean;
  user: string;
}

export class SlackOrg {
  readonly users = new Map<string, StandinSlackUser>();
  sessions: StandinSession[] = [];
  readonly tokens = new Map<string, StandinToken>();
  private nextUser = 1;
  private nextSession = 1000;

  addUser(options: {
    email: string | string[];
    userName?: string;
    active?: boolean;
    teams?: string[];
    /** Sessions per workspace, alternating web and mobile. */
    sessionsPerTeam?: number;
  }): StandinSlackUser {
    const emails = Array.isArray(options.email) ? options.email : [options.email];
    const id = `W${String(this.nextUser++).padStart(8, '0')}`;
    const user: StandinSlackUser = {
      id,
      userName: options.userName ?? (emails[0] ?? id).split('@')[0] ?? id,
      emails,
      active: options.active ?? true,
      teams: options.teams ?? ['T0WORK001'],
    };
    this.users.set(id, user);
    for (const team of user.teams) {
      for (let i = 0; i < (options.sessionsPerTeam ?? 2); i++) this.addSession(id, team);
    }
    return user;
  }

  addSession(userId: string, team: string, client?: 'web' | 'mobile'): StandinSession {
    const session: StandinSession = {
      session_id: this.nextSession++,
      team_id: team,
      user_id: userId,
      client: client ?? (this.nextSession % 2 === 0 ? 'web' : 'mobile'),
    };
    this.sessions.push(session);
    return session;
  }

  sessionsOf(userId: string): StandinSession[] {
    return this.sessions.filter((s) => s.user_id === userId);
  }

  /** A token Slack would issue; by default an org-level one with every scope Revoke asks for. */
  issueToken(
    scopes = ['admin.users:write', 'admin.users:read', 'users:read', 'admin'],
    orgInstall = true,
  ): string {
    const value = `xoxp-${randomUUID()}`;
    this.tokens.set(value, { value, scopes, orgInstall, user: 'U0ORGADMIN' });
    return value;
  }
}
