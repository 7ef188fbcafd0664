// Google Workspace through the Admin SDK Directory API v1 (@googleapis/admin), as a service
// account acting for an administrator (domain-wide delegation). Every call is one HTTP request:
// the SDK's own retries are off, and its failures become DirectoryErrors for Revoke's retry layer.
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import type { JWT } from 'google-auth-library';
import { DirectoryError } from '../../core/errors';
import {
  AMBIGUOUS_GOOGLE_USER,
  type GoogleWorkspaceDirectory,
  type GoogleWorkspaceUser,
} from '../../core/saas/google-workspace-port';
import {
  createGoogleCredential,
  GOOGLE_SCOPES,
  REQUEST_TIMEOUT_MS,
  SECURITY_SCOPE,
  USER_SCOPE,
} from './google-auth';
import { fromApiError, fromTokenError, type GoogleOperation } from './google-errors';
import type { ServiceAccountKey } from './service-account-key';

export const GOOGLE_ADMIN_API_URL = 'https://admin.googleapis.com';

export interface GoogleWorkspaceSettings {
  key: ServiceAccountKey;
  /** The administrator the service account acts for (GOOGLE_ADMIN_SUBJECT). */
  subject: string;
  /** The Admin SDK's root URL, without a trailing slash. */
  apiRootUrl: string;
  /** The variables, named in advice: never their values. */
  keyEnv: string;
  subjectEnv: string;
}

const OPS = {
  findUser: { action: 'search users by address (users.list)', scope: USER_SCOPE },
  getUser: { action: 'read a user (users.get)', scope: USER_SCOPE },
  signOut: { action: 'sign a user out (users.signOut)', scope: SECURITY_SCOPE },
  update: { action: 'suspend or un-suspend a user (users.update)', scope: USER_SCOPE },
} satisfies Record<string, GoogleOperation>;

/** users.list pages followed at most: an exact address never matches more than a few users. */
const MAX_PAGES = 10;

/** A value in a users.list query: single-quoted, with \ and ' escaped by a backslash. */
export function queryValue(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export class GoogleWorkspaceAdapter implements GoogleWorkspaceDirectory {
  private readonly credential: JWT;
  private readonly api: admin_directory_v1.Admin;

  constructor(private readonly settings: GoogleWorkspaceSettings) {
    this.credential = createGoogleCredential(settings.key, settings.subject);
    this.api = admin({
      version: 'directory_v1',
      auth: this.credential,
      rootUrl: `${settings.apiRootUrl}/`,
      // Revoke's retry layer honours Retry-After; the SDK would otherwise retry 429s and 5xx itself.
      retry: false,
      timeout: REQUEST_TIMEOUT_MS,
    });
  }

  async findUser(addresses: readonly string[]): Promise<GoogleWorkspaceUser | undefined> {
    const found = new Map<string, GoogleWorkspaceUser>();
    for (const address of addresses) {
      for (const user of await this.search(address)) found.set(user.id, user);
    }
    const users = [...found.values()];
    if (users.length > 1)
      throw new DirectoryError(
        'rejected',
        `${users.length} Google Workspace accounts have the addresses ${addresses.join(', ')} (${users.map((u) => u.primaryEmail).join(', ')}); Revoke will not guess which one is meant.`,
        {
          code: AMBIGUOUS_GOOGLE_USER,
          advice:
            'Suspend the right account in the Google Admin console, or make the UPN and mail of the user name one Google account.',
        },
      );
    return users[0];
  }

  /**
   * users.list with `email=`: exact, on primary addresses and aliases (the Directory API's search
   * guide). Google's answer is checked again here: only an exact match (case aside) counts.
   */
  private async search(address: string): Promise<GoogleWorkspaceUser[]> {
    const wanted = address.toLowerCase();
    const matches: GoogleWorkspaceUser[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await this.call(OPS.findUser, () =>
        this.api.users.list({
          customer: 'my_customer',
          query: `email=${queryValue(address)}`,
          projection: 'basic',
          ...(pageToken === undefined ? {} : { pageToken }),
        }),
      );
      for (const user of response.data.users ?? []) {
        const own = [
          user.primaryEmail,
          ...(user.aliases ?? []),
          ...(user.nonEditableAliases ?? []),
        ];
        const mapped = toUser(user);
        if (mapped && own.some((a) => a?.toLowerCase() === wanted)) matches.push(mapped);
      }
      pageToken = response.data.nextPageToken ?? undefined;
      if (!pageToken) return matches;
    }
    throw new DirectoryError(
      'rejected',
      `Google Workspace kept paging the search for ${address} (over ${MAX_PAGES} pages); Revoke will not guess.`,
      { code: AMBIGUOUS_GOOGLE_USER },
    );
  }

  async getUser(id: string): Promise<GoogleWorkspaceUser | undefined> {
    try {
      const response = await this.call(OPS.getUser, () =>
        this.api.users.get({ userKey: id, projection: 'basic' }),
      );
      const user = toUser(response.data);
      if (!user)
        throw new DirectoryError(
          'transient',
          'Google Workspace answered users.get with no user id, primary email or suspended state.',
          { code: 'InvalidResponse' },
        );
      return user;
    } catch (error) {
      if (error instanceof DirectoryError && error.kind === 'not_found') return undefined;
      throw error;
    }
  }

  async signOut(id: string): Promise<void> {
    await this.call(OPS.signOut, () => this.api.users.signOut({ userKey: id }));
  }

  async setSuspended(id: string, suspended: boolean): Promise<void> {
    await this.call(OPS.update, () =>
      this.api.users.update({ userKey: id, requestBody: { suspended } }),
    );
  }

  /** The doctor's first check: a token for both scopes, which domain-wide delegation must allow. */
  async checkToken(): Promise<void> {
    await this.token();
  }

  /** Obtains (or reuses) the access token apart from the call, so its failures say what they are. */
  private async token(): Promise<void> {
    try {
      await this.credential.getAccessToken();
    } catch (error) {
      throw fromTokenError(error, {
        clientId: this.settings.key.clientId,
        keyEnv: this.settings.keyEnv,
        subjectEnv: this.settings.subjectEnv,
        scopes: GOOGLE_SCOPES,
      });
    }
  }

  private async call<T>(op: GoogleOperation, request: () => Promise<T>): Promise<T> {
    await this.token();
    try {
      return await request();
    } catch (error) {
      throw fromApiError(op, error, {
        clientId: this.settings.key.clientId,
        subjectEnv: this.settings.subjectEnv,
      });
    }
  }
}

function toUser(user: admin_directory_v1.Schema$User): GoogleWorkspaceUser | undefined {
  if (!user.id || !user.primaryEmail || typeof user.suspended !== 'boolean') return undefined;
  return { id: user.id, primaryEmail: user.primaryEmail, suspended: user.suspended };
}
