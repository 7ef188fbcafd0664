// Slack Enterprise Grid: ends a person's Slack sessions and deactivates their account org-wide
// (src/core/paths/slack.ts). Configured by SLACK_ORG_TOKEN: an org-level user token (xoxp-) of an
// Org Owner or Admin from an app installed on the org, with admin.users:write, admin.users:read,
// users:read and, unless SLACK_SCIM_TOKEN holds another token for SCIM, admin.
import { SLACK } from '../core/saas/slack-port';
import { SandboxSlack } from '../directory/sandbox/sandbox-slack';
import { checkSlack, SlackOrgDirectory, type SlackSettings } from '../directory/slack';
import type { EnvReader } from '../env-reader';
import { registeredSetup, type ConnectorSetup } from './connector-setup';

const VARIABLES = [
  'SLACK_ORG_TOKEN',
  'SLACK_SCIM_TOKEN',
  'SLACK_API_URL',
  'SLACK_SCIM_URL',
] as const;

/**
 * A user token, as Slack issues it: the admin.* methods refuse bot tokens. Only the prefix is ever
 * said in a message, never the value.
 */
function userToken(read: EnvReader, name: string, value: string): string {
  if (!/^xoxp-[A-Za-z0-9-]+$/.test(value))
    read.problem(
      `${name} must be a Slack user token (it starts with xoxp-): the admin.* methods and SCIM refuse bot and app tokens.`,
    );
  return value;
}

export const slackSetup: ConnectorSetup<SlackSettings> = {
  name: 'slack',
  variables: VARIABLES,

  read(read) {
    const set = VARIABLES.filter((name) => read.optional(name) !== undefined);
    if (set.length === 0) return undefined;
    const org = read.required(
      'SLACK_ORG_TOKEN',
      `an org-level Slack user token, since ${set.join(', ')} is set`,
    );
    const scim = read.optional('SLACK_SCIM_TOKEN');
    return {
      orgToken: org === '' ? '' : userToken(read, 'SLACK_ORG_TOKEN', org),
      scimToken: scim === undefined ? org : userToken(read, 'SLACK_SCIM_TOKEN', scim),
      scimTokenEnv: scim === undefined ? 'SLACK_ORG_TOKEN' : 'SLACK_SCIM_TOKEN',
      apiUrl: read.httpsUrl('SLACK_API_URL', 'https://slack.com/api'),
      scimUrl: read.httpsUrl('SLACK_SCIM_URL', 'https://api.slack.com/scim/v1'),
    };
  },

  connect(settings, connectors, logger) {
    connectors.set(SLACK, new SlackOrgDirectory(settings, logger.child({ connector: 'slack' })));
  },

  sandbox(connectors, tenant) {
    connectors.set(SLACK, new SandboxSlack(tenant.people, tenant.behaviour));
  },

  doctor: (settings) => checkSlack(settings),

  describe: (settings) => ({
    apiUrl: settings.apiUrl,
    scimUrl: settings.scimUrl,
    scimToken: settings.scimTokenEnv,
  }),
};

export const SLACK_SETUP = registeredSetup(slackSetup);
