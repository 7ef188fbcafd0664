export { SlackOrgDirectory } from './slack-org-directory';
export { checkSlack } from './slack-doctor';
export type { SlackSettings } from './slack-settings';
