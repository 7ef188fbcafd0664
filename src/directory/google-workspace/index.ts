export { GOOGLE_ADMIN_API_URL, GoogleWorkspaceAdapter } from './google-workspace-directory';
export type { GoogleWorkspaceSettings } from './google-workspace-directory';
export { GOOGLE_SCOPES, SECURITY_SCOPE, USER_SCOPE } from './google-auth';
export { delegationAdvice } from './google-errors';
export { readServiceAccountKey } from './service-account-key';
export type { ServiceAccountKey } from './service-account-key';
