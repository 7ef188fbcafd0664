// How Revoke reaches one Slack Enterprise Grid org: the Web API and the SCIM API, each with its
// base URL and token. Read from the environment by src/connectors/slack.ts; the tokens stay inside
// the adapter and are only ever named by the variable that holds them.

export interface SlackSettings {
  /** The Web API root, e.g. https://slack.com/api (no trailing slash). */
  apiUrl: string;
  /** The SCIM 1.1 root, e.g. https://api.slack.com/scim/v1 (no trailing slash). */
  scimUrl: string;
  /** An org-level user token (xoxp-) of an Org Owner or Admin: admin.users:*, users:read. */
  orgToken: string;
  /** The SCIM token (scope `admin`); the org token when one app holds both. */
  scimToken: string;
  /** The variable the SCIM token came from, for advice. */
  scimTokenEnv: 'SLACK_SCIM_TOKEN' | 'SLACK_ORG_TOKEN';
  /** Per HTTP call; Revoke's retry layer decides what happens after a timeout. */
  timeoutMs?: number;
}

/** The Web API method (or SCIM) each call needs, and the scope Slack documents for it. */
export const SLACK_SCOPES = {
  'admin.users.session.reset': 'admin.users:write',
  'admin.users.session.list': 'admin.users:read',
  'users.info': 'users:read',
  scim: 'admin',
} as const;

export type SlackCall = keyof typeof SLACK_SCOPES | 'auth.test';
