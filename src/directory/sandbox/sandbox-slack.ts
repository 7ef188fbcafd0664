// The sandbox's Slack Enterprise Grid org: one account per person of the demo tenant (by their
// sign-in address), each signed in on a laptop and a phone in one workspace, so the demo shows the
// Slack steps reset sessions and deactivate, and a restore reactivate, read back like the real one.
import { DirectoryError } from '../../core/errors';
import type { SlackAccount, SlackDirectory, SlackSessionCount } from '../../core/saas/slack-port';
import type { SandboxPerson } from './sandbox-tenant';

interface SandboxSlackUser extends SlackAccount {
  sessions: number;
}

export class SandboxSlack implements SlackDirectory {
  readonly users = new Map<string, SandboxSlackUser>();

  constructor(people: readonly SandboxPerson[]) {
    people.forEach((person, index) => {
      if (!person.upn) return;
      const id = `W${String(index + 1).padStart(8, '0')}`;
      this.users.set(id, {
        id,
        userName: person.upn.split('@')[0] ?? person.upn,
        email: person.upn,
        active: true,
        sessions: 2,
      });
    });
  }

  findUserByEmail(email: string): Promise<SlackAccount | undefined> {
    const wanted = email.toLowerCase();
    const found = [...this.users.values()].filter((u) => u.email.toLowerCase() === wanted);
    if (found.length > 1)
      return Promise.reject(
        new DirectoryError('rejected', `${found.length} sandbox Slack accounts have ${email}.`, {
          code: 'ambiguous',
        }),
      );
    return Promise.resolve(found[0] && account(found[0]));
  }

  getUser(id: string): Promise<SlackAccount | undefined> {
    const user = this.users.get(id);
    return Promise.resolve(user && account(user));
  }

  countActiveSessions(id: string): Promise<SlackSessionCount> {
    const user = this.users.get(id);
    return Promise.resolve({ sessions: user?.sessions ?? 0, workspaces: user ? 1 : 0 });
  }

  resetSessions(id: string): Promise<void> {
    const user = this.users.get(id);
    if (!user)
      return Promise.reject(new DirectoryError('not_found', `No sandbox Slack user ${id}.`));
    user.sessions = 0;
    return Promise.resolve();
  }

  setActive(id: string, active: boolean): Promise<void> {
    const user = this.users.get(id);
    if (!user)
      return Promise.reject(new DirectoryError('not_found', `No sandbox Slack user ${id}.`));
    user.active = active;
    // Slack signs a deactivated member out of every device.
    if (!active) user.sessions = 0;
    return Promise.resolve();
  }
}

function account({ id, userName, email, active }: SandboxSlackUser): SlackAccount {
  return { id, userName, email, active };
}
