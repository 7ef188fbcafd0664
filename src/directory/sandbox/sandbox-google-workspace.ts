// The sandbox's Google Workspace: one account per demo person, under their UPN, so the demo shows
// the sign-out and the suspension on the card. It answers as the Directory API would: an exact
// address (primary or alias, case aside) finds the account, and a suspension reads back. Calls go
// through the sandbox's behaviour like the other directories': the demo's latency, and faults a
// test injects as `google.<method>` (each call's subjects: the addresses, or the id and email).
import { DirectoryError } from '../../core/errors';
import {
  AMBIGUOUS_GOOGLE_USER,
  type GoogleWorkspaceDirectory,
  type GoogleWorkspaceUser,
} from '../../core/saas/google-workspace-port';
import type { SandboxBehaviour } from './behaviour';
import type { SandboxPerson } from './sandbox-tenant';

interface SandboxGoogleAccount extends GoogleWorkspaceUser {
  aliases: string[];
  /** Sign-outs asked for: the sandbox has no sessions to end, but a test can see the call. */
  signOuts: number;
}

export class SandboxGoogleWorkspace implements GoogleWorkspaceDirectory {
  readonly accounts: SandboxGoogleAccount[];

  constructor(
    people: readonly SandboxPerson[],
    private readonly behaviour?: SandboxBehaviour,
  ) {
    this.accounts = people.flatMap((person, index) =>
      person.upn
        ? [
            {
              // Google's user ids are long decimal numbers.
              id: String(103_000_000_000_000_000_000n + BigInt(index)),
              primaryEmail: person.upn,
              suspended: false,
              aliases: [],
              signOuts: 0,
            },
          ]
        : [],
    );
  }

  findUser(addresses: readonly string[]): Promise<GoogleWorkspaceUser | undefined> {
    return this.run('google.findUser', addresses, () => {
      const wanted = new Set(addresses.map((a) => a.toLowerCase()));
      const found = this.accounts.filter((account) =>
        [account.primaryEmail, ...account.aliases].some((a) => wanted.has(a.toLowerCase())),
      );
      if (found.length > 1)
        throw new DirectoryError(
          'rejected',
          `${found.length} Google Workspace accounts have the addresses ${addresses.join(', ')}; Revoke will not guess which one is meant.`,
          { code: AMBIGUOUS_GOOGLE_USER },
        );
      return found[0] && view(found[0]);
    });
  }

  getUser(id: string): Promise<GoogleWorkspaceUser | undefined> {
    const account = this.byId(id);
    return this.run('google.getUser', [id, account?.primaryEmail], () => account && view(account));
  }

  signOut(id: string): Promise<void> {
    const account = this.byId(id);
    return this.run('google.signOut', [id, account?.primaryEmail], () => {
      this.existing(id, account).signOuts++;
    });
  }

  setSuspended(id: string, suspended: boolean): Promise<void> {
    const account = this.byId(id);
    return this.run('google.setSuspended', [id, account?.primaryEmail], () => {
      this.existing(id, account).suspended = suspended;
    });
  }

  private byId(id: string): SandboxGoogleAccount | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  private existing(id: string, account: SandboxGoogleAccount | undefined): SandboxGoogleAccount {
    if (!account)
      throw new DirectoryError('not_found', `Google Workspace has no user ${id}.`, {
        code: 'notFound',
      });
    return account;
  }

  private async run<T>(
    operation: `google.${keyof GoogleWorkspaceDirectory}`,
    subjects: readonly (string | undefined)[],
    effect: () => T,
  ): Promise<T> {
    if (this.behaviour) return this.behaviour.run(operation, subjects, effect);
    return effect();
  }
}

function view(account: SandboxGoogleAccount): GoogleWorkspaceUser {
  return { id: account.id, primaryEmail: account.primaryEmail, suspended: account.suspended };
}
