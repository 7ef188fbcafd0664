// `revoke doctor` for Slack: read-only. auth.test (which needs no scope) proves each token works
// and, through the x-oauth-scopes header Slack adds to every answer, which scopes it carries
// (https://docs.slack.dev/authentication/tokens); GET /ServiceProviderConfigs proves the SCIM
// token and URL. Nothing is changed and no user is read.
import { DirectoryError } from '../../core/errors';
import { fail, ok, warn, type CheckResult } from '../../doctor/check-result';
import { webApiError } from './slack-errors';
import { SlackScimClient } from './slack-scim';
import { SLACK_SCOPES, type SlackSettings } from './slack-settings';
import { createSlackWebClient } from './slack-web-client';

const WEB_SCOPES = [
  SLACK_SCOPES['admin.users.session.reset'],
  SLACK_SCOPES['admin.users.session.list'],
  SLACK_SCOPES['users.info'],
];

interface TokenFacts {
  scopes: string[];
  orgInstall: boolean;
  who: string;
}

export async function checkSlack(settings: SlackSettings): Promise<CheckResult[]> {
  const sameToken = settings.scimToken === settings.orgToken;
  const needed = sameToken ? [...WEB_SCOPES, SLACK_SCOPES.scim] : WEB_SCOPES;
  const results = [
    await checkToken('Slack org token', 'SLACK_ORG_TOKEN', settings.orgToken, needed, settings),
  ];
  if (!sameToken)
    results.push(
      await checkToken(
        'Slack SCIM token',
        'SLACK_SCIM_TOKEN',
        settings.scimToken,
        [SLACK_SCOPES.scim],
        settings,
      ),
    );
  results.push(await checkScim(settings));
  return results;
}

async function checkToken(
  name: string,
  variable: string,
  token: string,
  needed: readonly string[],
  settings: SlackSettings,
): Promise<CheckResult> {
  let facts: TokenFacts;
  try {
    facts = await tokenFacts(token, settings);
  } catch (error) {
    const failure = webApiError('auth.test', error);
    return fail(name, failure.message, failure.advice ?? `Check ${variable} and SLACK_API_URL.`);
  }
  const missing = needed.filter((scope) => !facts.scopes.includes(scope));
  if (missing.length > 0)
    return fail(
      name,
      `${facts.who}: the token lacks ${missing.join(', ')} (it has ${facts.scopes.join(', ') || 'no scopes'}).`,
      `Add ${missing.join(', ')} to the Slack app's user token scopes, have an Org Owner reinstall it on the org, and set ${variable} to the new token.`,
    );
  if (!facts.orgInstall)
    return warn(
      name,
      `${facts.who}: the token is not from an org-level install, so admin.* calls may be refused.`,
      'Install the app on the Enterprise Grid org (an Org Owner), not on one workspace.',
    );
  return ok(name, `${facts.who}, org-level install, scopes ${needed.join(', ')}.`);
}

async function tokenFacts(token: string, settings: SlackSettings): Promise<TokenFacts> {
  const client = createSlackWebClient(token, settings.apiUrl, undefined, settings.timeoutMs);
  const answer = await client.auth.test();
  return {
    scopes: answer.response_metadata?.scopes ?? [],
    orgInstall: answer.is_enterprise_install === true,
    who: `user ${answer.user ?? answer.user_id ?? 'unknown'} of ${answer.enterprise_id ?? answer.team ?? 'an unknown org'}`,
  };
}

async function checkScim(settings: SlackSettings): Promise<CheckResult> {
  try {
    await new SlackScimClient(settings).serviceProviderConfig();
    return ok('Slack SCIM', `${settings.scimUrl} answers with ${settings.scimTokenEnv}.`);
  } catch (error) {
    if (error instanceof DirectoryError)
      return fail(
        'Slack SCIM',
        error.message,
        error.advice ?? `Check SLACK_SCIM_URL and ${settings.scimTokenEnv}.`,
      );
    throw error;
  }
}
