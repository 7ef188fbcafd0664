// `revoke doctor` for the GitHub connector, read-only: the token is accepted, the organisation (or
// the enterprise's SCIM API) answers, the token may read members and invitations, its owner is an
// organisation owner (only owners may remove members), and the SAML identities that map a person
// to a login can be read. Nothing is changed; no token is printed.
import { DirectoryError, describeError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import { createOctokit, githubError, type GithubSettings } from '../../directory/github';
import type { Octokit } from '../../directory/github/octokit-client';
import { fail, ok, warn, type CheckResult } from '../check-result';

const NAME = 'GitHub';

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

export async function checkGithubAccess(settings: GithubSettings): Promise<CheckResult[]> {
  let octokit: Octokit;
  try {
    octokit = await createOctokit(settings, silent);
  } catch (error) {
    return [
      fail(
        NAME,
        `the GitHub SDK could not be loaded (${describeError(error)})`,
        'Reinstall Revoke (npm ci).',
      ),
    ];
  }
  return settings.mode === 'emu'
    ? checkEnterprise(octokit, settings)
    : checkOrganisation(octokit, settings);
}

async function checkOrganisation(
  octokit: Octokit,
  settings: GithubSettings,
): Promise<CheckResult[]> {
  const org = settings.org ?? '';
  const results: CheckResult[] = [];
  const attempt = async <T>(
    name: string,
    action: string,
    permission: string,
    run: () => Promise<T>,
  ): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      const mapped = githubError(error, { action, permission, tokenEnv: settings.tokenEnv });
      results.push(failure(name, mapped));
      return undefined;
    }
  };

  const found = await attempt(
    `${NAME} organisation`,
    `read the organisation ${org}`,
    'access to the organisation',
    () => octokit.rest.orgs.get({ org }),
  );
  if (!found) return results;
  results.push(
    ok(`${NAME} organisation`, `the token is accepted and ${org} answers (${settings.apiUrl})`),
  );
  // A classic token lists its scopes; a fine-grained token or an app's does not.
  const scopes = found.headers['x-oauth-scopes'];
  if (
    typeof scopes === 'string' &&
    !scopes
      .split(',')
      .map((s) => s.trim())
      .includes('admin:org')
  )
    results.push(
      fail(
        `${NAME} token scopes`,
        `the classic token has the scopes "${scopes}", without admin:org`,
        `Give the token in ${settings.tokenEnv} the admin:org scope, or use a fine-grained token with "Members: Read and write".`,
      ),
    );

  const invitations = await attempt(
    `${NAME} members`,
    `list ${org}'s pending invitations`,
    'the organisation permission "Members: Read and write"',
    () => octokit.rest.orgs.listPendingInvitations({ org, per_page: 1 }),
  );
  if (invitations)
    results.push(ok(`${NAME} members`, `the token may read ${org}'s members and invitations`));

  const me = await attempt(`${NAME} owner`, 'read the token owner', 'a token of a user', () =>
    octokit.rest.users.getAuthenticated(),
  );
  if (me) {
    const role = await attempt(
      `${NAME} owner`,
      `read ${me.data.login}'s role in ${org}`,
      'the organisation permission "Members: Read"',
      () => octokit.rest.orgs.getMembershipForUser({ org, username: me.data.login }),
    );
    if (role)
      results.push(
        role.data.role === 'admin'
          ? ok(
              `${NAME} owner`,
              `the token's owner ${me.data.login} is an owner of ${org}, so it may remove members`,
            )
          : fail(
              `${NAME} owner`,
              `the token's owner ${me.data.login} is not an owner of ${org}`,
              `Only organisation owners may remove members: use an owner's token in ${settings.tokenEnv}.`,
            ),
      );
  }

  const saml = await attempt(
    `${NAME} SAML identities`,
    `read ${org}'s SAML identities`,
    "an organisation owner's token that may read the organisation's SAML identities (classic token: admin:org)",
    () =>
      octokit.graphql<{ organization: { samlIdentityProvider: unknown } | null }>(
        `query RevokeDoctor($org: String!) { organization(login: $org) { samlIdentityProvider { externalIdentities(first: 1) { totalCount } } } }`,
        { org },
      ),
  );
  if (saml)
    results.push(
      saml.organization?.samlIdentityProvider
        ? ok(
            `${NAME} SAML identities`,
            `${org}'s SAML identities can be read: a person maps to their login exactly`,
          )
        : warn(
            `${NAME} SAML identities`,
            `${org} has no SAML single sign-on of its own, so Revoke can map nobody to a GitHub login and plans nothing there`,
            `Enable SAML single sign-on for ${org} (or use GITHUB_MODE=emu for Enterprise Managed Users).`,
          ),
    );
  return results;
}

async function checkEnterprise(octokit: Octokit, settings: GithubSettings): Promise<CheckResult[]> {
  const enterprise = settings.enterprise ?? '';
  try {
    await octokit.request('GET /scim/v2/enterprises/{enterprise}/Users', {
      enterprise,
      count: 1,
      headers: { accept: 'application/scim+json' },
    });
    return [
      ok(
        `${NAME} SCIM`,
        `the token may read ${enterprise}'s managed users through SCIM (${settings.apiUrl})`,
      ),
    ];
  } catch (error) {
    const mapped = githubError(error, {
      action: `read ${enterprise}'s managed users`,
      permission: "the scope scim:enterprise (a classic token of the enterprise's setup user)",
      tokenEnv: settings.tokenEnv,
    });
    return [failure(`${NAME} SCIM`, mapped)];
  }
}

function failure(name: string, error: DirectoryError): CheckResult {
  const fix =
    error.advice ??
    (error.kind === 'not_found'
      ? 'Check GITHUB_ORG / GITHUB_ENTERPRISE and GITHUB_ADMIN_API_URL: GitHub hides what the token may not see.'
      : 'Check GITHUB_ADMIN_API_URL and that GitHub is reachable from this host.');
  return fail(name, error.message, fix);
}
