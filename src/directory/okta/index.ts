export { OktaSdkDirectory, searchString, type OktaDirectoryOptions } from './okta-directory';
export {
  readOktaSettings,
  OKTA_VARIABLES,
  type OktaAction,
  type OktaSettings,
  type OktaSettingsResult,
} from './okta-config';
export { OKTA_SCOPES, OKTA_USERS_MANAGE, OKTA_USERS_READ, scopesFor } from './okta-scopes';
export { OktaPrivateKey } from './private-key';
