// OktaDirectory through Okta's official Management SDK (@okta/okta-sdk-nodejs), authenticated as
// an OAuth 2.0 service app with a private key (client credentials + private_key_jwt), so no
// long-lived SSWS API token exists to leak. Tests point the SDK at an HTTPS stand-in through its
// own orgUrl option; nothing here knows the difference.
import { Client, type Collection, type User } from '@okta/okta-sdk-nodejs';
import { DirectoryError } from '../../core/errors';
import type { OktaAccount, OktaDirectory } from '../../core/saas/okta-port';
import { makeRedactor } from '../graph/redact';
import type { OktaSettings } from './okta-config';
import { toOktaDirectoryError, type OktaErrorContext } from './okta-errors';
import { NoRetryRequestExecutor } from './okta-request-executor';
import { OKTA_SCOPES, type OktaOperation } from './okta-scopes';

export interface OktaDirectoryOptions {
  /** Per HTTP request; a slower answer fails as transient. Default 30 s. */
  timeoutMs?: number;
  /** Users per page of a search (Okta's `limit`, at most 200). Default 200. */
  pageSize?: number;
  /** For the fallback wait when a 429 carries no Date header. */
  now?: () => number;
}

/** Items (and empty pages) read in one search before giving up. */
const MAX_SEARCH_STEPS = 1_000;

type OktaUser = Pick<User, 'id' | 'profile' | 'status'>;

export class OktaSdkDirectory implements OktaDirectory {
  private readonly client: Client;
  private readonly ctx: OktaErrorContext;
  private readonly pageSize: number;

  constructor(settings: OktaSettings, options: OktaDirectoryOptions = {}) {
    this.pageSize = Math.min(200, Math.max(1, options.pageSize ?? 200));
    this.client = new Client({
      orgUrl: settings.orgUrl,
      authorizationMode: 'PrivateKey',
      clientId: settings.clientId,
      scopes: [...OKTA_SCOPES],
      privateKey: settings.privateKey.reveal(),
      keyId: settings.keyId,
      requestExecutor: new NoRetryRequestExecutor(options.timeoutMs ?? 30_000),
      // The SDK caches GETs by default; a read-back after a suspend must see Okta, not the cache.
      cacheMiddleware: null,
    });
    const keyFragments = settings.privateKey.fragments();
    this.ctx = {
      clientId: settings.clientId,
      keyId: settings.keyId,
      // Built per use: the access token changes when the SDK fetches a new one.
      redact: (text) =>
        makeRedactor([...keyFragments, this.client.oauth?.accessToken?.access_token])(text),
      now: options.now ?? Date.now,
    };
  }

  async findUser(loginOrEmail: string): Promise<OktaAccount | undefined> {
    const wanted = loginOrEmail.trim();
    if (wanted === '') return undefined;
    if ([...wanted].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
      throw new DirectoryError(
        'rejected',
        'An Okta login or e-mail cannot hold control characters.',
        {
          code: 'invalid_lookup',
        },
      );
    }
    // `search`, not `filter`: Okta documents search values as case-insensitive and filter values
    // as case-sensitive, and logins and e-mails are matched regardless of case. Search also
    // returns DEPROVISIONED users, so an account already deactivated is shown as such, not missed.
    const value = searchString(wanted);
    const users = await this.call('find the user', async () =>
      readAll(
        await this.client.userApi.listUsers({
          search: `profile.login eq ${value} or profile.email eq ${value}`,
          limit: this.pageSize,
        }),
      ),
    );
    const lower = wanted.toLowerCase();
    const accounts = users.map((u) => this.toAccount(u));
    const byLogin = accounts.filter((a) => a.login.toLowerCase() === lower);
    const matches =
      byLogin.length > 0 ? byLogin : accounts.filter((a) => a.email?.toLowerCase() === lower);
    if (matches.length > 1) {
      const names = matches.map((a) => `${a.login} (${a.status})`).join(', ');
      throw new DirectoryError(
        'rejected',
        `${matches.length} Okta accounts match ${wanted}: ${names}. Name the account by its exact login.`,
        { code: 'ambiguous' },
      );
    }
    return matches[0];
  }

  async getUser(id: string): Promise<OktaAccount | undefined> {
    try {
      const user = await this.call('read the user', () =>
        this.client.userApi.getUser({ userId: id }),
      );
      return this.toAccount(user);
    } catch (error) {
      if (error instanceof DirectoryError && error.kind === 'not_found') return undefined;
      throw error;
    }
  }

  async suspendUser(id: string): Promise<void> {
    await this.transition('suspend the user', id, 'SUSPENDED', () =>
      this.client.userApi.suspendUser({ userId: id }),
    );
  }

  async unsuspendUser(id: string): Promise<void> {
    await this.transition('unsuspend the user', id, 'ACTIVE', () =>
      this.client.userApi.unsuspendUser({ userId: id }),
    );
  }

  async deactivateUser(id: string): Promise<void> {
    // Synchronous deactivation (no Prefer: respond-async), so the read-back sees DEPROVISIONED.
    await this.transition('deactivate the user', id, 'DEPROVISIONED', () =>
      this.client.userApi.deactivateUser({ userId: id, sendEmail: false }),
    );
  }

  async clearSessions(id: string): Promise<void> {
    await this.call('clear the user sessions', () =>
      this.client.userApi.revokeUserSessions({ userId: id, oauthTokens: true }),
    );
  }

  async grantedScopes(): Promise<string[]> {
    const token = await this.call('get an access token', () => this.client.oauth.getAccessToken());
    return typeof token.scope === 'string' ? token.scope.split(/\s+/).filter(Boolean) : [];
  }

  /**
   * A lifecycle operation is not idempotent in Okta (suspending a SUSPENDED user is a 400
   * E0000001), but Revoke's steps must be: when Okta refuses, read the user, and if it is already
   * where the step wanted it, that is success.
   */
  private async transition(
    op: OktaOperation,
    id: string,
    target: string,
    act: () => Promise<void>,
  ): Promise<void> {
    try {
      await this.call(op, act);
    } catch (error) {
      if (error instanceof DirectoryError && error.kind === 'rejected') {
        const now = await this.getUser(id);
        if (now?.status === target) return;
      }
      throw error;
    }
  }

  private async call<T>(op: OktaOperation, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toOktaDirectoryError(error, op, this.ctx);
    }
  }

  private toAccount(user: OktaUser): OktaAccount {
    const login = user.profile?.login;
    if (
      typeof user.id !== 'string' ||
      typeof login !== 'string' ||
      typeof user.status !== 'string'
    ) {
      // "No such account" or "already suspended" must rest on an answer Revoke could read.
      throw new DirectoryError(
        'transient',
        'Okta answered with a user that has no id, login or status.',
        { code: 'InvalidResponse' },
      );
    }
    const name =
      user.profile?.displayName ??
      [user.profile?.firstName, user.profile?.lastName].filter(Boolean).join(' ');
    return {
      id: user.id,
      login,
      ...(user.profile?.email ? { email: user.profile.email } : {}),
      ...(name ? { displayName: name } : {}),
      status: user.status,
    };
  }
}

/** A string literal in an Okta search expression: double-quoted, with \ and " escaped. */
export function searchString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Every item of every page; the SDK follows Okta's Link rel="next" headers. */
async function readAll<T>(collection: Collection<T>): Promise<T[]> {
  const items: T[] = [];
  // Empty pages with a next link would loop forever; a login or e-mail never matches this many.
  for (let steps = 0; steps < MAX_SEARCH_STEPS; steps++) {
    const { done, value } = await collection.next();
    if (done) return items;
    if (value !== null) items.push(value);
  }
  throw new DirectoryError(
    'rejected',
    'The Okta user search matched too many accounts to be exact.',
    {
      code: 'ambiguous',
    },
  );
}
