// The sandbox's Slack Enterprise Grid org: one account per person of the demo tenant (by their
// sign-in address), each signed in on a laptop and a phone in one workspace, so the demo shows the
// Slack steps reset sessions and deactivate, and a restore reactivate, read back like the real one.
// Its session and deactivation calls go through the sandbox's behaviour (latency, injected faults
// by Slack id, person id or address, the call log) like every sandbox directory's.
import { DirectoryError } from '../../core/errors';
import type { SlackAccount, SlackDirectory, SlackSessionCount } from '../../core/saas/slack-port';
import type { SandboxBehaviour, SandboxSlackOperation } from './behaviour';
import type { SandboxPerson } from './sandbox-tenant';

interface SandboxSlackUser extends SlackAccount {
  sessions: number;
  /** The demo person's Entra object id, so a fault can name the person. */
  personId: string;
}

export class SandboxSlack implements SlackDirectory {
  readonly users = new Map<string, SandboxSlackUser>();

  constructor(
    people: readonly SandboxPerson[],
    private readonly behaviour?: SandboxBehaviour,
  ) {
    people.forEach((person, index) => {
      if (!person.upn) return;
      const id = `W${String(index + 1).padStart(8, '0')}`;
      this.users.set(id, {
        id,
        userName: person.upn.split('@')[0] ?? person.upn,
        email: person.upn,
        active: true,
        sessions: 2,
        personId: person.id,
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
    return this.run('countActiveSessions', id, (user) => ({
      sessions: user?.sessions ?? 0,
      workspaces: user ? 1 : 0,
    }));
  }

  resetSessions(id: string): Promise<void> {
    return this.run('resetSessions', id, (user) => {
      if (!user) throw new DirectoryError('not_found', `No sandbox Slack user ${id}.`);
      user.sessions = 0;
    });
  }

  setActive(id: string, active: boolean): Promise<void> {
    return this.run('setActive', id, (user) => {
      if (!user) throw new DirectoryError('not_found', `No sandbox Slack user ${id}.`);
      user.active = active;
      // Slack signs a deactivated member out of every device.
      if (!active) user.sessions = 0;
    });
  }

  private async run<T>(
    operation: SandboxSlackOperation,
    id: string,
    effect: (user: SandboxSlackUser | undefined) => T,
  ): Promise<T> {
    const user = this.users.get(id);
    if (!this.behaviour) return effect(user);
    return this.behaviour.run(operation, [id, user?.personId, user?.email], () => effect(user));
  }
}

function account({ id, userName, email, active }: SlackAccount): SlackAccount {
  return { id, userName, email, active };
}
