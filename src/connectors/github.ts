// The GitHub connector: an organisation whose members use their own GitHub accounts (linked to
// Entra ID through the organisation's SAML single sign-on), or an enterprise of Enterprise Managed
// Users (GITHUB_MODE=emu). Off unless its variables are set; the sandbox shows a demo organisation.
import { GITHUB } from '../core/saas/github-port';
import { createGithubDirectory, type GithubSettings } from '../directory/github';
import { SandboxGithubOrganisation } from '../directory/sandbox/sandbox-github';
import { checkGithubAccess } from '../doctor/checks/github-access';
import type { ConnectorSetup } from './connector-setup';

export const GITHUB_VARIABLES = [
  'GITHUB_ADMIN_TOKEN',
  'GITHUB_MODE',
  'GITHUB_ORG',
  'GITHUB_ENTERPRISE',
  'GITHUB_ADMIN_API_URL',
] as const;

const DEFAULT_API_URL = 'https://api.github.com';
/** GitHub logins and organisation logins: letters, digits and single hyphens, up to 39. */
const ORG_LOGIN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/i;
/** Enterprise slugs: letters, digits, hyphens. */
const ENTERPRISE_SLUG = /^[a-z0-9][a-z0-9-]{0,59}$/i;

export const githubSetup: ConnectorSetup<GithubSettings> = {
  name: 'github',
  variables: GITHUB_VARIABLES,

  read(read) {
    if (GITHUB_VARIABLES.every((name) => read.optional(name) === undefined)) return undefined;
    const mode = read.oneOf('GITHUB_MODE', ['org', 'emu'] as const, 'org');
    const token = read.required(
      'GITHUB_ADMIN_TOKEN',
      mode === 'org'
        ? 'a token of an organisation owner: fine-grained with "Members: Read and write", or classic with admin:org'
        : "a classic token of the enterprise's setup user with scim:enterprise",
    );
    const apiUrl = read.httpsUrl('GITHUB_ADMIN_API_URL', DEFAULT_API_URL);
    if (mode === 'org') {
      const org = read.required('GITHUB_ORG', "the organisation's login, as in its URL");
      if (org && !ORG_LOGIN.test(org))
        read.problem(
          `GITHUB_ORG must be an organisation login (letters, digits, hyphens; got "${org}").`,
        );
      if (read.optional('GITHUB_ENTERPRISE') !== undefined)
        read.problem(
          'GITHUB_ENTERPRISE is only for GITHUB_MODE=emu: unset it, or set GITHUB_MODE=emu.',
        );
      return { mode, org, apiUrl, token, tokenEnv: 'GITHUB_ADMIN_TOKEN' };
    }
    const enterprise = read.required('GITHUB_ENTERPRISE', "the enterprise's slug, as in its URL");
    if (enterprise && !ENTERPRISE_SLUG.test(enterprise))
      read.problem(
        `GITHUB_ENTERPRISE must be an enterprise slug (letters, digits, hyphens; got "${enterprise}").`,
      );
    if (read.optional('GITHUB_ORG') !== undefined)
      read.problem(
        'GITHUB_ORG is only for GITHUB_MODE=org: with Enterprise Managed Users Revoke suspends the managed user in the whole enterprise.',
      );
    return { mode, enterprise, apiUrl, token, tokenEnv: 'GITHUB_ADMIN_TOKEN' };
  },

  connect(settings, connectors, logger) {
    connectors.set(GITHUB, createGithubDirectory(settings, logger.child({ connector: 'github' })));
  },

  sandbox(connectors, tenant) {
    connectors.set(GITHUB, new SandboxGithubOrganisation(tenant.people));
  },

  doctor: (settings) => checkGithubAccess(settings),

  describe(settings) {
    return {
      mode: settings.mode,
      ...(settings.mode === 'org'
        ? { org: settings.org ?? '' }
        : { enterprise: settings.enterprise ?? '' }),
      apiUrl: settings.apiUrl,
      token: true,
    };
  },
};
