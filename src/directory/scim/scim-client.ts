// One SCIM 2.0 service provider (RFC 7643/7644), reached over HTTPS with a bearer token: find a
// user by userName, read it, and set active=false. Only HTTPS is accepted (config.ts checks it),
// so the token never travels in clear; tests use an HTTPS stand-in trusted through the test CA.
import { DirectoryError } from '../../core/errors';
import type { ScimUser } from '../../core/app-ports';
import { scimError, unreachable } from './scim-errors';

export interface ScimAppSettings {
  name: string;
  /** The service provider's base URL, e.g. https://app.example/scim/v2, without a trailing slash. */
  baseUrl: string;
  /** The variable the token was read from: named in advice, never the token itself. */
  tokenEnv: string;
  token: string;
}

const SCIM_JSON = 'application/scim+json';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A string literal in a SCIM filter is a JSON string (RFC 7644 §3.4.2.2): escape \ and ". */
export function scimFilterString(value: string): string {
  return JSON.stringify(value);
}

export class ScimClient {
  constructor(
    private readonly app: ScimAppSettings,
    private readonly timeoutMs = 15_000,
  ) {}

  async findUser(userName: string): Promise<ScimUser | undefined> {
    const filter = `userName eq ${scimFilterString(userName)}`;
    const json = await this.send('GET', `/Users?filter=${encodeURIComponent(filter)}`, {
      collection: true,
    });
    // Only a ListResponse says "no account" (Resources may be left out when totalResults is 0,
    // RFC 7644 §3.4.2). Anything else (a 404, a web page, other JSON) means baseUrl is not a SCIM
    // root, and reading it as "no user" would let the card claim a deprovisioning never checked.
    const resources = json?.['Resources'] ?? (json?.['totalResults'] === 0 ? [] : undefined);
    if (!Array.isArray(resources)) throw notScim(this.app, 'no SCIM ListResponse');
    // A resource without id or userName cannot be ruled out as the user: "no account" must rest on
    // a list the adapter could read whole.
    const users = resources.map(
      (resource) => toScimUser(resource) ?? this.invalid('a user in the search result'),
    );
    // Matching is case-insensitive for userName in most providers; insist on the one asked for.
    return users.find((u) => u.userName.toLowerCase() === userName.toLowerCase());
  }

  /** Undefined only on 404; an answer that is not a SCIM user is an error, never "gone". */
  async getUser(id: string): Promise<ScimUser | undefined> {
    const json = await this.send('GET', `/Users/${encodeURIComponent(id)}`);
    if (json === undefined) return undefined;
    return toScimUser(json) ?? this.invalid('the user it was asked for');
  }

  private invalid(what: string): never {
    throw new DirectoryError(
      'transient',
      `${this.app.name} answered with something other than a SCIM user for ${what} (no id or userName).`,
      { code: 'InvalidResponse' },
    );
  }

  async deactivateUser(id: string): Promise<void> {
    await this.send(
      'PATCH',
      `/Users/${encodeURIComponent(id)}`,
      {},
      {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      },
    );
  }

  /**
   * The parsed body; undefined on 404 for a single resource (the user may have vanished since the
   * search). On the collection a 404 means the base URL is wrong, so it throws instead.
   */
  private async send(
    method: 'GET' | 'PATCH',
    path: string,
    options: { collection?: boolean } = {},
    body?: unknown,
  ): Promise<Record<string, unknown> | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.app.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.app.token}`,
          accept: SCIM_JSON,
          ...(body === undefined ? {} : { 'content-type': SCIM_JSON }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw unreachable(this.app, error);
    }
    const text = await response.text().catch(() => '');
    const parsed = parseJson(text);
    if (response.status === 404) {
      if (options.collection) throw notScim(this.app, `HTTP 404 on ${path.split('?')[0]}`);
      return undefined;
    }
    if (!response.ok)
      throw scimError(this.app, response.status, parsed, response.headers.get('retry-after'));
    // 204 after a PATCH is allowed (RFC 7644 §3.5.2): the read-back is what verifies.
    if (text === '') return {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      if (options.collection) throw notScim(this.app, 'no JSON object');
      throw new DirectoryError('transient', `${this.app.name} answered with no JSON object.`, {
        code: 'InvalidResponse',
      });
    }
    return parsed as Record<string, unknown>;
  }
}

function notScim(app: ScimAppSettings, what: string): DirectoryError {
  return new DirectoryError(
    'misconfigured',
    `${app.name} did not answer the user search as a SCIM service provider (${what}).`,
    {
      code: 'NotScimEndpoint',
      advice: `Check the SCIM base URL configured for ${app.name} (${app.baseUrl}): it must be the SCIM 2.0 root, so that ${app.baseUrl}/Users is the Users endpoint.`,
    },
  );
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function toScimUser(value: unknown): ScimUser | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const json = value as Record<string, unknown>;
  if (typeof json['id'] !== 'string' || typeof json['userName'] !== 'string') return undefined;
  // RFC 7643: active is optional; a provider that omits it has no deactivated state to show.
  const active = json['active'];
  // Anything else (null, a number, "no") is not an answer Revoke may read as "inactive".
  if (
    active !== undefined &&
    active !== true &&
    active !== false &&
    active !== 'true' &&
    active !== 'false'
  )
    return undefined;
  return {
    id: json['id'],
    userName: json['userName'],
    active: active === true || active === 'true' || active === undefined,
  };
}
