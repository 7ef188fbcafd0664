// The sandbox's Okta org: one active account per member of the demo's staff (login = their UPN),
// with sessions that end when cleared, so the demo shows the Okta path end to end without reaching
// any Okta. Staff are the people with a department: not the break-glass account, nor the users a
// test generates by the hundred (their plans stay the runbook's).
import { DirectoryError } from '../../core/errors';
import type { OktaAccount, OktaDirectory } from '../../core/saas/okta-port';
import type { SandboxBehaviour } from './behaviour';
import type { SandboxPerson } from './sandbox-tenant';

export class SandboxOkta implements OktaDirectory {
  private readonly accounts = new Map<string, OktaAccount>();
  /** Open sessions per account id: what a demo sign-in would have left. */
  readonly sessions = new Map<string, number>();

  constructor(
    people: readonly SandboxPerson[],
    private readonly behaviour: SandboxBehaviour,
  ) {
    for (const [index, person] of people.entries()) {
      if (!person.upn || !person.department) continue;
      const id = `00u${String(index + 1).padStart(17, '0')}`;
      this.accounts.set(id, {
        id,
        login: person.upn,
        email: person.upn,
        displayName: person.name,
        status: 'ACTIVE',
      });
      this.sessions.set(id, 2);
    }
  }

  findUser(loginOrEmail: string): Promise<OktaAccount | undefined> {
    return this.behaviour.run('okta.findUser', [loginOrEmail], () => {
      const wanted = loginOrEmail.trim().toLowerCase();
      const all = [...this.accounts.values()];
      const byLogin = all.filter((a) => a.login.toLowerCase() === wanted);
      const matches =
        byLogin.length > 0 ? byLogin : all.filter((a) => a.email?.toLowerCase() === wanted);
      if (matches.length > 1)
        throw new DirectoryError(
          'rejected',
          `Okta has ${matches.length} accounts for ${loginOrEmail}.`,
          {
            code: 'ambiguous',
          },
        );
      return matches[0] ? { ...matches[0] } : undefined;
    });
  }

  getUser(id: string): Promise<OktaAccount | undefined> {
    return this.behaviour.run('okta.getUser', [id], () => {
      const account = this.accounts.get(id);
      return account ? { ...account } : undefined;
    });
  }

  suspendUser(id: string): Promise<void> {
    return this.setStatus('okta.suspendUser', id, 'SUSPENDED', ['ACTIVE', 'SUSPENDED']);
  }

  unsuspendUser(id: string): Promise<void> {
    return this.setStatus('okta.unsuspendUser', id, 'ACTIVE', ['SUSPENDED', 'ACTIVE']);
  }

  deactivateUser(id: string): Promise<void> {
    return this.setStatus('okta.deactivateUser', id, 'DEPROVISIONED', [
      'ACTIVE',
      'SUSPENDED',
      'DEPROVISIONED',
    ]);
  }

  clearSessions(id: string): Promise<void> {
    return this.behaviour.run('okta.clearSessions', [id], () => {
      if (!this.accounts.has(id)) throw notFound(id);
      this.sessions.set(id, 0);
    });
  }

  grantedScopes(): Promise<string[]> {
    return this.behaviour.run('okta.grantedScopes', [], () => [
      'okta.users.read',
      'okta.users.manage',
    ]);
  }

  private setStatus(
    operation: `okta.${string}`,
    id: string,
    status: string,
    from: readonly string[],
  ): Promise<void> {
    return this.behaviour.run(operation, [id], () => {
      const account = this.accounts.get(id);
      if (!account) throw notFound(id);
      // Okta's lifecycle refuses a transition from any other state (400 E0000001).
      if (!from.includes(account.status))
        throw new DirectoryError(
          'rejected',
          `Okta cannot change ${account.login} from ${account.status}.`,
          {
            code: 'E0000001',
          },
        );
      account.status = status;
    });
  }
}

function notFound(id: string): DirectoryError {
  return new DirectoryError('not_found', `Okta has no user ${id}.`, { code: 'E0000007' });
}
