// Google Workspace: a service account with domain-wide delegation, acting as an administrator, signs
// the user out of every session and suspends them (src/core/paths/google-workspace.ts). Off unless
// GOOGLE_SERVICE_ACCOUNT_KEY_FILE or GOOGLE_ADMIN_SUBJECT is set; then both are required.
//
// No customer id is asked for: users.list is called with customer=my_customer, which Google
// resolves to the account of the administrator the service account acts as, every domain included.
import { GOOGLE_WORKSPACE } from '../core/saas/google-workspace-port';
import { checkGoogleWorkspace } from '../doctor/checks/google-workspace-checks';
import {
  GOOGLE_ADMIN_API_URL,
  GOOGLE_SCOPES,
  GoogleWorkspaceAdapter,
  readServiceAccountKey,
  type GoogleWorkspaceSettings,
} from '../directory/google-workspace';
import { SandboxGoogleWorkspace } from '../directory/sandbox/sandbox-google-workspace';
import type { ConnectorSetup } from './connector-setup';

export const GOOGLE_KEY_ENV = 'GOOGLE_SERVICE_ACCOUNT_KEY_FILE';
export const GOOGLE_SUBJECT_ENV = 'GOOGLE_ADMIN_SUBJECT';
export const GOOGLE_API_ENV = 'GOOGLE_ADMIN_API_URL';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const VARIABLES = [GOOGLE_KEY_ENV, GOOGLE_SUBJECT_ENV, GOOGLE_API_ENV] as const;

export const googleWorkspaceSetup: ConnectorSetup<GoogleWorkspaceSettings> = {
  name: 'google-workspace',
  variables: VARIABLES,

  read(read) {
    if (!VARIABLES.some((name) => read.optional(name) !== undefined)) return undefined;
    const path = read.required(
      GOOGLE_KEY_ENV,
      'the path of the JSON key of the Google service account that has domain-wide delegation',
    );
    const subject = read.required(
      GOOGLE_SUBJECT_ENV,
      'the primary email of the Google Workspace administrator the service account acts as',
    );
    if (subject && !EMAIL.test(subject))
      read.problem(`${GOOGLE_SUBJECT_ENV} must be an email address (got "${subject}").`);
    const apiRootUrl = read.httpsUrl(GOOGLE_API_ENV, GOOGLE_ADMIN_API_URL);
    if (!path) return undefined;
    const key = readServiceAccountKey(GOOGLE_KEY_ENV, path);
    if ('problems' in key) for (const problem of key.problems) read.problem(problem);
    if ('problems' in key || !subject) return undefined;
    return {
      key: key.key,
      subject,
      apiRootUrl,
      keyEnv: GOOGLE_KEY_ENV,
      subjectEnv: GOOGLE_SUBJECT_ENV,
    };
  },

  connect(settings, connectors) {
    connectors.set(GOOGLE_WORKSPACE, new GoogleWorkspaceAdapter(settings));
  },

  sandbox(connectors, tenant) {
    connectors.set(GOOGLE_WORKSPACE, new SandboxGoogleWorkspace(tenant.people, tenant.behaviour));
  },

  doctor(settings) {
    return checkGoogleWorkspace(new GoogleWorkspaceAdapter(settings), {
      subject: settings.subject,
      subjectEnv: settings.subjectEnv,
      clientId: settings.key.clientId,
      scopes: GOOGLE_SCOPES,
    });
  },

  describe(settings) {
    return {
      serviceAccount: settings.key.clientEmail,
      clientId: settings.key.clientId,
      subject: settings.subject,
      apiRootUrl: settings.apiRootUrl,
    };
  },
};
