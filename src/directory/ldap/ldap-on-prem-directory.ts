// On-premises Active Directory over LDAP: find a user's account, disable it, reset its password
// to a random value nobody learns. Every write is checked by reading the account back.
import { debuglog } from 'node:util';
import { AndFilter, Attribute, Change, type Entry } from 'ldapts';
import { DirectoryError } from '../../core/errors';
import type { OnPremAccount, OnPremAccountRef, OnPremDirectory } from '../../core/ports';
import {
  ACCOUNT_ATTRIBUTES,
  BINARY_ATTRIBUTES,
  accountQuery,
  readBinary,
  readText,
  readUserAccountControl,
  toOnPremAccount,
  userObjectFilter,
} from './account-search';
import { ENCRYPTION_ADVICE, toDirectoryError, type LdapOperation } from './ldap-errors';
import {
  resolveLdapConfig,
  type LdapDirectoryConfig,
  type ResolvedLdapConfig,
} from './ldap-directory-config';
import {
  createLdapClient,
  withLdapSession,
  type LdapClient,
  type LdapClientFactory,
} from './ldap-session';
import { encodeUnicodePwd, generateRandomPassword, namesToAvoid } from './random-password';
import { sidFromBuffer, sidToBuffer } from './security-identifier';
import { isDisabled, withDisabledBit, withoutDisabledBit } from './user-account-control';
import type { OnPremRestore } from '../../core/containment-ports';

export interface LdapOnPremDirectoryOptions {
  /** Replaces the ldapts client (tests). */
  createClient?: LdapClientFactory;
  /** Replaces the password generator (tests); receives the names the password must avoid. */
  generatePassword?: (avoid: readonly string[]) => string;
}

export class LdapOnPremDirectory implements OnPremDirectory, OnPremRestore {
  private readonly config: ResolvedLdapConfig;
  private readonly createClient: LdapClientFactory;
  private readonly generatePassword: (avoid: readonly string[]) => string;

  /** Throws DirectoryError('misconfigured') when the configuration cannot work. */
  constructor(config: LdapDirectoryConfig, options: LdapOnPremDirectoryOptions = {}) {
    this.config = resolveLdapConfig(config);
    this.createClient = options.createClient ?? createLdapClient;
    this.generatePassword =
      options.generatePassword ?? ((avoid) => generateRandomPassword({ avoid }));
  }

  async findAccount(ref: OnPremAccountRef): Promise<OnPremAccount | undefined> {
    const query = accountQuery(ref);
    return this.session('find account', async (client) => {
      const { searchEntries } = await client.search(this.config.baseDn, {
        scope: 'sub',
        filter: query.filter,
        attributes: ACCOUNT_ATTRIBUTES,
        explicitBufferAttributes: BINARY_ATTRIBUTES,
      });
      if (searchEntries.length > 1) {
        const dns = searchEntries.map((entry) => entry.dn).join('; ');
        throw new DirectoryError(
          'rejected',
          `${query.description} matches ${searchEntries.length} accounts (${dns}); refusing to guess which one to act on`,
          {
            code: 'ambiguous',
            advice:
              'Make the identifier unique in Active Directory, or look the account up by SID.',
          },
        );
      }
      const entry = searchEntries[0];
      if (!entry) return undefined;
      assertSameSid(entry, ref);
      return toOnPremAccount(entry);
    });
  }

  async disableAccount(dn: string): Promise<void> {
    await this.session('disable account', async (client) => {
      const before = readUserAccountControl(
        await this.readUser(client, dn, ['userAccountControl']),
      );
      if (isDisabled(before)) return;
      // Delete the value we read and add the new one in a single modify: if somebody changed
      // userAccountControl meanwhile, the delete fails (noSuchAttribute) instead of our write
      // silently undoing theirs.
      await client.modify(dn, [
        userAccountControlChange('delete', before),
        userAccountControlChange('add', withDisabledBit(before)),
      ]);
      const after = readUserAccountControl(await this.readUser(client, dn, ['userAccountControl']));
      if (!isDisabled(after)) {
        throw new DirectoryError('rejected', `${dn} still reads as enabled after disabling it`, {
          code: 'not_verified',
        });
      }
    });
  }

  /** For a restore after a false alarm; the same compare-and-swap write as disableAccount. */
  async enableAccount(dn: string): Promise<void> {
    await this.session('enable account', async (client) => {
      const before = readUserAccountControl(
        await this.readUser(client, dn, ['userAccountControl']),
      );
      if (!isDisabled(before)) return;
      await client.modify(dn, [
        userAccountControlChange('delete', before),
        userAccountControlChange('add', withoutDisabledBit(before)),
      ]);
      const after = readUserAccountControl(await this.readUser(client, dn, ['userAccountControl']));
      if (isDisabled(after)) {
        throw new DirectoryError('rejected', `${dn} still reads as disabled after enabling it`, {
          code: 'not_verified',
        });
      }
    });
  }

  async resetPasswordToRandom(dn: string): Promise<void> {
    this.assertPasswordWritesAreSafe();
    await this.session('reset password', async (client) => {
      const before = await this.readUser(client, dn, [
        'sAMAccountName',
        'displayName',
        'pwdLastSet',
      ]);
      const avoid = namesToAvoid(
        readText(before, 'sAMAccountName') ?? '',
        readText(before, 'displayName'),
      );
      const encoded = encodeUnicodePwd(this.generatePassword(avoid));
      try {
        await client.modify(
          dn,
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'unicodePwd', values: [encoded] }),
          }),
        );
      } finally {
        encoded.fill(0);
      }
      const after = await this.readUser(client, dn, ['pwdLastSet']);
      if (readText(after, 'pwdLastSet') === readText(before, 'pwdLastSet')) {
        throw new DirectoryError(
          'rejected',
          `the password of ${dn} did not change (pwdLastSet unchanged)`,
          {
            code: 'not_verified',
          },
        );
      }
    });
  }

  private assertPasswordWritesAreSafe(): void {
    if (this.config.transport === 'plain') {
      throw new DirectoryError(
        'misconfigured',
        'refusing to reset a password over an unencrypted LDAP connection (ldap:// without StartTLS): ' +
          'the new password would cross the network in clear text, and Active Directory refuses it anyway',
        { code: 'unencrypted_connection', advice: ENCRYPTION_ADVICE },
      );
    }
    if (debuglog('ldapts').enabled) {
      throw new DirectoryError(
        'misconfigured',
        'refusing to reset a password while NODE_DEBUG includes "ldapts": its debug log prints every request, the new password included',
        { code: 'debug_logging', advice: 'Remove ldapts from NODE_DEBUG.' },
      );
    }
  }

  /** The user object at `dn`, read as the service account; anything else at `dn` is refused. */
  private async readUser(client: LdapClient, dn: string, attributes: string[]): Promise<Entry> {
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      filter: new AndFilter({ filters: userObjectFilter() }),
      attributes,
    });
    const entry = searchEntries[0];
    if (!entry) {
      throw new DirectoryError('rejected', `${dn} is not a user account`, { code: 'not_a_user' });
    }
    return entry;
  }

  private async session<T>(
    operation: LdapOperation,
    work: (client: LdapClient) => Promise<T>,
  ): Promise<T> {
    try {
      return await withLdapSession(this.config, this.createClient, work);
    } catch (error) {
      throw toDirectoryError(error, operation);
    }
  }
}

function userAccountControlChange(operation: 'add' | 'delete', value: number): Change {
  return new Change({
    operation,
    modification: new Attribute({ type: 'userAccountControl', values: [String(value)] }),
  });
}

/** The directory matched on objectSid; make sure the entry really carries that SID. */
function assertSameSid(entry: Entry, ref: OnPremAccountRef): void {
  const wanted = ref.securityIdentifier?.trim();
  if (!wanted) return;
  const binary = readBinary(entry, 'objectSid');
  const found = binary ? sidFromBuffer(binary) : undefined;
  if (!found || !sidToBuffer(wanted)?.equals(sidToBuffer(found) ?? Buffer.alloc(0))) {
    throw new DirectoryError(
      'rejected',
      `${entry.dn} was returned for ${wanted} but has SID ${found ?? 'none'}`,
      {
        code: 'sid_mismatch',
      },
    );
  }
}
