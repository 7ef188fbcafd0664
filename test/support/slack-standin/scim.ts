// Slack's SCIM 1.1 endpoints Revoke uses (https://docs.slack.dev/reference/scim-api/scim-api-1.1):
// bearer-token auth with the `admin` scope, `GET /Users` with an `email eq "…"` filter and
// startIndex/count paging, `GET` and `PATCH /Users/{id}` (attributes, not a PatchOp), and the
// `{"Errors": {"description", "code"}}` error body.
import type { SlackOrg, StandinSlackUser } from './slack-org';

const SCHEMA = 'urn:scim:schemas:core:1.0';

export interface ScimAnswer {
  status: number;
  body: unknown;
}

export function answerScim(
  org: SlackOrg,
  method: string,
  path: string,
  query: URLSearchParams,
  bearer: string | undefined,
  body: string,
  extra: readonly StandinSlackUser[] = [],
): ScimAnswer {
  const token = bearer ? org.tokens.get(bearer) : undefined;
  if (!token) return error(401, 'invalid_authentication');
  if (!token.scopes.includes('admin')) return error(403, 'missing_scope: admin');
  if (method === 'GET' && path === '/ServiceProviderConfigs')
    return { status: 200, body: { schemas: [SCHEMA], patch: { supported: true } } };
  if (method === 'GET' && path === '/Users') return search(org, query, extra);
  const one = /^\/Users\/([^/]+)$/.exec(path);
  if (!one) return error(404, 'no_such_endpoint');
  const user = org.users.get(decodeURIComponent(one[1] ?? ''));
  if (!user) return error(404, 'User not found');
  if (method === 'GET') return { status: 200, body: resource(user) };
  if (method === 'PATCH') return patch(org, user, body);
  return error(405, 'method_not_allowed');
}

function search(
  org: SlackOrg,
  query: URLSearchParams,
  extra: readonly StandinSlackUser[],
): ScimAnswer {
  const filter = query.get('filter') ?? '';
  const match = /^email eq "((?:[^"\\]|\\.)*)"$/i.exec(filter);
  if (!match) return error(400, `unsupported filter: ${filter}`);
  const wanted = (JSON.parse(`"${match[1] ?? ''}"`) as string).toLowerCase();
  // Slack matches an address loosely (any of the user's addresses, ignoring case).
  const all = [
    ...[...org.users.values()].filter((u) => u.emails.some((e) => e.toLowerCase() === wanted)),
    ...extra,
  ];
  const startIndex = Math.max(Number(query.get('startIndex') ?? 1) || 1, 1);
  const count = Math.min(Math.max(Number(query.get('count') ?? 100) || 100, 1), 1000);
  const page = all.slice(startIndex - 1, startIndex - 1 + count);
  return {
    status: 200,
    body: {
      schemas: [SCHEMA],
      totalResults: all.length,
      itemsPerPage: page.length,
      startIndex,
      Resources: page.map(resource),
    },
  };
}

function patch(org: SlackOrg, user: StandinSlackUser, text: string): ScimAnswer {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return error(400, 'invalid_json');
  }
  if (!Array.isArray(json['schemas']) || !json['schemas'].includes(SCHEMA))
    return error(400, 'missing schemas');
  if (typeof json['active'] !== 'boolean') return error(400, 'active must be a boolean');
  user.active = json['active'];
  // A deactivated member is signed out of every device.
  if (!user.active) org.sessions = org.sessions.filter((s) => s.user_id !== user.id);
  return { status: 200, body: resource(user) };
}

function resource(user: StandinSlackUser): Record<string, unknown> {
  return {
    schemas: [SCHEMA],
    id: user.id,
    userName: user.userName,
    active: user.active,
    emails: user.emails.map((value, i) => ({ value, primary: i === 0 })),
  };
}

function error(status: number, description: string): ScimAnswer {
  return { status, body: { Errors: { description, code: status } } };
}
