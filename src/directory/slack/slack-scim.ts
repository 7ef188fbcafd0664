// Slack's SCIM 1.1 API (https://docs.slack.dev/reference/scim-api/scim-api-1.1): the org-level
// directory of users on Enterprise Grid. @slack/web-api covers the Web API only and Slack ships no
// SCIM SDK, so this is plain HTTPS with the bearer token; only https:// base URLs are accepted
// (the connector's set-up checks it) and redirects are refused, so the token never leaves for
// another host.
import { DirectoryError } from '../../core/errors';
import type { SlackAccount } from '../../core/saas/slack-port';
import { scimError, scimUnreachable } from './slack-errors';
import type { SlackSettings } from './slack-settings';

const SCIM_V1 = 'urn:scim:schemas:core:1.0';
/** A search by e-mail names one person; a few pages cover any honest duplicate. */
const PAGE_SIZE = 100;
const MAX_PAGES = 10;

/** A SCIM user with every e-mail address it holds. */
export interface ScimSlackUser {
  id: string;
  userName: string;
  active: boolean;
  emails: string[];
}

/** A string literal in a SCIM filter is a JSON string: escape \ and ". */
function filterString(value: string): string {
  return JSON.stringify(value);
}

export class SlackScimClient {
  constructor(private readonly settings: SlackSettings) {}

  /** Every user one of whose addresses Slack matches to `email` (the caller insists on exactness). */
  async searchByEmail(email: string): Promise<ScimSlackUser[]> {
    const filter = `email eq ${filterString(email)}`;
    const users: ScimSlackUser[] = [];
    for (let page = 0, startIndex = 1; page < MAX_PAGES; page++) {
      const query = `filter=${encodeURIComponent(filter)}&startIndex=${startIndex}&count=${PAGE_SIZE}`;
      const json = await this.send('user search', 'GET', `/Users?${query}`);
      if (json === undefined) throw this.notScim('HTTP 404 on /Users');
      const resources = json['Resources'] ?? (json['totalResults'] === 0 ? [] : undefined);
      if (!Array.isArray(resources)) throw this.notScim('no SCIM list in the answer');
      // A resource that cannot be read cannot be ruled out as the person: fail, never "no account".
      users.push(...resources.map((r) => toScimUser(r) ?? this.invalid('a user in the search')));
      const total = typeof json['totalResults'] === 'number' ? json['totalResults'] : users.length;
      if (resources.length === 0 || users.length >= total) return users;
      startIndex += resources.length;
    }
    throw new DirectoryError(
      'rejected',
      `Slack SCIM matched more than ${PAGE_SIZE * MAX_PAGES} users to one e-mail address.`,
      { code: 'TooManyMatches' },
    );
  }

  /** Undefined only on 404 (no such user). */
  async getUser(id: string): Promise<ScimSlackUser | undefined> {
    const json = await this.send('user read', 'GET', `/Users/${encodeURIComponent(id)}`);
    if (json === undefined) return undefined;
    return toScimUser(json) ?? this.invalid('the user it was asked for');
  }

  /** PATCH active (SCIM 1.1 sends the attributes themselves, not a PatchOp). */
  async setActive(id: string, active: boolean): Promise<void> {
    const json = await this.send('user update', 'PATCH', `/Users/${encodeURIComponent(id)}`, {
      schemas: [SCIM_V1],
      active,
    });
    if (json === undefined)
      throw new DirectoryError('not_found', `Slack SCIM has no user ${id} to update.`, {
        code: 'HTTP404',
      });
  }

  /** Read-only: the service provider's configuration, which any valid SCIM token may read. */
  async serviceProviderConfig(): Promise<void> {
    const json = await this.send('configuration read', 'GET', '/ServiceProviderConfigs');
    if (json === undefined) throw this.notScim('HTTP 404 on /ServiceProviderConfigs');
  }

  /** The parsed body; undefined on 404. */
  private async send(
    what: string,
    method: 'GET' | 'PATCH',
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown> | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.scimUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.settings.scimToken}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 15_000),
        redirect: 'error',
      });
    } catch (error) {
      throw scimUnreachable(what, error);
    }
    const text = await response.text().catch(() => '');
    const parsed = parseJson(text);
    if (response.status === 404) return undefined;
    if (!response.ok)
      throw scimError(
        what,
        response.status,
        parsed,
        response.headers.get('retry-after'),
        this.settings.scimTokenEnv,
      );
    if (text === '') return {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw this.invalid(`the ${what}`);
    return parsed as Record<string, unknown>;
  }

  private notScim(what: string): DirectoryError {
    return new DirectoryError(
      'misconfigured',
      `Slack SCIM did not answer as a SCIM service provider (${what}).`,
      {
        code: 'NotScimEndpoint',
        advice: `Check SLACK_SCIM_URL (${this.settings.scimUrl}): it must be the SCIM 1.1 root, so that ${this.settings.scimUrl}/Users is the Users endpoint.`,
      },
    );
  }

  private invalid(what: string): never {
    throw new DirectoryError(
      'transient',
      `Slack SCIM answered with something other than a SCIM user for ${what}.`,
      { code: 'InvalidResponse' },
    );
  }
}

/** The answer as a user, or undefined when it is not one Revoke may act on. */
function toScimUser(value: unknown): ScimSlackUser | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const json = value as Record<string, unknown>;
  const { id, userName, active } = json;
  if (typeof id !== 'string' || typeof userName !== 'string') return undefined;
  // Slack always says whether a user is active; anything but a boolean is not an answer.
  if (typeof active !== 'boolean') return undefined;
  const emails = Array.isArray(json['emails']) ? json['emails'] : [];
  return {
    id,
    userName,
    active,
    emails: emails
      .map((e: unknown) =>
        typeof e === 'object' && e !== null ? (e as Record<string, unknown>)['value'] : undefined,
      )
      .filter((v): v is string => typeof v === 'string'),
  };
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** The account as the core sees it, named by the address that matched (or the first one). */
export function toSlackAccount(user: ScimSlackUser, matched?: string): SlackAccount {
  return {
    id: user.id,
    userName: user.userName,
    email: matched ?? user.emails[0] ?? '',
    active: user.active,
  };
}
