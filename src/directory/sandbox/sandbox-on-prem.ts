// An in-memory Active Directory holding the synced users' accounts. Password resets are recorded
// only as a new pwdLastSet and a counter: no password is generated or kept, so none can leak.
import type { Clock } from '../../core/clock';
import { DirectoryError } from '../../core/errors';
import type { OnPremAccount, OnPremAccountRef, OnPremDirectory } from '../../core/ports';
import type { OnPremRestore } from '../../core/containment-ports';
import type { SandboxBehaviour } from './behaviour';
import { toFileTime } from './filetime';
import type { SandboxOnPremSeed, SandboxTenantFile } from './tenant-file';

export const ACCOUNTDISABLE = 0x2;

interface AccountState {
  seed: SandboxOnPremSeed;
  userAccountControl: number;
  pwdLastSet: string;
  passwordResets: number;
}

export class SandboxOnPremDirectory implements OnPremDirectory, OnPremRestore {
  private readonly accounts: AccountState[];

  constructor(
    file: SandboxTenantFile,
    private readonly clock: Clock,
    private readonly behaviour: SandboxBehaviour,
  ) {
    this.accounts = file.users.flatMap((u) =>
      u.onPremises
        ? [
            {
              seed: u.onPremises,
              userAccountControl: u.onPremises.userAccountControl,
              pwdLastSet: u.onPremises.pwdLastSet,
              passwordResets: 0,
            },
          ]
        : [],
    );
  }

  findAccount(ref: OnPremAccountRef): Promise<OnPremAccount | undefined> {
    const subjects = [ref.securityIdentifier, ref.samAccountName, ref.userPrincipalName];
    return this.behaviour.run('findAccount', subjects, () => {
      // The SID never changes, so it wins; then the names, which an admin can rename.
      const match =
        this.by((a) => same(a.seed.securityIdentifier, ref.securityIdentifier)) ??
        this.by((a) => same(a.seed.samAccountName, ref.samAccountName)) ??
        this.by((a) => same(a.seed.userPrincipalName, ref.userPrincipalName));
      return match && toAccount(match);
    });
  }

  disableAccount(dn: string): Promise<void> {
    return this.behaviour.run('disableAccount', [dn], () => {
      const account = this.requireDn(dn);
      account.userAccountControl = (account.userAccountControl | ACCOUNTDISABLE) >>> 0;
    });
  }

  /** For a restore after a false alarm: clears only the ACCOUNTDISABLE bit. */
  enableAccount(dn: string): Promise<void> {
    return this.behaviour.run('enableAccount', [dn], () => {
      const account = this.requireDn(dn);
      account.userAccountControl = (account.userAccountControl & ~ACCOUNTDISABLE) >>> 0;
    });
  }

  resetPasswordToRandom(dn: string): Promise<void> {
    return this.behaviour.run('resetPasswordToRandom', [dn], () => {
      const account = this.requireDn(dn);
      // Every change gets a later pwdLastSet, as in AD, even when a test clock stands still:
      // the engine verifies each of its two resets by watching this value move.
      const now = BigInt(toFileTime(this.clock.now()));
      const previous = BigInt(account.pwdLastSet);
      account.pwdLastSet = (now > previous ? now : previous + 1n).toString();
      account.passwordResets += 1;
    });
  }

  /** For tests and the playground: how many times the password was reset. */
  passwordResetCount(dn: string): number {
    return this.by((a) => same(a.seed.dn, dn))?.passwordResets ?? 0;
  }

  private by(predicate: (account: AccountState) => boolean): AccountState | undefined {
    return this.accounts.find(predicate);
  }

  private requireDn(dn: string): AccountState {
    const account = this.by((a) => same(a.seed.dn, dn));
    if (account === undefined) {
      throw new DirectoryError('not_found', `No such object: ${dn} (sandbox)`, {
        code: 'noSuchObject',
      });
    }
    return account;
  }
}

/** AD compares names and DNs case-insensitively. */
function same(stored: string, wanted: string | undefined): boolean {
  return (
    wanted !== undefined && wanted !== '' && stored.toLowerCase() === wanted.trim().toLowerCase()
  );
}

function toAccount(state: AccountState): OnPremAccount {
  return {
    dn: state.seed.dn,
    samAccountName: state.seed.samAccountName,
    userAccountControl: state.userAccountControl,
    disabled: (state.userAccountControl & ACCOUNTDISABLE) !== 0,
    pwdLastSet: state.pwdLastSet,
  };
}
