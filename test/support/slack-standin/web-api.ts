// The Web API methods Revoke calls, as https://docs.slack.dev/reference/methods documents them:
// POST with a form or JSON body, the token as a bearer header (or a `token` field), HTTP 200 with
// `ok:false` and an error code for every refusal (`missing_scope` with `needed` and `provided`),
// cursor paging through `response_metadata.next_cursor`, and the token's scopes in the
// x-oauth-scopes header of every answer.
import { ENTERPRISE_ID, type SlackOrg, type StandinToken } from './slack-org';

export interface WebAnswer {
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** The scope each method needs (as each method's reference page lists it). */
export const METHOD_SCOPES: Record<string, string | undefined> = {
  'auth.test': undefined,
  'users.info': 'users:read',
  'admin.users.session.list': 'admin.users:read',
  'admin.users.session.reset': 'admin.users:write',
};

export function answerWebApi(
  org: SlackOrg,
  method: string,
  args: Record<string, string>,
  bearer: string | undefined,
): WebAnswer {
  const tokenValue = bearer ?? args['token'];
  if (!tokenValue) return plain({ ok: false, error: 'not_authed' });
  const token = org.tokens.get(tokenValue);
  if (!token) return plain({ ok: false, error: 'invalid_auth' });
  const headers: Record<string, string> = { 'x-oauth-scopes': token.scopes.join(',') };
  if (!(method in METHOD_SCOPES)) return { body: { ok: false, error: 'unknown_method' }, headers };
  const needed = METHOD_SCOPES[method];
  if (needed !== undefined) headers['x-accepted-oauth-scopes'] = needed;
  if (needed !== undefined && !token.scopes.includes(needed))
    return {
      body: { ok: false, error: 'missing_scope', needed, provided: token.scopes.join(',') },
      headers,
    };
  return { body: run(org, token, method, args), headers };
}

function run(
  org: SlackOrg,
  token: StandinToken,
  method: string,
  args: Record<string, string>,
): Record<string, unknown> {
  switch (method) {
    case 'auth.test':
      return {
        ok: true,
        url: 'https://contoso.enterprise.slack.test/',
        team: 'Contoso',
        user: 'revoke-admin',
        team_id: ENTERPRISE_ID,
        user_id: token.user,
        enterprise_id: ENTERPRISE_ID,
        is_enterprise_install: token.orgInstall,
      };
    case 'users.info':
      return usersInfo(org, args);
    case 'admin.users.session.list':
      return sessionList(org, args);
    case 'admin.users.session.reset':
      return sessionReset(org, args);
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

function usersInfo(org: SlackOrg, args: Record<string, string>): Record<string, unknown> {
  const user = org.users.get(args['user'] ?? '');
  if (!user) return { ok: false, error: 'user_not_found' };
  return {
    ok: true,
    user: {
      id: user.id,
      name: user.userName,
      deleted: !user.active,
      team_id: user.teams[0],
      profile: { email: user.emails[0] },
      enterprise_user: { id: user.id, enterprise_id: ENTERPRISE_ID, teams: [...user.teams] },
    },
  };
}

function sessionList(org: SlackOrg, args: Record<string, string>): Record<string, unknown> {
  const team = args['team_id'];
  const user = args['user_id'];
  // "team_id and user_id must be used together" (admin.users.session.list).
  if ((team === undefined) !== (user === undefined))
    return { ok: false, error: 'invalid_arguments' };
  const limit = Math.min(Math.max(Number(args['limit'] ?? 1000) || 1000, 1), 1000);
  const start = args['cursor'] ? Number(Buffer.from(args['cursor'], 'base64').toString()) : 0;
  if (Number.isNaN(start)) return { ok: false, error: 'invalid_cursor' };
  const all = org.sessions.filter(
    (s) => team === undefined || (s.team_id === team && s.user_id === user),
  );
  const page = all.slice(start, start + limit);
  const next =
    start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64') : '';
  return {
    ok: true,
    active_sessions: page.map((s) => ({
      user_id: s.user_id,
      team_id: s.team_id,
      session_id: s.session_id,
      created: { device_hardware: s.client === 'web' ? 'Browser' : 'iPhone', os: 'test' },
    })),
    response_metadata: { next_cursor: next },
  };
}

function sessionReset(org: SlackOrg, args: Record<string, string>): Record<string, unknown> {
  const user = org.users.get(args['user_id'] ?? '');
  if (!user) return { ok: false, error: 'user_not_found' };
  const mobileOnly = args['mobile_only'] === 'true';
  const webOnly = args['web_only'] === 'true';
  org.sessions = org.sessions.filter(
    (s) =>
      s.user_id !== user.id ||
      (mobileOnly && s.client !== 'mobile') ||
      (webOnly && s.client !== 'web'),
  );
  return { ok: true };
}

function plain(body: Record<string, unknown>): WebAnswer {
  return { body, headers: {} };
}
